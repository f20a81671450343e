import type { AddonContext } from "../addon";
import { requests } from "../requests";
import { aiGatewayNamespace, envoyGatewayControllerName, envoyGatewayNamespace } from "./names";
import { rateLimitStoreUrl } from "./rate-limit-store";

const onSystemNodes = (ctx: AddonContext) => ({ ...ctx.cluster.systemNodeSelector });

/**
 * gateway-crds-helm v1.8.1: Gateway API v1.5.1 from its standard channel, with its safe-upgrades
 * ValidatingAdmissionPolicy (refuses experimental CRDs over standard ones and downgrades below
 * 1.5), and Envoy Gateway's own CRDs. Both are templates here, so `helm upgrade` updates them;
 * CRDs in a chart's crds/ folder are installed once and never upgraded.
 */
export const gatewayApiCrdValues = () => ({
  crds: {
    gatewayAPI: { enabled: true, channel: "standard" },
    envoyGateway: { enabled: true },
  },
});

/**
 * Envoy Gateway v1.8.1, its CRDs left to the CRD release (the release installs with skipCrds).
 * `config.envoyGateway` is the controller's configuration file; what the AI Gateway needs in it is
 * envoyproxy/ai-gateway v1.1.0 manifests/envoy-gateway-values.yaml (the Backend API, the extension
 * hooks and where its controller listens).
 */
export function envoyGatewayValues(ctx: AddonContext) {
  return {
    // The CRD release installs the safe-upgrades policy; a second owner would fail the install.
    crds: { gatewayAPI: { safeUpgradePolicy: { enabled: false } } },
    deployment: {
      replicas: ctx.config.protect ? 2 : 1,
      envoyGateway: { resources: requests("100m", "256Mi") },
      pod: { nodeSelector: onSystemNodes(ctx) },
    },
    podDisruptionBudget: { minAvailable: ctx.config.protect ? 1 : 0 },
    certgen: { job: { nodeSelector: onSystemNodes(ctx), resources: requests("10m", "32Mi") } },
    config: {
      envoyGateway: {
        gateway: { controllerName: envoyGatewayControllerName },
        provider: {
          type: "Kubernetes",
          kubernetes: {
            rateLimitDeployment: {
              replicas: ctx.config.protect ? 2 : 1,
              pod: { nodeSelector: onSystemNodes(ctx) },
              container: { resources: requests("50m", "64Mi") },
            },
          },
        },
        logging: { level: { default: "info" } },
        extensionApis: { enableEnvoyPatchPolicy: true, enableBackend: true },
        extensionManager: {
          hooks: {
            xdsTranslator: {
              translation: { listener: { includeAll: true }, route: { includeAll: true }, cluster: { includeAll: true }, secret: { includeAll: true } },
              post: ["Translation", "Cluster", "Route"],
            },
          },
          service: { fqdn: { hostname: `ai-gateway-controller.${aiGatewayNamespace}.svc.cluster.local`, port: 1063 } },
        },
        rateLimit: { backend: { type: "Redis", redis: { url: rateLimitStoreUrl(envoyGatewayNamespace) } } },
      },
    },
  };
}

/**
 * Envoy AI Gateway v1.1.0's controller. Its webhook injects the external processor (which reads
 * the `model` field and counts tokens) into the Envoy proxies Envoy Gateway starts; that container's
 * requests come from the Gateway's GatewayConfig.
 */
export function aiGatewayValues(ctx: AddonContext) {
  return {
    controller: {
      nodeSelector: onSystemNodes(ctx),
      resources: requests("50m", "128Mi"),
      replicaCount: ctx.config.protect ? 2 : 1,
      podDisruptionBudget: { enabled: ctx.config.protect },
      // The webhook fails closed on every pod Envoy Gateway starts (proxies, rate limiter): its
      // certificate must renew itself. The chart's own is made once, for a year, and never again.
      mutatingWebhook: { certManager: { enable: true } },
      // Keys MCP sessions; the chart's default seed is a public string.
      mcp: { sessionEncryption: { seed: ctx.credentials.aiGatewaySessionSeed } },
    },
    envoyGateway: { namespace: envoyGatewayNamespace },
  };
}
