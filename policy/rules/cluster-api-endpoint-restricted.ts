import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, asRecord, propsOf } from "../support";

const openToAll = (cidr: unknown) => typeof cidr === "string" && /^0\.0\.0\.0\/0$|^::\/0$/.test(cidr);

export const clusterApiEndpointRestricted: ResourceValidationPolicy = {
  name: "cluster-api-endpoint-restricted",
  description: "The Kubernetes API endpoint is private, or public only to listed networks, never 0.0.0.0/0.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    const refuse = (what: string) => reportViolation(`${args.type} "${args.name}": ${what}; keep the endpoint private or list your networks in apiAccess.publicCidrs.`);
    switch (args.type) {
      case "eks:index:Cluster": {
        if (props.endpointPublicAccess !== true) return;
        const cidrs = asList(props.publicAccessCidrs);
        if (cidrs.length === 0) refuse("the public endpoint accepts every address (no publicAccessCidrs)");
        else if (cidrs.some(openToAll)) refuse("the public endpoint is open to 0.0.0.0/0");
        return;
      }
      case "gcp:container/cluster:Cluster": {
        const privateEndpoint = asRecord(props.privateClusterConfig).enablePrivateEndpoint === true;
        const authorised = asRecord(props.masterAuthorizedNetworksConfig);
        const blocks = asList(authorised.cidrBlocks).map((b) => asRecord(b).cidrBlock);
        if (!privateEndpoint && props.masterAuthorizedNetworksConfig === undefined) refuse("the public endpoint has no authorised networks");
        if (blocks.some(openToAll)) refuse("an authorised network is 0.0.0.0/0");
        if (!privateEndpoint && authorised.gcpPublicCidrsAccessEnabled === true) refuse("the public endpoint admits all of Google Cloud's public addresses (gcpPublicCidrsAccessEnabled)");
        return;
      }
      case "azure-native:containerservice:ManagedCluster": {
        const access = asRecord(props.apiServerAccessProfile);
        if (access.enablePrivateCluster === true) return;
        const ranges = asList(access.authorizedIPRanges);
        if (ranges.length === 0) refuse("the API server accepts every address (no authorizedIPRanges)");
        else if (ranges.some(openToAll)) refuse("an authorised IP range is 0.0.0.0/0");
        return;
      }
    }
  },
};
