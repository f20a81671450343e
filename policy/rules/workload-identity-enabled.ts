import type { StackValidationPolicy } from "@pulumi/policy";
import { asRecord, propsOf } from "../support";

export const workloadIdentityEnabled: StackValidationPolicy = {
  name: "workload-identity-enabled",
  description: "Pods get cloud access through their own identity (EKS Pod Identity, GKE Workload Identity, Entra workload identity), never the node's.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources) {
      const props = propsOf(cluster);
      if (cluster.type === "eks:index:Cluster") {
        const agent = args.resources.some((r) => r.type === "aws:eks/addon:Addon" && propsOf(r).addonName === "eks-pod-identity-agent");
        if (!agent) reportViolation(`EKS cluster "${cluster.name}" has no eks-pod-identity-agent add-on, so add-ons fall back to node credentials.`, cluster.urn);
      }
      if (cluster.type === "gcp:container/cluster:Cluster" && !asRecord(props.workloadIdentityConfig).workloadPool) {
        reportViolation(`GKE cluster "${cluster.name}" has no Workload Identity pool; set workloadIdentityConfig.workloadPool to "<project>.svc.id.goog".`, cluster.urn);
      }
      if (cluster.type === "azure-native:containerservice:ManagedCluster") {
        const enabled = asRecord(asRecord(props.securityProfile).workloadIdentity).enabled === true && asRecord(props.oidcIssuerProfile).enabled === true;
        if (!enabled) reportViolation(`AKS cluster "${cluster.name}" has no workload identity; enable securityProfile.workloadIdentity and oidcIssuerProfile.`, cluster.urn);
      }
    }
  },
};
