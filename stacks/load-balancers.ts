/**
 * Service annotations that keep a cloud load balancer inside the network. The platform sets the
 * first kind on its own Services; the policy pack accepts any of the second.
 */
import type { RegionCloud } from "./jurisdictions";

/**
 * What the platform puts on a LoadBalancer Service it wants internal, per managed cloud:
 * - aws: the Kubernetes cloud provider's service controller (aws-cloud-controller-manager, which
 *   EKS runs; no AWS Load Balancer Controller needed), an internal load balancer in the subnets
 *   tagged kubernetes.io/role/internal-elb.
 * - gcp: GKE's internal passthrough Network Load Balancer (docs: "Create an internal load
 *   balancer", annotation networking.gke.io/load-balancer-type).
 * - azure: the AKS cloud provider's internal load balancer (docs: "Use an internal load balancer
 *   with AKS").
 */
export const internalLoadBalancerAnnotations: Record<RegionCloud, Readonly<Record<string, string>>> = {
  aws: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" },
  gcp: { "networking.gke.io/load-balancer-type": "Internal" },
  azure: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
};

/** Every annotation value that makes a LoadBalancer Service internal, on any cloud or controller. */
export const recognisedInternalAnnotations: Readonly<Record<string, readonly string[]>> = {
  // AWS Load Balancer Controller.
  "service.beta.kubernetes.io/aws-load-balancer-scheme": ["internal"],
  "service.beta.kubernetes.io/aws-load-balancer-internal": ["true", "0.0.0.0/0"],
  "networking.gke.io/load-balancer-type": ["Internal"],
  // GKE's older spelling.
  "cloud.google.com/load-balancer-type": ["Internal"],
  "service.beta.kubernetes.io/azure-load-balancer-internal": ["true"],
};

export function isInternalLoadBalancer(annotations: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(recognisedInternalAnnotations).some(([key, values]) => values.includes(String(annotations[key])));
}
