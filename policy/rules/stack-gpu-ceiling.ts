import type { StackValidationPolicy } from "@pulumi/policy";
import { gpuCapacity } from "../support";

export interface StackGpuCeilingConfig {
  maxGpus: number;
}

export const stackGpuCeiling: StackValidationPolicy = {
  name: "stack-gpu-ceiling",
  description: "The GPUs all pools of the stack may start together stay within the ceiling the organisation allows one stack.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxGpus: { type: "integer", minimum: 0, default: 64 } } },
  validateStack: (args, reportViolation) => {
    const { maxGpus } = args.getConfig<StackGpuCeilingConfig>();
    const pools = args.resources.map(gpuCapacity).filter((c) => c !== undefined);
    const total = pools.reduce((sum, c) => sum + (c.maxGpus ?? 0), 0);
    if (total > maxGpus) {
      const parts = pools.map((c) => `${c.resource.name}: ${c.maxGpus}`).join(", ");
      reportViolation(`The stack's GPU pools may start ${total} GPUs (${parts}), above the ceiling of ${maxGpus}; lower the pools' maxGpus or raise stack-gpu-ceiling.maxGpus in the policy config.`);
    }
  },
};
