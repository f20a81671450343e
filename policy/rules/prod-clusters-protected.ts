import type { ResourceValidationPolicy } from "@pulumi/policy";
import { propsOf, tagsOf } from "../support";

const clusterTypes = new Set(["eks:index:Cluster", "gcp:container/cluster:Cluster", "azure-native:containerservice:ManagedCluster"]);

export const prodClustersProtected: ResourceValidationPolicy = {
  name: "prod-clusters-protected",
  description: "Prod clusters cannot be deleted by accident: Pulumi `protect`, and the cloud's deletion protection where it has one.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!clusterTypes.has(args.type) || tagsOf(args)?.environment !== "prod") return;
    if (!args.opts.protect) reportViolation(`Prod cluster "${args.name}" is not protected; Pulumi would delete it on a destroy or replace. The platform sets protect in prod.`);
    if (args.type !== "azure-native:containerservice:ManagedCluster" && propsOf(args).deletionProtection !== true) {
      reportViolation(`Prod cluster "${args.name}" has no deletion protection in the cloud; set deletionProtection: true.`);
    }
  },
};
