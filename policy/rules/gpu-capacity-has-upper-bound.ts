import type { ResourceValidationPolicy } from "@pulumi/policy";
import { gpuCapacity } from "../support";

export const gpuCapacityHasUpperBound: ResourceValidationPolicy = {
  name: "gpu-capacity-has-upper-bound",
  description: "Every GPU NodePool, node group, node pool and agent pool has a hard upper bound on the GPUs it may start.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const capacity = gpuCapacity(args);
    if (!capacity) return;
    if (capacity.maxGpus === undefined || !Number.isFinite(capacity.maxGpus) || capacity.maxGpus < 0) {
      const fix = capacity.kind === "karpenter-node-pool" ? 'set spec.limits["nvidia.com/gpu"]' : "set a maximum node count";
      reportViolation(`${args.type} "${args.name}" can start GPUs without limit; ${fix} (the pool's maxGpus).`);
    }
  },
};
