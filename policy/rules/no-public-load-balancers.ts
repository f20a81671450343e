import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isInternalLoadBalancer } from "../../stacks/load-balancers";
import { admissionModeSchema, asRecord, metadataOf, propsOf } from "../support";

/** Paths in Helm values that ask for a public LoadBalancer: `type: LoadBalancer` with no internal annotation beside it. */
function publicLoadBalancers(values: unknown, at = ""): string[] {
  const node = asRecord(values);
  const found: string[] = [];
  if (node.type === "LoadBalancer" && !isInternalLoadBalancer(asRecord(node.annotations))) found.push(at || "(root)");
  for (const [key, child] of Object.entries(node)) {
    if (child !== null && typeof child === "object" && !Array.isArray(child)) found.push(...publicLoadBalancers(child, at ? `${at}.${key}` : key));
  }
  return found;
}

export const noPublicLoadBalancers: ResourceValidationPolicy = {
  name: "no-public-load-balancers",
  description: "No Service or Helm release opens a public cloud load balancer; internal load balancers and ClusterIP only.",
  enforcementLevel: "mandatory",
  // Its admission twin (policy/admission.ts) denies or only warns, per environment.
  configSchema: { properties: { ...admissionModeSchema } },
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    if (args.type === "kubernetes:core/v1:Service" && asRecord(props.spec).type === "LoadBalancer" && !isInternalLoadBalancer(metadataOf(args).annotations)) {
      reportViolation(`Service "${metadataOf(args).name ?? args.name}" is a public LoadBalancer; make it ClusterIP or annotate it as internal.`);
    }
    if (args.type === "kubernetes:helm.sh/v3:Release") {
      for (const path of publicLoadBalancers(props.values)) {
        reportViolation(`Helm release "${props.name ?? args.name}" asks for a public LoadBalancer at values.${path}; use ClusterIP and reach it by port-forward or an internal load balancer.`);
      }
    }
  },
};
