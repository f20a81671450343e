import { strict as assert } from "assert";
import type { Plan, PlannedResource } from "../../../plan/program";
import { one, ofType, plan, prerequisites, release } from "../../helpers/plan";

type Obj = Record<string, any>;
const envoyProxy = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy";
const gatewayType = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const trafficPolicy = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
const securityPolicy = "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy";
const spec = (r: PlannedResource) => r.inputs.spec as Obj;
const service = (p: Plan) => spec(ofType(p, envoyProxy)[0]).provider.kubernetes.envoyService as { type: string; annotations: Record<string, string> };
const rules = (p: Plan) => spec(ofType(p, trafficPolicy)[0]).rateLimit.global.rules as Obj[];
const teamOf = (rule: Obj) => rule.clientSelectors[0].headers[0].value as string;
const withGateway = (gateway: Obj) => ({ "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, gateway } });

describe("inference gateway", () => {
  describe("exposure", () => {
    it("is an internal load balancer on every managed cloud, with that cloud's own annotation", async () => {
      const expected: Record<string, Record<string, string>> = {
        dev: { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" },
        "gke-eu": { "networking.gke.io/load-balancer-type": "Internal" },
        "aks-eu": { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
      };
      for (const [stack, annotations] of Object.entries(expected)) {
        assert.deepEqual(service(await plan(stack)), { type: "LoadBalancer", annotations }, stack);
      }
    });

    it("is cluster-only when the stack asks, and public only when it says so", async () => {
      assert.deepEqual(service(await plan("dev", withGateway({ exposure: "clusterIP" }))), { type: "ClusterIP", annotations: {} });
      assert.deepEqual(service(await plan("dev", withGateway({ exposure: "public" }))), { type: "LoadBalancer", annotations: {} });
    });

    it("uses the existing cluster's own internal annotation", async () => {
      assert.deepEqual(service(await plan("onprem")), { type: "LoadBalancer", annotations: { "metallb.io/address-pool": "internal-vips" } });
    });

    it("puts the Gateway on the EnvoyProxy that says so; no Gateway falls back to Envoy Gateway's public default", async () => {
      const p = await plan("dev");
      const gateway = spec(one(p, gatewayType, "gateway-gateway"));
      assert.deepEqual(gateway.infrastructure.parametersRef, { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: (ofType(p, envoyProxy)[0].inputs.metadata as Obj).name });
      assert.equal((ofType(p, envoyProxy)[0].inputs.metadata as Obj).namespace, (one(p, gatewayType, "gateway-gateway").inputs.metadata as Obj).namespace);
    });
  });

  describe("listeners and routes", () => {
    it("terminates TLS for the hostname and every model under it, with a certificate for both", async () => {
      const p = await plan("dev", withGateway({ hostname: "llm.eu.example.com" }));
      const listeners = spec(ofType(p, gatewayType)[0]).listeners as Obj[];
      assert.deepEqual(listeners.map((l) => [l.name, l.protocol, l.port, l.hostname]), [["openai", "HTTPS", 443, "llm.eu.example.com"], ["models", "HTTPS", 443, "*.llm.eu.example.com"]]);
      const certificate = ofType(p, "kubernetes:cert-manager.io/v1:Certificate")[0];
      assert.deepEqual(spec(certificate).dnsNames, ["llm.eu.example.com", "*.llm.eu.example.com"]);
      for (const listener of listeners) assert.deepEqual(listener.tls.certificateRefs, [{ kind: "Secret", name: spec(certificate).secretName }]);
    });

    it("signs with the platform's own CA by default, or with the ClusterIssuer the stack names", async () => {
      const own = await plan("dev");
      assert.equal(spec(ofType(own, "kubernetes:cert-manager.io/v1:Certificate")[0]).issuerRef.kind, "Issuer");
      assert.equal(ofType(own, "tls:index/selfSignedCert:SelfSignedCert").length, 1);
      const acme = await plan("dev", withGateway({ clusterIssuer: "letsencrypt" }));
      assert.deepEqual(spec(ofType(acme, "kubernetes:cert-manager.io/v1:Certificate")[0]).issuerRef, { kind: "ClusterIssuer", name: "letsencrypt", group: "cert-manager.io" });
      assert.equal(ofType(acme, "tls:index/selfSignedCert:SelfSignedCert").length, 0);
      assert.equal(ofType(acme, "kubernetes:cert-manager.io/v1:Issuer").length, 0);
    });

    it("admits routes only from namespaces carrying the team label, which only team namespaces carry", async () => {
      const p = await plan("dev");
      const label = "gpu-platform.io/team";
      for (const listener of spec(ofType(p, gatewayType)[0]).listeners as Obj[]) {
        assert.deepEqual(listener.allowedRoutes, { namespaces: { from: "Selector", selector: { matchExpressions: [{ key: label, operator: "Exists" }] } } });
      }
      const labelled = ofType(p, "kubernetes:core/v1:Namespace").filter((ns) => label in ((ns.inputs.metadata as Obj).labels ?? {})).map((ns) => (ns.inputs.metadata as Obj).name).sort();
      assert.deepEqual(labelled, ["assistants", "search"]);
    });

    it("lets teams write routes and backends in their namespaces, never gateway policies", async () => {
      const roles = ofType(await plan("dev"), "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => String((r.inputs.metadata as Obj).name).startsWith("gpu-platform:inference-routes"));
      const edit = roles.find((r) => (r.inputs.metadata as Obj).labels["rbac.authorization.k8s.io/aggregate-to-edit"] === "true")!;
      const resources = (edit.inputs.rules as Obj[]).flatMap((rule) => rule.resources as string[]).sort();
      assert.deepEqual(resources, ["aigatewayroutes", "aiservicebackends", "backends", "grpcroutes", "httproutes"]);
      assert.ok(!resources.some((resource) => /polic|gateways$|envoyproxies|gatewayconfigs/.test(resource)));
    });
  });

  describe("teams: keys and limits", () => {
    it("gives each team exactly one request limit of its configured size, the default to the rest", async () => {
      const p = await plan("dev", withGateway({ defaultTeamLimit: { requestsPerMinute: 30 }, teamLimits: { search: { requestsPerMinute: 600 } } }));
      const requestRules = rules(p).filter((rule) => rule.cost === undefined);
      assert.deepEqual(requestRules.map((rule) => [teamOf(rule), rule.limit]).sort(), [["assistants", { requests: 30, unit: "Minute" }], ["search", { requests: 600, unit: "Minute" }]]);
      for (const rule of requestRules) assert.equal(rule.shared, true, "one bucket per team across every model");
    });

    it("adds a token budget where set, charged from the token count the AI Gateway records on every route", async () => {
      const p = await plan("dev", withGateway({ teamLimits: { search: { requestsPerMinute: 600, tokensPerMinute: 200000 } } }));
      const budgets = rules(p).filter((rule) => rule.cost !== undefined);
      assert.deepEqual(budgets.map((rule) => [teamOf(rule), rule.limit.requests]), [["search", 200000]]);
      const cost = budgets[0].cost;
      assert.deepEqual(cost.request, { from: "Number", number: 0 });
      const config = spec(ofType(p, "kubernetes:aigateway.envoyproxy.io/v1beta1:GatewayConfig")[0]);
      // envoyproxy/ai-gateway v1.1.0 api/v1beta1/shared_types.go: AIGatewayFilterMetadataNamespace.
      assert.deepEqual(cost.response.metadata, { namespace: "io.envoy.ai_gateway", key: config.globalLLMRequestCosts[0].metadataKey });
      assert.equal(config.globalLLMRequestCosts[0].type, "TotalToken");
      const gateway = one(p, gatewayType, "gateway-gateway").inputs.metadata as Obj;
      assert.equal(gateway.annotations["aigateway.envoyproxy.io/gateway-config"], (ofType(p, "kubernetes:aigateway.envoyproxy.io/v1beta1:GatewayConfig")[0].inputs.metadata as Obj).name);
    });

    it("limits on the header that API-key authentication sets from the key's team, on the same Gateway", async () => {
      const p = await plan("dev");
      const auth = spec(ofType(p, securityPolicy)[0]);
      assert.deepEqual(auth.apiKeyAuth.extractFrom, [{ headers: ["Authorization"] }]);
      assert.equal(auth.apiKeyAuth.sanitize, true);
      for (const rule of rules(p)) assert.equal(rule.clientSelectors[0].headers[0].name, auth.apiKeyAuth.forwardClientIDHeader);
      assert.deepEqual(auth.targetRefs, spec(ofType(p, trafficPolicy)[0]).targetRefs);
      assert.deepEqual(auth.targetRefs, [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: (one(p, gatewayType, "gateway-gateway").inputs.metadata as Obj).name }]);
      // One key Secret per team, keyed by the team's name: the client id Envoy forwards.
      const keyNames = (auth.apiKeyAuth.credentialRefs as Obj[]).map((ref) => ref.name).sort();
      assert.deepEqual(keyNames, ["team-assistants-api-key", "team-search-api-key"]);
      const gatewayNamespace = (one(p, gatewayType, "gateway-gateway").inputs.metadata as Obj).namespace;
      for (const name of keyNames) {
        const secret = ofType(p, "kubernetes:core/v1:Secret").find((s) => (s.inputs.metadata as Obj).name === name)!;
        assert.equal((secret.inputs.metadata as Obj).namespace, gatewayNamespace);
        assert.equal(secret.inputs.stringData, "[secret]");
      }
    });

    it("hands each team its key and the endpoint in its own namespace", async () => {
      const p = await plan("dev");
      const key = one(p, "kubernetes:core/v1:Secret", "team-search-gateway-key").inputs;
      assert.deepEqual(key.metadata, { name: "inference-api-key", namespace: "search" });
      const info = one(p, "kubernetes:core/v1:ConfigMap", "team-search-gateway").inputs.data as Obj;
      assert.equal(info.endpoint, "https://inference.gpu-dev.internal/v1");
      assert.match(String(info["ca.crt"]), /BEGIN CERTIFICATE/);
    });
  });

  describe("installation", () => {
    it("keeps the Gateway API standard channel: CRDs from their own release, none from Envoy Gateway's", async () => {
      const p = await plan("dev");
      const crds = release(p, "gateway-crds")!.inputs;
      assert.deepEqual((crds.values as Obj).crds.gatewayAPI, { enabled: true, channel: "standard" });
      const controller = release(p, "envoy-gateway")!.inputs;
      assert.equal(controller.skipCrds, true);
      assert.equal((controller.values as Obj).crds.gatewayAPI.safeUpgradePolicy.enabled, false);
    });

    it("points the rate limiter at the Redis the platform runs, on system nodes, and the AI Gateway's hooks at its controller", async () => {
      const p = await plan("dev");
      const values = release(p, "envoy-gateway")!.inputs.values as Obj;
      const redis = one(p, "kubernetes:core/v1:Service", "envoy-gateway-redis").inputs.metadata as Obj;
      assert.equal(values.config.envoyGateway.rateLimit.backend.redis.url, `${redis.name}.${redis.namespace}.svc.cluster.local:6379`);
      const deployment = one(p, "kubernetes:apps/v1:Deployment", "envoy-gateway-redis").inputs.spec as Obj;
      assert.deepEqual(deployment.template.spec.nodeSelector, { "gpu-platform.io/role": "system" });
      assert.match(deployment.template.spec.containers[0].image, /^public\.ecr\.aws\/docker\/library\/redis:\d+\.\d+\.\d+-alpine$/);
      const hook = values.config.envoyGateway.extensionManager.service.fqdn;
      const ai = release(p, "ai-gateway")!.inputs;
      assert.equal(hook.hostname, `ai-gateway-controller.${ai.namespace}.svc.cluster.local`);
      assert.equal(hook.port, 1063);
    });

    it("creates the Gateway after both controllers, so its Envoy pods get the AI Gateway's processor", async () => {
      const p = await plan("dev");
      const waitsOn = prerequisites(p);
      const gateway = one(p, gatewayType, "gateway-gateway");
      for (const name of ["envoy-gateway", "ai-gateway", "cert-manager"]) assert.ok(waitsOn(gateway).has(release(p, name)!.urn), name);
      assert.ok(waitsOn(release(p, "kserve")!).has(release(p, "gateway-crds")!.urn), "KServe starts only once the HTTPRoute CRD exists");
    });

    it("has Prometheus scrape the Envoy proxies and the rate limiter, where 429s per team show", async () => {
      const monitors = ofType(await plan("dev"), "kubernetes:monitoring.coreos.com/v1:PodMonitor").filter((m) => String((m.inputs.metadata as Obj).name).startsWith("inference-gateway"));
      assert.deepEqual(monitors.map((m) => [spec(m).selector.matchLabels["app.kubernetes.io/component"], spec(m).podMetricsEndpoints[0].path]).sort(), [["proxy", "/stats/prometheus"], ["ratelimit", "/metrics"]]);
      for (const m of monitors) assert.equal((m.inputs.metadata as Obj).namespace, "envoy-gateway-system");
      const without = ofType(await plan("dev", { "gpu-platform:addons": { monitoring: { enabled: false } } }), "kubernetes:monitoring.coreos.com/v1:PodMonitor");
      assert.equal(without.length, 0);
    });

    it("leaves nothing of the gateway behind when switched off", async () => {
      const p = await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false } } });
      // The admission policy that refuses team Gateways stays: it guards the cluster either way.
      const left = p.resources.filter((r) => !r.type.startsWith("kubernetes:admissionregistration.k8s.io/")).filter((r) => /gateway\.networking\.k8s\.io|envoyproxy\.io|cert-manager\.io|^tls:/.test(r.type)
        || (r.type === "kubernetes:helm.sh/v3:Release" && /gateway/.test(String(r.inputs.name)))
        || /inference-gateway|inference-api-key|^inference$|gateway/.test(String((r.inputs.metadata as Obj | undefined)?.name ?? ""))
        || /gateway/.test(String((r.inputs.metadata as Obj | undefined)?.namespace ?? "")));
      assert.deepEqual(left.map((r) => `${r.type} ${r.name}`), []);
    });
  });
});
