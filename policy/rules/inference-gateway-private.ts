import type { ResourceValidationPolicy } from "@pulumi/policy";
import { exposureAnnotation } from "../../components/addons/gateway/names";
import { isInternalLoadBalancer } from "../../stacks/load-balancers";
import { asRecord, metadataOf, propsOf } from "../support";

interface GatewayExposureConfig {
  /** Let an inference gateway take an internet-facing load balancer (a deliberate, reviewed choice). */
  allowPublic: boolean;
}

/**
 * Envoy Gateway gives every Gateway an Envoy Service of type LoadBalancer unless its EnvoyProxy says
 * otherwise: a Gateway without one, or an EnvoyProxy whose Service is neither ClusterIP nor an
 * internal load balancer, is on the internet.
 */
export const inferenceGatewayPrivate: ResourceValidationPolicy = {
  name: "inference-gateway-private",
  description: "The inference gateway is reached only from the network (an internal load balancer) or the cluster, unless the pack's config allows a public one.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowPublic: { type: "boolean", default: false } } },
  validateResource: (args, reportViolation) => {
    const { allowPublic } = args.getConfig<GatewayExposureConfig>();
    if (allowPublic) return;
    const props = propsOf(args);
    if (args.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway") {
      const parameters = asRecord(asRecord(asRecord(props.spec).infrastructure).parametersRef);
      if (parameters.kind !== "EnvoyProxy") {
        reportViolation(`Gateway "${metadataOf(args).name ?? args.name}" names no EnvoyProxy in spec.infrastructure.parametersRef, so Envoy Gateway gives it a public load balancer; the platform's gateway names inference-proxy.`);
      }
    }
    if (args.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy") {
      const service = asRecord(asRecord(asRecord(asRecord(props.spec).provider).kubernetes).envoyService);
      const type = service.type ?? "LoadBalancer";
      if (type !== "LoadBalancer") return;
      const annotations = asRecord(service.annotations);
      // On an existing cluster the stack names its own load balancer's internal annotation.
      const declaredInternal = metadataOf(args).annotations[exposureAnnotation] === "internal" && Object.keys(annotations).length > 0;
      if (!isInternalLoadBalancer(annotations) && !declaredInternal) {
        reportViolation(`EnvoyProxy "${metadataOf(args).name ?? args.name}" puts the inference gateway on a public load balancer; set addons.gateway.exposure to internal or clusterIP, or allow it with inference-gateway-private.allowPublic in the pack's config.`);
      }
    }
  },
};
