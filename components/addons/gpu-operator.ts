import * as k8s from "@pulumi/kubernetes";
import { stringify } from "yaml";
import { gpuTaint } from "../cluster/contract";
import type { AddonContext, AddonScope } from "./addon";

export const devicePluginConfigMap = "device-plugin-config";

/**
 * Device plugin configurations, one per time-sliced pool: a node picks its entry through the
 * `nvidia.com/device-plugin.config` label the pool puts on it; other nodes get `default`.
 */
export function devicePluginConfigs(ctx: AddonContext): Record<string, string> {
  const configs: Record<string, string> = { default: stringify({ version: "v1", flags: { migStrategy: "none" } }) };
  for (const { pool } of ctx.cluster.gpuPools) {
    if (pool.sharing.mode === "time-slicing") {
      configs[pool.name] = stringify({
        version: "v1",
        sharing: { timeSlicing: { resources: [{ name: "nvidia.com/gpu", replicas: pool.sharing.replicas }] } },
      });
    }
    if (pool.sharing.mode === "mig") {
      configs[pool.name] = stringify({ version: "v1", flags: { migStrategy: "single" } });
    }
  }
  return configs;
}

/** GPU Operator values: install only what the node image lacks, and wire sharing and metrics. */
export function gpuOperatorValues(ctx: AddonContext) {
  const node = ctx.cluster.gpuNodeSoftware;
  const operatorShares = node.sharing === "operator";
  const usesMig = operatorShares && ctx.cluster.gpuPools.some(({ pool }) => pool.sharing.mode === "mig");
  const usesDra = ctx.cluster.gpuPools.some(({ pool }) => pool.allocation === "dra");
  return {
    ...(node.driverInstallDir ? { hostPaths: { driverInstallDir: node.driverInstallDir } } : {}),
    driver: { enabled: !node.driver },
    toolkit: {
      enabled: !node.toolkit,
      ...(node.toolkitInstallDir ? { installDir: node.toolkitInstallDir } : {}),
      ...(node.toolkitEnv ? { env: node.toolkitEnv.map((e) => ({ ...e })) } : {}),
    },
    // Containers get GPUs through CDI specs rather than a runtime hook: needed where the toolkit
    // cannot change the node's runtime configuration, harmless elsewhere.
    cdi: { enabled: true },
    devicePlugin: {
      enabled: !node.devicePlugin,
      ...(operatorShares ? { config: { create: true, name: devicePluginConfigMap, default: "default", data: devicePluginConfigs(ctx) } } : {}),
    },
    // Every GPU of a pool is cut alike, so nodes advertise MIG instances as `nvidia.com/gpu` and
    // one quota covers them.
    mig: { strategy: "single" },
    migManager: { enabled: usesMig },
    operator: { nodeSelector: { "kubernetes.io/os": "linux", ...ctx.cluster.systemNodeSelector } },
    // NFD's master and garbage collector are controllers (its post-delete job follows the master);
    // only its worker runs on every node.
    "node-feature-discovery": {
      master: { nodeSelector: { ...ctx.cluster.systemNodeSelector } },
      gc: { nodeSelector: { ...ctx.cluster.systemNodeSelector } },
    },
    daemonsets: { tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }] },
    // The platform's own ServiceMonitor scrapes DCGM with the pool and team attached (monitoring add-on).
    dcgmExporter: {
      enabled: true,
      serviceMonitor: { enabled: false },
      // With DRA pools: attribute each claimed GPU to its pod (dcgm-exporter --kubernetes-enable-dra,
      // since 4.3.1-4.4.0). Pod labels give the exporter its API token and pod access; the
      // ResourceSlice access comes from the platform's role (DraDevices).
      ...(usesDra ? { env: [{ name: "KUBERNETES_ENABLE_DRA", value: "true" }], enablePodLabels: true } : {}),
    },
  };
}

/** Priority classes the operator's daemonsets run with. */
const criticalPriorityClasses = ["system-node-critical", "system-cluster-critical"];

/**
 * On clusters that ration system-critical pods (GKE), a quota in the operator's namespace that
 * admits them; elsewhere nothing.
 */
export function criticalPodQuota(ctx: AddonContext, scope: AddonScope): k8s.core.v1.ResourceQuota[] {
  if (!ctx.cluster.limitsCriticalPods) return [];
  return [new k8s.core.v1.ResourceQuota(`${scope.name}-critical-pods`, {
    metadata: { name: "gpu-operator-critical-pods", namespace: scope.namespace },
    spec: {
      hard: { pods: "100" },
      scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: criticalPriorityClasses }] },
    },
  }, scope.opts)];
}
