/**
 * Every add-on the platform installs, as data. Values keys are checked against each chart's
 * values.yaml at the pinned version (test/reference). Dependencies are typed references, and
 * the order of this list is an order that satisfies them.
 */
import { charts, images } from "../versions";
import { Addon, AddonContext, podSecurity } from "./addon";
import { argocdValues } from "./argocd";
import { criticalPodQuota, gpuOperatorValues } from "./gpu-operator";
import { kserveRuntimeValues } from "./kserve-runtimes";
import { draDriverValues } from "./dra/dra-driver";
import { kueueManagerConfig } from "./kueue-config";
import { draOffers } from "./dra/offers";
import { scaleFromZeroValues } from "./autoscaling/scale-from-zero";
import { requests } from "./requests";
import { rateLimitStore } from "./gateway/rate-limit-store";
import { aiGatewayNamespace, envoyGatewayNamespace, gatewayClassName, gatewayName, inferenceGatewayNamespace } from "./gateway/names";
import { aiGatewayValues, envoyGatewayValues, gatewayApiCrdValues } from "./gateway/values";
import { grafanaAdminLogin, prometheusStackValues } from "./monitoring/prometheus-stack";

/** Controllers run on the cluster's system nodes, never on GPU nodes. */
const onSystemNodes = (ctx: AddonContext) => ({ ...ctx.cluster.systemNodeSelector });

/** No controller here needs host access; pods that ask for it are refused. */
const noHostAccess = podSecurity("baseline");

export const certManager: Addon = {
  id: "certManager",
  release: "cert-manager",
  chart: charts.certManager,
  namespace: "cert-manager",
  namespaceLabels: noHostAccess,
  after: [],
  values: (ctx: AddonContext) => ({
    crds: { enabled: true, keep: true },
    nodeSelector: onSystemNodes(ctx),
    resources: requests("50m", "128Mi"),
    webhook: { nodeSelector: onSystemNodes(ctx), resources: requests("20m", "64Mi") },
    cainjector: { nodeSelector: onSystemNodes(ctx), resources: requests("20m", "128Mi") },
    // The post-install check Job, too, so nothing of the release lands on a GPU node.
    startupapicheck: { nodeSelector: onSystemNodes(ctx), resources: requests("10m", "32Mi") },
  }),
};

export const gpuOperator: Addon = {
  id: "gpuOperator",
  release: "gpu-operator",
  chart: charts.gpuOperator,
  namespace: "gpu-operator",
  // Its daemonsets load kernel modules and mount host paths; no other namespace is privileged.
  namespaceLabels: podSecurity("privileged"),
  after: [],
  values: (ctx: AddonContext) => gpuOperatorValues(ctx),
  prerequisites: criticalPodQuota,
};

export const monitoring: Addon = {
  id: "monitoring",
  release: "kube-prometheus-stack",
  chart: charts.kubePrometheusStack,
  namespace: "monitoring",
  namespaceLabels: noHostAccess,
  after: [],
  needsStorage: true,
  uis: [
    { name: "grafana", service: "kube-prometheus-stack-grafana", port: 80, localPort: 3000 },
    { name: "prometheus", service: "kube-prometheus-stack-prometheus", port: 9090, localPort: 9090 },
    { name: "alertmanager", service: "kube-prometheus-stack-alertmanager", port: 9093, localPort: 9093 },
  ],
  prerequisites: grafanaAdminLogin,
  values: (ctx: AddonContext) => prometheusStackValues(ctx, onSystemNodes(ctx)),
};

/**
 * NVIDIA's DRA driver, for stacks with a DRA pool. In the GPU Operator's namespace: its kubelet
 * plugin is privileged, and that namespace stays the only privileged one.
 */
export const draDriver: Addon = {
  id: "gpuOperator",
  release: "dra-driver-nvidia-gpu",
  chart: charts.draDriver,
  namespace: "gpu-operator",
  after: [gpuOperator],
  wanted: (config) => config.gpuPools.some((pool) => pool.allocation === "dra"),
  values: (ctx: AddonContext) => draDriverValues(ctx),
};

export const kueue: Addon = {
  id: "kueue",
  release: "kueue",
  chart: charts.kueue,
  namespace: "kueue-system",
  namespaceLabels: noHostAccess,
  after: [],
  // Its ServiceMonitor needs the Prometheus operator's CRDs.
  afterIfInstalled: [monitoring],
  values: (ctx: AddonContext) => {
    const offers = draOffers(ctx.config.gpuPools);
    const prometheus = ctx.config.addons.monitoring.enabled;
    return {
      controllerManager: {
        manager: { image: { ...images.kueue, pullPolicy: "IfNotPresent" } },
        nodeSelector: onSystemNodes(ctx),
      },
      // Its ServiceMonitor, for the quota panels of the cost dashboard.
      ...(prometheus ? { enablePrometheus: true } : {}),
      // Only with DRA pools or Prometheus: otherwise the chart's own configuration, untouched.
      ...(offers.length > 0 || prometheus ? { managerConfig: { controllerManagerConfigYaml: kueueManagerConfig(offers, { queueResourceMetrics: prometheus }) } } : {}),
    };
  },
};

export const gatewayApiCrds: Addon = {
  id: "gateway",
  release: "gateway-crds",
  chart: charts.gatewayApiCrds,
  namespace: envoyGatewayNamespace,
  // Envoy proxies and the rate limiter run here, unprivileged.
  namespaceLabels: noHostAccess,
  after: [],
  values: () => gatewayApiCrdValues(),
};

