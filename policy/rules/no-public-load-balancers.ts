import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, metadataOf, propsOf } from "../support";

/** Annotations that make a LoadBalancer Service internal, per cloud. */
const internalAnnotations: Record<string, string[]> = {
  "service.beta.kubernetes.io/aws-load-balancer-scheme": ["internal"],
  "service.beta.kubernetes.io/aws-load-balancer-internal": ["true", "0.0.0.0/0"],
  "networking.gke.io/load-balancer-type": ["Internal"],
  "cloud.google.com/load-balancer-type": ["Internal"],
  "service.beta.kubernetes.io/azure-load-balancer-internal": ["true"],
};

const isInternal = (annotations: Record<string, unknown>) =>
  Object.entries(internalAnnotations).some(([key, values]) => values.includes(String(annotations[key])));

/** Paths in Helm values that ask for a public LoadBalancer: `type: LoadBalancer` with no internal annotation beside it. */
function publicLoadBalancers(values: unknown, at = ""): string[] {
  const node = asRecord(values);
  const found: string[] = [];
  if (node.type === "LoadBalancer" && !isInternal(asRecord(node.annotations))) found.push(at || "(root)");
  for (const [key, child] of Object.entries(node)) {
    if (child !== null && typeof child === "object" && !Array.isArray(child)) found.push(...publicLoadBalancers(child, at ? `${at}.${key}` : key));
  }
  return found;
}

export const noPublicLoadBalancers: ResourceValidationPolicy = {
  name: "no-public-load-balancers",
  description: "No Service or Helm release opens a public cloud load balancer; internal load balancers and ClusterIP only.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    if (args.type === "kubernetes:core/v1:Service" && asRecord(props.spec).type === "LoadBalancer" && !isInternal(metadataOf(args).annotations)) {
      reportViolation(`Service "${metadataOf(args).name ?? args.name}" is a public LoadBalancer; make it ClusterIP or annotate it as internal.`);
    }
    if (args.type === "kubernetes:helm.sh/v3:Release") {
      for (const path of publicLoadBalancers(props.values)) {
        reportViolation(`Helm release "${props.name ?? args.name}" asks for a public LoadBalancer at values.${path}; use ClusterIP and reach it by port-forward or an internal load balancer.`);
      }
    }
  },
};
