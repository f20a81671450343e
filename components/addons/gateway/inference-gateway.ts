import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import type { GatewayPlan } from "../../../stacks/load";
import { internalLoadBalancerAnnotations } from "../../../stacks/load-balancers";
import type { Cloud } from "../../../stacks/schema";
import { labelDomain } from "../../cluster/contract";
import { podSecurity } from "../addon";
import { requests } from "../requests";
import {
  envoyGatewayControllerName, envoyGatewayNamespace, exposureAnnotation, gatewayClassName, gatewayKeySecretName, gatewayName, inferenceGatewayNamespace, listeners, teamHeader, tokenCostMetadata,
} from "./names";
import { rateLimitRules, teamLimits } from "./team-limits";

export interface InferenceGatewayArgs {
  readonly gateway: GatewayPlan;
  readonly cloud: Cloud;
  readonly clusterName: string;
  readonly teams: ReturnType<typeof teamLimits>;
  readonly provider: k8s.Provider;
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** The Prometheus release, when installed: the proxies' and the rate limiter's metrics are scraped. */
  readonly prometheus?: pulumi.Resource;
  /** Envoy Gateway, the AI Gateway and cert-manager: their CRDs and controllers come first. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** The annotations and type of the Envoy proxies' Service, from the stack's exposure. */
export function gatewayService(gateway: GatewayPlan, cloud: Cloud): { type: "LoadBalancer" | "ClusterIP"; annotations: Record<string, string> } {
  if (gateway.exposure === "clusterIP") return { type: "ClusterIP", annotations: {} };
  const internal = gateway.exposure === "internal" && cloud !== "existing" ? internalLoadBalancerAnnotations[cloud] : {};
  return { type: "LoadBalancer", annotations: { ...internal, ...gateway.serviceAnnotations } };
}

/**
 * The one way into every model: a Gateway with TLS on the stack's hostname, routes admitted only
 * from team namespaces, an API key per team, and each team's request and token limits enforced
 * before a request reaches a GPU. Teams add routes (KServe's per model, AIGatewayRoutes for the
 * OpenAI-compatible endpoint) from their own namespaces; the policies here are the platform's.
 */
export class InferenceGateway extends pulumi.ComponentResource {
  /** Per team: its API key (secret), which the team's namespace also receives. */
  readonly teamKeys: ReadonlyMap<string, pulumi.Output<string>>;
  /** PEM of the CA that signs the listener's certificate when the platform issues it; clients trust this. */
  readonly caCertificate?: pulumi.Output<string>;
  readonly hostname: string;
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: InferenceGatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:InferenceGateway", name, {}, opts);
    const { gateway } = args;
    this.hostname = gateway.hostname;
    const namespace = new k8s.core.v1.Namespace(name, {
      metadata: { name: inferenceGatewayNamespace, labels: podSecurity("restricted") },
    }, { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] });
    const inNamespace: pulumi.CustomResourceOptions = { parent: this, provider: args.provider, dependsOn: [namespace, ...args.dependsOn] };
    const metadata = (objectName: string) => ({ name: objectName, namespace: inferenceGatewayNamespace });
    const custom = (suffix: string, apiVersion: string, kind: string, objectName: string, spec: pulumi.Inputs, extra: pulumi.CustomResourceOptions = {}, annotations?: Record<string, string>) =>
      new k8s.apiextensions.CustomResource(`${name}-${suffix}`, { apiVersion, kind, metadata: { ...metadata(objectName), ...(annotations ? { annotations } : {}) }, spec }, { ...inNamespace, ...extra });