export const envoyGateway: Addon = {
  id: "gateway",
  release: "envoy-gateway",
  chart: charts.envoyGateway,
  namespace: envoyGatewayNamespace,
  after: [gatewayApiCrds],
  skipCrds: true,
  prerequisites: rateLimitStore,
  values: (ctx: AddonContext) => envoyGatewayValues(ctx),
};

export const aiGatewayCrds: Addon = {
  id: "gateway",
  release: "ai-gateway-crds",
  chart: charts.aiGatewayCrds,
  namespace: aiGatewayNamespace,
  namespaceLabels: noHostAccess,
  after: [],
  values: () => ({}),
};

export const aiGateway: Addon = {
  id: "gateway",
  release: "ai-gateway",
  chart: charts.aiGateway,
  namespace: aiGatewayNamespace,
  // Its webhook's certificate comes from cert-manager, which also keeps the webhook's CA current.
  after: [certManager, aiGatewayCrds, envoyGateway],
  values: (ctx: AddonContext) => aiGatewayValues(ctx),
};

export const kserveCrd: Addon = {
  id: "kserve",
  release: "kserve-crd",
  chart: charts.kserveCrd,
  namespace: "kserve",
  namespaceLabels: noHostAccess,
  after: [certManager],
  values: () => ({}),
};

export const kserve: Addon = {
  id: "kserve",
  release: "kserve",
  chart: charts.kserve,
  namespace: "kserve",
  after: [certManager, kserveCrd],
  // With the gateway, the controller watches HTTPRoutes from its first start.
  afterIfInstalled: [gatewayApiCrds],
  values: (ctx: AddonContext) => ({
    kserve: {
      controller: {
        // Plain Deployments and Services: no Knative or Istio to run and patch.
        deploymentMode: "Standard",
        gateway: kserveGatewayValues(ctx),
        nodeSelector: onSystemNodes(ctx),
      },
      // KServe injects this container into every InferenceService pod that downloads a model, in
      // team namespaces that enforce restricted: the chart's default has no seccomp profile.
      storage: {
        containerSecurityContext: {
          allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true,
          capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
        },
      },
    },
  }),
};

/**
 * With the inference gateway, every InferenceService gets an HTTPRoute on the shared Gateway at
 * https://<name>-<team>.<hostname> (KServe's default domain template); without it, no route at all.
 */
function kserveGatewayValues(ctx: AddonContext) {
  const gateway = ctx.config.addons.gateway;
  if (!gateway.enabled) return { disableIngressCreation: true };
  return {
    domain: gateway.hostname,
    urlScheme: "https",
    disableIngressCreation: false,
    ingressGateway: { enableGatewayApi: true, kserveGateway: `${inferenceGatewayNamespace}/${gatewayName}`, createGateway: false, className: gatewayClassName },
  };
}

export const kserveRuntimes: Addon = {
  id: "kserve",
  release: "kserve-runtimes",
  chart: charts.kserveRuntimes,
  namespace: "kserve",
  after: [kserveCrd, kserve],
  wanted: (config) => config.addons.kserve.runtimes.length > 0,
  values: (ctx: AddonContext) => kserveRuntimeValues(ctx),
};

export const keda: Addon = {
  id: "keda",
  release: "keda",
  chart: charts.keda,
  namespace: "keda",
  namespaceLabels: noHostAccess,
  after: [],
  // It scales what KServe serves; without KServe nothing asks for it.
  wanted: (config) => config.addons.kserve.enabled,
  // Its metrics API server: what every HorizontalPodAutoscaler on an external metric reads.
  serves: ["v1beta1.external.metrics.k8s.io"],
  values: (ctx: AddonContext) => ({
    // Operator, metrics API server and webhooks alike; their chart requests are kept.
    nodeSelector: onSystemNodes(ctx),
    image: { pullPolicy: "IfNotPresent" },
    // The operator reads Secrets only in its own namespace: the platform's triggers need none.
    permissions: { operator: { restrict: { secret: true } } },
  }),
};

/**
 * The wake path for models at zero replicas: the interceptor holds each request (up to the
 * readiness timeout) while KEDA scales the model up on the interceptor's pending-request count, a
 * signal that exists while no model pod does. Installed with the gateway, which routes to it.
 */
export const kedaHttp: Addon = {
  id: "keda",
  release: "keda-add-ons-http",
  chart: charts.kedaHttp,
  namespace: "keda",
  after: [keda],
  wanted: (config) => config.addons.kserve.enabled && config.addons.gateway.enabled,
  values: (ctx: AddonContext) => scaleFromZeroValues(ctx),
};

export const argocd: Addon = {
  id: "argocd",
  release: "argocd",
  chart: charts.argocd,
  namespace: "argocd",
  namespaceLabels: noHostAccess,
  after: [],
  uis: [{ name: "argocd", service: "argocd-server", port: 443, localPort: 8080 }],
  values: (ctx: AddonContext) => argocdValues(ctx, onSystemNodes(ctx)),
};

export const addonCatalog: readonly Addon[] = [
  certManager, gpuOperator, monitoring, draDriver, kueue, gatewayApiCrds, envoyGateway, aiGatewayCrds, aiGateway, kserveCrd, kserve, kserveRuntimes, keda, kedaHttp, argocd,
];
