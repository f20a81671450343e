import type { StackValidationPolicy } from "@pulumi/policy";
import { conformanceTestLabel, environmentOf, gpuCapacity } from "../support";

export const gpuCapacityScalesToZeroOutsideProd: StackValidationPolicy = {
  name: "gpu-capacity-scales-to-zero-outside-prod",
  description: "Outside prod no GPU stays on when idle: every GPU pool's minimum is zero.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const environment = environmentOf(args.resources);
    if (environment === "prod") return;
    for (const capacity of args.resources.map(gpuCapacity)) {
      // The AI Conformance suite's pool is always-on by design, for as long as the test stack lives.
      if (capacity && capacity.minGpus > 0 && capacity.labels[conformanceTestLabel] !== "true") {
        reportViolation(`${capacity.resource.type} "${capacity.resource.name}" keeps ${capacity.minGpus} GPUs running while idle in a ${environment} stack; set the pool's baselineNodes to 0.`, capacity.resource.urn);
      }
    }
  },
};
