import type { ResourceValidationPolicy } from "@pulumi/policy";
import { admissionModeSchema, metadataOf, podSecurityEnforce } from "../support";

export interface PrivilegedNamespacesConfig {
  allowed: string[];
}

export const onlyGpuOperatorNamespacePrivileged: ResourceValidationPolicy = {
  name: "only-gpu-operator-namespace-privileged",
  description: "Only the GPU Operator's namespace may run privileged pods; every other namespace the stack creates enforces a Pod Security level.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { ...admissionModeSchema, allowed: { type: "array", items: { type: "string" }, default: ["gpu-operator"] } } },
  validateResource: (args, reportViolation) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return;
    const { allowed } = args.getConfig<PrivilegedNamespacesConfig>();
    const { name, labels } = metadataOf(args);
    const level = labels[podSecurityEnforce];
    if (level === "privileged" && !allowed.includes(name ?? "")) {
      reportViolation(`Namespace "${name}" allows privileged pods; only ${allowed.join(", ")} may. Use baseline or restricted.`);
    }
    if (level === undefined) {
      reportViolation(`Namespace "${name}" enforces no Pod Security level, so it is privileged by default; label it ${podSecurityEnforce}=baseline or restricted.`);
    }
  },
};
