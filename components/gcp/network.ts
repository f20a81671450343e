import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { SecondaryRanges, secondaryRanges } from "./ip-ranges";

/** Names of the subnetwork's secondary ranges, as the cluster's IP allocation policy refers to them. */
export const podRangeName = "pods";
export const serviceRangeName = "services";

export interface GkeNetworkArgs {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcCidr: string;
  readonly provider: gcp.Provider;
}

/**
 * A custom-mode VPC with one regional subnetwork for nodes, plus secondary ranges for pods and
 * Services (see ip-ranges.ts). Nodes have private addresses only: Private Google Access reaches
 * Google APIs and Artifact Registry, and a Cloud NAT reaches every other registry.
 */
export class GkeNetwork extends pulumi.ComponentResource {
  readonly networkId: pulumi.Output<string>;
  readonly subnetworkId: pulumi.Output<string>;
  readonly ranges: SecondaryRanges;

  constructor(name: string, args: GkeNetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:gcp:Network", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    this.ranges = secondaryRanges(args.vpcCidr);

    const network = new gcp.compute.Network(`${name}-vpc`, {
      name: args.clusterName,
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
    }, child);
    const subnetwork = new gcp.compute.Subnetwork(`${name}-nodes`, {
      name: `${args.clusterName}-nodes`,
      network: network.id,
      region: args.region,
      ipCidrRange: args.vpcCidr,
      secondaryIpRanges: [
        { rangeName: podRangeName, ipCidrRange: this.ranges.pods },
        { rangeName: serviceRangeName, ipCidrRange: this.ranges.services },
      ],
      privateIpGoogleAccess: true,
    }, child);

    const router = new gcp.compute.Router(`${name}-router`, {
      name: `${args.clusterName}-router`,
      network: network.id,
      region: args.region,
    }, child);
    // Pods' traffic leaves through the node's address, so NAT covers every range of the subnetwork.
    new gcp.compute.RouterNat(`${name}-nat`, {
      name: `${args.clusterName}-nat`,
      router: router.name,
      region: args.region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetworks: [{ name: subnetwork.id, sourceIpRangesToNats: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    }, child);

    this.networkId = network.id;
    this.subnetworkId = subnetwork.id;
    this.registerOutputs({ networkId: this.networkId, subnetworkId: this.subnetworkId });
  }
}
