import { stringify } from "yaml";
import { gpuTaint } from "../cluster/contract";
import type { AddonContext } from "./addon";

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
      configs[pool.name] = stringify({ version: "v1", flags: { migStrategy: "mixed" } });
    }
  }
  return configs;
}

/** GPU Operator values: install only what the node image lacks, and wire sharing and metrics. */
export function gpuOperatorValues(ctx: AddonContext) {
  const preinstalled = ctx.cluster.gpuNodeSoftware;
  const usesMig = ctx.cluster.gpuPools.some(({ pool }) => pool.sharing.mode === "mig");
  return {
    driver: { enabled: !preinstalled.driver },
    toolkit: { enabled: !preinstalled.toolkit },
    devicePlugin: {
      enabled: !preinstalled.devicePlugin,
      config: { create: true, name: devicePluginConfigMap, default: "default", data: devicePluginConfigs(ctx) },
    },
    mig: { strategy: "mixed" },
    migManager: { enabled: usesMig },
    daemonsets: { tolerations: [{ key: gpuTaint.key, operator: "Exists", effect: gpuTaint.effect }] },
    // The ServiceMonitor needs the Prometheus operator's CRD, which the monitoring add-on brings.
    dcgmExporter: { enabled: true, serviceMonitor: { enabled: false } },
  };
}
