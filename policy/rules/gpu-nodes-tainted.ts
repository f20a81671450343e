import type { ResourceValidationPolicy } from "@pulumi/policy";
import { conformanceTestLabel, gpuCapacity } from "../support";

export const gpuNodesTainted: ResourceValidationPolicy = {
  name: "gpu-nodes-tainted",
  description: "GPU nodes carry the nvidia.com/gpu NoSchedule taint, so pods that need no GPU never hold one.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const capacity = gpuCapacity(args);
    if (!capacity) return;
    // The AI Conformance suite's autoscaling pool: untainted on purpose, holding no team's work.
    if (capacity.labels[conformanceTestLabel] === "true") return;
    const tainted = capacity.taints.some((t) => t.key === "nvidia.com/gpu" && /^(NoSchedule|NO_SCHEDULE)$/.test(String(t.effect)));
    if (!tainted) reportViolation(`${args.type} "${args.name}" starts GPU nodes without the nvidia.com/gpu NoSchedule taint; CPU pods could occupy them.`);
  },
};
