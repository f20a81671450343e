import type { StackValidationPolicy } from "@pulumi/policy";
import { asList, asRecord, propsOf } from "../support";

export const clusterAuditLogsEnabled: StackValidationPolicy = {
  name: "cluster-audit-logs-enabled",
  description: "The control plane's audit log is kept: EKS audit log type, GKE system logging, AKS kube-audit diagnostic setting.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources) {
      const props = propsOf(cluster);
      if (cluster.type === "eks:index:Cluster" && !asList(props.enabledClusterLogTypes).includes("audit")) {
        reportViolation(`EKS cluster "${cluster.name}" does not send its audit log to CloudWatch; add "audit" to enabledClusterLogTypes.`, cluster.urn);
      }
      if (cluster.type === "gcp:container/cluster:Cluster" && !asList(asRecord(props.loggingConfig).enableComponents).includes("SYSTEM_COMPONENTS")) {
        reportViolation(`GKE cluster "${cluster.name}" does not log its system components; enable SYSTEM_COMPONENTS in loggingConfig.`, cluster.urn);
      }
      if (cluster.type === "azure-native:containerservice:ManagedCluster") {
        const audited = args.resources.some((r) => r.type === "azure-native:monitor:DiagnosticSetting"
          && r.dependencies.some((d) => d.urn === cluster.urn)
          && asList(propsOf(r).logs).some((log) => /^kube-audit/.test(String(asRecord(log).category)) && asRecord(log).enabled === true));
        if (!audited) reportViolation(`AKS cluster "${cluster.name}" keeps no audit log; add a diagnostic setting with the kube-audit-admin category.`, cluster.urn);
      }
    }
  },
};
