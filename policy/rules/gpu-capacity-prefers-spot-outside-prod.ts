import type { StackValidationPolicy } from "@pulumi/policy";
import { environmentOf, gpuCapacity } from "../support";

export const gpuCapacityPrefersSpotOutsideProd: StackValidationPolicy = {
  name: "gpu-capacity-prefers-spot-outside-prod",
  description: "Outside prod, GPU pools that scale may use spot capacity, at a fraction of the on-demand price.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const environment = environmentOf(args.resources);
    if (environment === "prod") return;
    for (const capacity of args.resources.map(gpuCapacity)) {
      // Always-on floors are on-demand on purpose: a reclaim would take the floor away.
      if (!capacity || capacity.spot || capacity.minGpus === capacity.maxGpus) continue;
      reportViolation(`${capacity.resource.type} "${capacity.resource.name}" uses on-demand GPUs only in a ${environment} stack; list "spot" in the pool's capacityTypes.`, capacity.resource.urn);
    }
  },
};
