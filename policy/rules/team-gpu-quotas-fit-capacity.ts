import type { StackValidationPolicy } from "@pulumi/policy";
import { asRecord, gpuCapacity, metadataOf, propsOf, teamLabel } from "../support";

export interface TeamGpuQuotasConfig {
  /** Allow quotas to add up to more than the pools hold (Kueue then arbitrates). */
  allowOvercommit: boolean;
}

export const teamGpuQuotasFitCapacity: StackValidationPolicy = {
  name: "team-gpu-quotas-fit-capacity",
  description: "The teams' GPU quotas add up to no more than the GPUs the stack's pools can start, so a granted quota can be honoured.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowOvercommit: { type: "boolean", default: false } } },
  validateStack: (args, reportViolation) => {
    if (args.getConfig<TeamGpuQuotasConfig>().allowOvercommit) return;
    const pools = args.resources.map(gpuCapacity).filter((c) => c !== undefined);
    if (pools.length === 0) return;
    const capacity = pools.reduce((sum, c) => sum + (c.maxGpus ?? 0), 0);
    const teamNamespaces = new Set(args.resources
      .filter((r) => r.type === "kubernetes:core/v1:Namespace" && metadataOf(r).labels[teamLabel] !== undefined)
      .map((r) => metadataOf(r).name));
    const quotas = args.resources.filter((r) => r.type === "kubernetes:core/v1:ResourceQuota" && teamNamespaces.has(metadataOf(r).namespace));
    const granted = quotas.reduce((sum, q) => sum + Number(asRecord(asRecord(propsOf(q).spec).hard)["requests.nvidia.com/gpu"] ?? 0), 0);
    if (granted > capacity) {
      reportViolation(`Team GPU quotas add up to ${granted} GPUs but the pools can start only ${capacity}; lower teams[].gpus, raise the pools' maxGpus, or allow overcommit (allowQuotaOvercommit and this policy's allowOvercommit).`);
    }
  },
};
