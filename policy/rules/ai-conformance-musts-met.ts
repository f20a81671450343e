import type { StackValidationPolicy } from "@pulumi/policy";
import { conformance } from "../conformance";
import { environmentOf } from "../support";

/**
 * A prod stack meets every MUST of the Kubernetes AI Conformance checklist for its minor (the
 * plan's conformance table says through what). Advisory by default: raise it to mandatory in an
 * environment's pack config where buyers ask for the certification.
 */
export const aiConformanceMustsMet: StackValidationPolicy = {
  name: "ai-conformance-musts-met",
  description: "A prod stack meets every MUST requirement of Kubernetes AI Conformance for its Kubernetes minor.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    if (environmentOf(args.resources) !== "prod") return;
    const table = conformance(args.resources);
    for (const row of table?.rows.filter((r) => r.level === "MUST" && r.status === "not met") ?? []) {
      reportViolation(`AI Conformance v${table!.minor} MUST ${row.id} is not met: ${row.fix}.`);
    }
  },
};
