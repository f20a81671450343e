import type { ResourceValidationPolicy } from "@pulumi/policy";
import { metadataOf, podSecurityEnforce, teamLabel } from "../support";

export const teamNamespacesEnforceRestricted: ResourceValidationPolicy = {
  name: "team-namespaces-enforce-restricted",
  description: "Team namespaces enforce the restricted Pod Security level: no root, no privilege escalation, no host access.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return;
    const { name, labels } = metadataOf(args);
    if (labels[teamLabel] === undefined) return;
    if (labels[podSecurityEnforce] !== "restricted") {
      reportViolation(`Team namespace "${name}" enforces Pod Security "${labels[podSecurityEnforce] ?? "(none)"}"; label it ${podSecurityEnforce}=restricted.`);
    }
  },
};