    // TLS: a certificate for the hostname and every model's name under it.
    const tlsSecret = "inference-gateway-tls";
    let issuerRef: { kind: string; name: string };
    const issuerDependencies: pulumi.Resource[] = [];
    if (gateway.clusterIssuer) {
      issuerRef = { kind: "ClusterIssuer", name: gateway.clusterIssuer };
    } else {
      // The CA is made here rather than by cert-manager so its certificate is known to the stack:
      // it is a stack output and a ConfigMap in every team namespace, for clients to trust.
      const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
      const caCert = new tls.SelfSignedCert(`${name}-ca`, {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${args.clusterName} inference gateway CA`, organization: "gpu-platform" },
        // Ten years; a new CA is `pulumi up --replace` on this resource, and clients fetch it again.
        validityPeriodHours: 87600,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      }, { parent: this });
      this.caCertificate = caCert.certPem;
      const caSecret = new k8s.core.v1.Secret(`${name}-ca`, {
        metadata: metadata("inference-gateway-ca"),
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": caCert.certPem, "tls.key": pulumi.secret(caKey.privateKeyPem) },
      }, inNamespace);
      issuerRef = { kind: "Issuer", name: "inference-gateway-ca" };
      issuerDependencies.push(custom("ca-issuer", "cert-manager.io/v1", "Issuer", issuerRef.name, { ca: { secretName: "inference-gateway-ca" } }, { dependsOn: [namespace, caSecret, ...args.dependsOn] }));
    }
    const certificate = custom("tls", "cert-manager.io/v1", "Certificate", tlsSecret, {
      secretName: tlsSecret,
      dnsNames: [gateway.hostname, `*.${gateway.hostname}`],
      issuerRef: { ...issuerRef, group: "cert-manager.io" },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      duration: "2160h",
      renewBefore: "720h",
    }, { dependsOn: [namespace, ...issuerDependencies, ...args.dependsOn] });

    const gatewayClass = new k8s.apiextensions.CustomResource(`${name}-class`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: gatewayClassName },
      spec: { controllerName: envoyGatewayControllerName, description: "Inference gateway: Envoy Gateway with the Envoy AI Gateway" },
    }, { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] });

    const service = gatewayService(gateway, args.cloud);
    const proxy = custom("proxy", "gateway.envoyproxy.io/v1alpha1", "EnvoyProxy", "inference-proxy", {
      provider: {
        type: "Kubernetes",
        kubernetes: {
          envoyService: { type: service.type, annotations: service.annotations },
          envoyDeployment: {
            replicas: gateway.replicas,
            pod: { nodeSelector: { ...args.systemNodeSelector } },
            container: { resources: requests("200m", "256Mi") },
          },
          ...(gateway.replicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
        },
      },
    }, {}, { [exposureAnnotation]: gateway.exposure });

    const extProc = custom("ai-config", "aigateway.envoyproxy.io/v1beta1", "GatewayConfig", "inference", {
      extProc: { kubernetes: { resources: requests("100m", "128Mi") } },
      // Counted on every route, whatever a team's own route says under other keys.
      globalLLMRequestCosts: [{ metadataKey: tokenCostMetadata.key, type: "TotalToken" }],
    });

    const teamsOnly = { namespaces: { from: "Selector", selector: { matchExpressions: [{ key: `${labelDomain}/team`, operator: "Exists" }] } } };
    const https = (listenerName: string, hostname: string) => ({
      name: listenerName, protocol: "HTTPS", port: 443, hostname,
      tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: tlsSecret }] },
      allowedRoutes: teamsOnly,
    });
    const gatewayResource = custom("gateway", "gateway.networking.k8s.io/v1", "Gateway", gatewayName, {
      gatewayClassName,
      infrastructure: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "inference-proxy" } },
      listeners: [https(listeners.openai, gateway.hostname), https(listeners.models, `*.${gateway.hostname}`)],
    }, { dependsOn: [namespace, gatewayClass, proxy, extProc, certificate, ...args.dependsOn] }, { "aigateway.envoyproxy.io/gateway-config": "inference" });
    const targetGateway = [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gatewayName }];

    // One API key per team, generated once and kept in the stack's encrypted state.
    const keys = new Map<string, pulumi.Output<string>>();
    const keySecrets = args.teams.map(({ team }) => {
      const key = new random.RandomPassword(`${name}-key-${team}`, { length: 48, special: false }, { parent: this });
      const secretKey = pulumi.secret(key.result);
      keys.set(team, secretKey);
      // Envoy Gateway reads client id → key; the client id becomes the team header.
      return new k8s.core.v1.Secret(`${name}-key-${team}`, {
        metadata: metadata(gatewayKeySecretName(team)),
        stringData: { [team]: secretKey },
      }, inNamespace);
    });
    this.teamKeys = keys;

    const ready: pulumi.Resource[] = [gatewayResource];
    if (args.teams.length > 0) {
      ready.push(custom("auth", "gateway.envoyproxy.io/v1alpha1", "SecurityPolicy", "team-api-keys", {
        targetRefs: targetGateway,
        apiKeyAuth: {
          credentialRefs: args.teams.map(({ team }) => ({ group: "", kind: "Secret", name: gatewayKeySecretName(team) })),
          // OpenAI clients send `Authorization: Bearer <key>`.
          extractFrom: [{ headers: ["Authorization"] }],
          forwardClientIDHeader: teamHeader,
          sanitize: true,
        },
      }, { dependsOn: [namespace, gatewayResource, ...keySecrets, ...args.dependsOn] }));
      ready.push(custom("limits", "gateway.envoyproxy.io/v1alpha1", "BackendTrafficPolicy", "team-rate-limits", {
        targetRefs: targetGateway,
        rateLimit: { global: { rules: rateLimitRules(args.teams) } },
      }, { dependsOn: [namespace, gatewayResource, ...args.dependsOn] }));
    }
    if (args.prometheus) this.scrapeMetrics(name, args.provider, [args.prometheus, ...args.dependsOn]);
    new TeamRouteRoles(`${name}-team-routes`, { provider: args.provider, dependsOn: args.dependsOn }, { parent: this });
    this.ready = ready;
    this.registerOutputs({});
  }

  /**
   * Envoy's own counters (requests, 429s by route: envoy_cluster_ratelimit_over_limit, upstream
   * latency) and the rate limiter's (ratelimit_service_rate_limit_over_limit and _within_limit per
   * descriptor, i.e. per team). Ports and paths: Envoy Gateway v1.8.1 internal/infrastructure/
   * kubernetes/{proxy,ratelimit}/resource_provider.go, both a container port named `metrics` (19001).
   */
  private scrapeMetrics(name: string, provider: k8s.Provider, dependsOn: pulumi.Resource[]): void {
    const monitor = (component: string, path: string) => new k8s.apiextensions.CustomResource(`${name}-metrics-${component}`, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: `inference-gateway-${component}`, namespace: envoyGatewayNamespace },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/managed-by": "envoy-gateway", "app.kubernetes.io/component": component } },
        podMetricsEndpoints: [{ port: "metrics", path }],
      },
    }, { parent: this, provider, dependsOn });
    monitor("proxy", "/stats/prometheus");
    monitor("ratelimit", "/metrics");
  }
}

/**
 * What a team may write about the gateway in its own namespace: routes and the backends they name.
 * Aggregated into the built-in `edit`/`admin` (and `view`) roles a team's RoleBinding grants.
 * Policies (SecurityPolicy, BackendTrafficPolicy, EnvoyPatchPolicy, GatewayConfig...) and Gateways
 * stay the platform's: a team's own would bypass its key or its limit.
 */
export const teamRouteRules = [
  { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes", "grpcroutes"] },
  { apiGroups: ["aigateway.envoyproxy.io"], resources: ["aigatewayroutes", "aiservicebackends"] },
  { apiGroups: ["gateway.envoyproxy.io"], resources: ["backends"] },
] as const;

class TeamRouteRoles extends pulumi.ComponentResource {
  constructor(name: string, args: { provider: k8s.Provider; dependsOn: readonly pulumi.Resource[] }, opts: pulumi.ComponentResourceOptions) {
    super("gpu-platform:addons:TeamRouteRoles", name, {}, opts);
    const role = (suffix: string, aggregateTo: string[], verbs: string[]) => new k8s.rbac.v1.ClusterRole(`${name}-${suffix}`, {
      metadata: {
        name: `gpu-platform:inference-routes:${suffix}`,
        labels: Object.fromEntries(aggregateTo.map((to) => [`rbac.authorization.k8s.io/aggregate-to-${to}`, "true"])),
      },
      rules: teamRouteRules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs })),
    }, { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] });
    role("edit", ["edit", "admin"], ["get", "list", "watch", "create", "update", "patch", "delete"]);
    role("view", ["view"], ["get", "list", "watch"]);
    this.registerOutputs({});
  }
}
