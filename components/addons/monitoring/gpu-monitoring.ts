import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { poolLabel } from "../../cluster/contract";
import { gpuAlertGroups } from "./gpu-alerts";
import { CostRule, gpuCostAlerts, gpuCostDashboard } from "./gpu-cost";
import { gpuDashboard } from "./gpu-dashboard";
import { grafanaDashboardLabel } from "./prometheus-stack";

/** The Service the GPU Operator puts in front of its DCGM exporter pods (assets/state-dcgm-exporter). */
export const dcgmExporterService = { label: { app: "nvidia-dcgm-exporter" }, port: "gpu-metrics" } as const;

/** `gpu-platform.io/pool` as Prometheus spells a node label in service discovery. */
export const poolMetaLabel = `__meta_kubernetes_node_label_${poolLabel.replace(/[^a-zA-Z0-9]/g, "_")}`;

export interface GpuMonitoringArgs {
  readonly provider: k8s.Provider;
  /** The monitoring release: brings the ServiceMonitor and PrometheusRule CRDs and Grafana. */
  readonly prometheusStack: k8s.helm.v3.Release;
  readonly monitoringNamespace: string;
  /** The GPU Operator release and namespace, when it is installed: where DCGM exporter runs. */
  readonly gpuOperator?: { release: k8s.helm.v3.Release; namespace: string };
  readonly idleGpuAlertHours: number;
  /** Cost recording rules generated from the plan's price table, and when a team's idle share alerts. */
  readonly cost: { rules: CostRule[]; idleSharePercent: number };
}

/**
 * GPU observability: scrape DCGM with the pool and team on every series, alert on the failures
 * and waste that matter for GPUs, and ship a dashboard by pool and team.
 */
export class GpuMonitoring extends pulumi.ComponentResource {
  constructor(name: string, args: GpuMonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:GpuMonitoring", name, {}, opts);
    const afterStack = { parent: this, provider: args.provider, dependsOn: [args.prometheusStack] };

    if (args.gpuOperator) {
      // The operator's own ServiceMonitor cannot attach node labels; this one adds `pool` from the
      // node and `team` from the namespace of the pod holding the GPU.
      new k8s.apiextensions.CustomResource(`${name}-dcgm`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "gpu-metrics", namespace: args.gpuOperator.namespace },
        spec: {
          selector: { matchLabels: { ...dcgmExporterService.label } },
          namespaceSelector: { matchNames: [args.gpuOperator.namespace] },
          attachMetadata: { node: true },
          endpoints: [{
            port: dcgmExporterService.port,
            path: "/metrics",
            interval: "15s",
            relabelings: [
              { sourceLabels: [poolMetaLabel], targetLabel: "pool", action: "replace" },
              { sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node", action: "replace" },
            ],
            // DCGM names the pod using each GPU; its namespace is the team.
            metricRelabelings: [
              { sourceLabels: ["exported_namespace"], regex: "(.+)", targetLabel: "team", replacement: "$1", action: "replace" },
            ],
          }],
        },
      }, { ...afterStack, dependsOn: [args.prometheusStack, args.gpuOperator.release] });
    }

    new k8s.apiextensions.CustomResource(`${name}-alerts`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "gpu-alerts", namespace: args.monitoringNamespace },
      spec: { groups: gpuAlertGroups({ idleHours: args.idleGpuAlertHours }) },
    }, afterStack);

    new k8s.apiextensions.CustomResource(`${name}-cost`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "gpu-cost", namespace: args.monitoringNamespace },
      spec: {
        groups: [
          // In order: prices and units first, then what reads them.
          { name: "gpu-platform.gpu-cost-records", interval: "1m", rules: args.cost.rules },
          { name: "gpu-platform.gpu-cost-alerts", rules: gpuCostAlerts(args.cost.idleSharePercent) },
        ],
      },
    }, afterStack);

    // Grafana's sidecar loads every ConfigMap carrying its label as a dashboard.
    const dashboard = (suffix: string, configMap: string, file: string, json: unknown) => new k8s.core.v1.ConfigMap(`${name}-${suffix}`, {
      metadata: { name: configMap, namespace: args.monitoringNamespace, labels: { [grafanaDashboardLabel.key]: grafanaDashboardLabel.value } },
      data: { [file]: JSON.stringify(json) },
    }, afterStack);
    dashboard("cost-dashboard", "gpu-cost-dashboard", "gpu-platform-cost.json", gpuCostDashboard());
    dashboard("dashboard", "gpu-dashboard", "gpu-platform-gpus.json", gpuDashboard());
    this.registerOutputs({});
  }
}
