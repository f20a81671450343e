import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as pulumi from "@pulumi/pulumi";

/**
 * Control-plane logs AKS keeps only when sent somewhere: who changed what (`kube-audit-admin`,
 * the audit log without read-only calls, which keeps its volume and cost down) and who signed in
 * through Entra ID (`guard`).
 */
export const aksAuditCategories = ["kube-audit-admin", "guard"] as const;

export interface AksAuditLogsArgs {
  readonly clusterName: string;
  readonly clusterId: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: string;
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** A Log Analytics workspace in the cluster's region, and the cluster's audit logs sent to it. */
export class AksAuditLogs extends pulumi.ComponentResource {
  constructor(name: string, args: AksAuditLogsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:AksAuditLogs", name, {}, opts);
    const workspace = new operationalinsights.Workspace(`${name}-workspace`, {
      workspaceName: `${args.clusterName}-audit`,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      sku: { name: "PerGB2018" },
      retentionInDays: args.retentionDays,
      tags: { ...args.tags },
    }, { parent: this });
    new monitor.DiagnosticSetting(`${name}-audit`, {
      name: "control-plane-audit",
      resourceUri: args.clusterId,
      workspaceId: workspace.id,
      logs: aksAuditCategories.map((category) => ({ category, enabled: true })),
    }, { parent: this });
    this.registerOutputs({});
  }
}
