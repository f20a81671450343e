import type { ResourceValidationPolicy } from "@pulumi/policy";
import { propsOf, tagsOf } from "../support";

export interface RequiredTagsConfig {
  requiredTags: string[];
}

/** Resources that tag what they create (providers) or carry tags themselves. */
function taggable(type: string, props: Record<string, unknown>): boolean {
  if (type === "pulumi:providers:aws" || type === "pulumi:providers:gcp") return true;
  if (type === "eks:index:Cluster" || type === "gcp:container/cluster:Cluster") return true;
  // Azure tracked resources (those with a location of their own) take tags; child resources do not.
  return type.startsWith("azure-native:") && typeof props.location === "string";
}

export const requiredTagsPresent: ResourceValidationPolicy = {
  name: "required-tags-present",
  description: "Cloud resources carry the tags cost and ownership reports need (owner, cost-center, environment by default).",
  enforcementLevel: "mandatory",
  configSchema: { properties: { requiredTags: { type: "array", items: { type: "string" }, default: ["owner", "cost-center", "environment"] } } },
  validateResource: (args, reportViolation) => {
    if (!taggable(args.type, propsOf(args))) return;
    const tags = tagsOf(args) ?? {};
    const missing = args.getConfig<RequiredTagsConfig>().requiredTags.filter((tag) => !tags[tag]);
    if (missing.length > 0) {
      reportViolation(`${args.type} "${args.name}" lacks the tags ${missing.join(", ")}; set them under gpu-platform:tags (environment is added by the platform).`);
    }
  },
};
