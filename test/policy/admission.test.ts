import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { AdmissionPolicySpec, admissionPolicies, readPackConfig } from "../../policy/admission";
import { internalLoadBalancerAnnotations } from "../../stacks/load-balancers";
import { refusals } from "../helpers/admission";
import { ofType, plan } from "../helpers/plan";

type Obj = Record<string, any>;
const policiesFor = (environment: string, dra = true) => admissionPolicies(readPackConfig(environment), { dra });
const named = (policies: AdmissionPolicySpec[], name: string) => policies.find((p) => p.name === name)!;
const prod = policiesFor("prod");
const dev = policiesFor("dev");

const pod = (spec: Obj, labels: Obj = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "search", labels }, spec: { containers: [{ name: "c", image: "vllm/vllm-openai:v0.24.0" }], ...spec } });
const gpuContainer = { name: "c", image: "vllm/vllm-openai:v0.24.0", resources: { limits: { "nvidia.com/gpu": "1" } } };
const service = (type: string, annotations?: Obj) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "search", ...(annotations ? { annotations } : {}) }, spec: { type, ports: [{ port: 80 }] } });

describe("admission policies (ValidatingAdmissionPolicy CEL, evaluated)", () => {
  describe("no public Services or Gateways in team namespaces", () => {
    const services = named(prod, "gpu-platform-no-public-services");
    it("admits ClusterIP and each managed cloud's internal load balancer, refuses a public one and NodePort", () => {
      assert.deepEqual(refusals(services, service("ClusterIP")), []);
      assert.deepEqual(refusals(services, { ...service("ClusterIP"), spec: { ports: [{ port: 80 }] } }), [], "no type is ClusterIP");
      for (const [cloud, annotations] of Object.entries(internalLoadBalancerAnnotations)) assert.deepEqual(refusals(services, service("LoadBalancer", annotations)), [], cloud);
      assert.match(refusals(services, service("LoadBalancer")).join(), /must carry the cloud's internal-load-balancer annotation/);
      assert.match(refusals(services, service("LoadBalancer", { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" })).join(), /internal-load-balancer/);
      assert.match(refusals(services, service("NodePort")).join(), /NodePort Services open a port on every node/);
    });

    it("refuses any Gateway a team creates", () => {
      const gateway = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "mine", namespace: "search" }, spec: { gatewayClassName: "inference", listeners: [] } };
      assert.match(refusals(named(prod, "gpu-platform-no-team-gateways"), gateway).join(), /Gateways and listeners are the platform's/);
    });
  });

  describe("GPU pods go through their team's queue", () => {
    const queued = named(prod, "gpu-platform-gpu-pods-queued");
    it("admits pods without GPUs, and GPU pods that name the team's LocalQueue", () => {
      assert.deepEqual(refusals(queued, pod({})), []);
      assert.deepEqual(refusals(queued, pod({ containers: [gpuContainer] }, { "kueue.x-k8s.io/queue-name": "default" })), []);
    });

    it("refuses GPUs asked for by count, by request or by claim without the queue label", () => {
      assert.equal(refusals(queued, pod({ containers: [gpuContainer] })).length, 1);
      assert.equal(refusals(queued, pod({ containers: [{ ...gpuContainer, resources: { requests: { "nvidia.com/gpu": "1" } } }] }, { app: "x" })).length, 1);
      assert.equal(refusals(queued, pod({ resourceClaims: [{ name: "gpu", resourceClaimTemplateName: "gpu" }] })).length, 1);
      assert.equal(refusals(queued, pod({ initContainers: [gpuContainer] })).length, 1);
      assert.match(refusals(queued, pod({ containers: [gpuContainer] }, { "kueue.x-k8s.io/queue-name": "other" })).join(), /kueue\.x-k8s\.io\/queue-name=default/);
    });
  });

  describe("images only from approved registries", () => {
    const registries = named(prod, "gpu-platform-approved-registries");
    it("reads Docker Hub short names as the pack does, and checks init containers too", () => {
      assert.deepEqual(refusals(registries, pod({})), [], "vllm/vllm-openai is docker.io/vllm");
      assert.deepEqual(refusals(registries, pod({ containers: [{ name: "c", image: "nvcr.io/nvidia/cuda:12.9.0-base" }, { name: "d", image: "busybox:1.37" }] })), []);
      assert.equal(refusals(registries, pod({ containers: [{ name: "c", image: "someone/vllm:1" }] })).length, 1);
      assert.equal(refusals(registries, pod({ initContainers: [{ name: "i", image: "registry.example.com/tools/fetch:1" }] })).length, 1);
    });

    it("takes its list from the pack config's rule, so the two cannot drift", () => {
      const mirrored = admissionPolicies({ "container-images-from-approved-registries": { allowedRegistries: ["registry.example.com"] } }, { dra: false });
      const policy = named(mirrored, "gpu-platform-approved-registries");
      assert.deepEqual(refusals(policy, pod({ containers: [{ name: "c", image: "registry.example.com/ml/vllm:1" }] })), []);
      assert.equal(refusals(policy, pod({})).length, 1);
    });
  });

  describe("no host access outside the GPU Operator's namespace", () => {
    const host = named(prod, "gpu-platform-no-host-access");
    it("refuses host networking, host paths and privileged containers, init ones included", () => {
      assert.deepEqual(refusals(host, pod({})), []);
      assert.equal(refusals(host, pod({ hostNetwork: true })).length, 1);
      assert.equal(refusals(host, pod({ volumes: [{ name: "root", hostPath: { path: "/" } }] })).length, 1);
      assert.equal(refusals(host, pod({ initContainers: [{ name: "i", image: "nvcr.io/x:1", securityContext: { privileged: true } }] })).length, 1);
      assert.deepEqual(refusals(host, pod({ volumes: [{ name: "cache", emptyDir: {} }], containers: [{ name: "c", image: "nvcr.io/x:1", securityContext: { privileged: false } }] })), []);
    });

    it("covers every namespace but the GPU Operator's and the cloud's own, whatever their labels", () => {
      assert.deepEqual(host.namespaces, { except: ["gpu-operator", "kube-system", "kube-node-lease", "kube-public", "gke-managed-system", "gmp-system", "gke-gmp-system"] });
    });
  });

  describe("DRA claims name only allowed DeviceClasses and slices", () => {
    const template = (deviceClassName: string) => ({ apiVersion: "resource.k8s.io/v1", kind: "ResourceClaimTemplate", metadata: { name: "t", namespace: "search" }, spec: { spec: { devices: { requests: [{ name: "gpu", exactly: { deviceClassName, allocationMode: "ExactCount", count: 1 } }] } } } });
    const claim = (deviceClassName: string) => ({ apiVersion: "resource.k8s.io/v1", kind: "ResourceClaim", metadata: { name: "c", namespace: "search" }, spec: { devices: { requests: [{ name: "gpu", exactly: { deviceClassName } }] } } });
    it("holds dev to 3g slices and every environment to the offered classes, in templates and claims alike", () => {
      const devDra = named(dev, "gpu-platform-dra-device-classes");
      const prodDra = named(prod, "gpu-platform-dra-device-classes");
      assert.deepEqual(refusals(devDra, template("gpu.nvidia.com")), []);
      assert.deepEqual(refusals(devDra, template("mig-3g-20gb.gpu-platform.io")), []);
      assert.match(refusals(devDra, template("mig-4g-20gb.gpu-platform.io")).join(), /MIG slices up to 3g/);
      assert.deepEqual(refusals(prodDra, claim("mig-7g-80gb.gpu-platform.io")), []);
      assert.match(refusals(prodDra, claim("vfio.gpu.nvidia.com")).join(), /only the DeviceClasses this environment offers/);
    });

    it("exists only where the stack has DRA pools", () => {
      assert.equal(policiesFor("prod", false).some((p) => p.name === "gpu-platform-dra-device-classes"), false);
    });
  });

  describe("gateway guards: team routes stay inside the team and its limits", () => {
    const guards = { modelHeader: "x-gpu-platform-model", interceptorHost: "keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local", tokenCostKey: "gpu_platform_total_tokens" };
    const withGateway = admissionPolicies(readPackConfig("prod"), { dra: false, gateway: guards });
    it("keeps a team's Backends on its own Services or the interceptor", () => {
      const backends = named(withGateway, "gpu-platform-team-backends-stay-home");
      const backend = (hostname: string) => ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "Backend", metadata: { name: "b", namespace: "search" }, spec: { endpoints: [{ fqdn: { hostname, port: 80 } }] } });
      assert.deepEqual(refusals(backends, backend("llama-v1-predictor.search.svc.cluster.local")), []);
      assert.deepEqual(refusals(backends, backend(guards.interceptorHost)), []);
      assert.equal(refusals(backends, backend("llama-v1-predictor.assistants.svc.cluster.local")).length, 1, "another team's model");
      assert.equal(refusals(backends, backend("api.example.com")).length, 1, "anywhere outside");
      assert.equal(refusals(backends, { ...backend("x"), spec: { endpoints: [{ ip: { address: "10.0.0.1", port: 80 } }] } }).length, 1, "an address");
    });

    it("lets an InterceptorRoute claim only its own namespace's models", () => {
      const routes = named(withGateway, "gpu-platform-interceptor-routes-own-models");
      const route = (value: string) => ({ apiVersion: "http.keda.sh/v1beta1", kind: "InterceptorRoute", metadata: { name: "r", namespace: "search" }, spec: { target: { service: "s", port: 80 }, scalingMetric: { concurrency: { targetValue: 1 } }, rules: [{ headers: [{ name: guards.modelHeader, value }] }] } });
      assert.deepEqual(refusals(routes, route("search.llama-v1")), []);
      assert.equal(refusals(routes, route("assistants.llama-v1")).length, 1);
      assert.equal(refusals(routes, { ...route("x"), spec: { ...route("x").spec, rules: [{ hosts: ["*"] }] } }).length, 1, "a catch-all would take every model");
    });

    it("keeps the token count the budgets read the platform's", () => {
      const costs = named(withGateway, "gpu-platform-token-costs-platform-owned");
      const route = (metadataKey: string) => ({ apiVersion: "aigateway.envoyproxy.io/v1beta1", kind: "AIGatewayRoute", metadata: { name: "r", namespace: "search" }, spec: { rules: [], llmRequestCosts: [{ metadataKey, type: "CEL", cel: "0" }] } });
      assert.deepEqual(refusals(costs, route("my_costs")), []);
      assert.match(refusals(costs, route(guards.tokenCostKey)).join(), /is the platform's/);
    });

    it("admit every object the README tells a team to write", () => {
      const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
      const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((block) => parseAllDocuments(block[1]).map((doc) => doc.toJS() as Obj)).filter((doc) => doc?.kind);
      const plural: Record<string, string> = { Backend: "backends", InterceptorRoute: "interceptorroutes", AIGatewayRoute: "aigatewayroutes", Service: "services", ResourceClaimTemplate: "resourceclaimtemplates" };
      const all = [...withGateway, ...prod];
      let checked = 0;
      for (const example of examples) {
        for (const policy of all.filter((p) => p.resources.some((r) => r.resources.includes(plural[example.kind])))) {
          checked++;
          assert.deepEqual(refusals(policy, example), [], `${policy.name} refuses the README's ${example.kind} ${example.metadata?.name}`);
        }
      }
      assert.ok(checked >= 4, `${checked} checks`);
    });

    it("are installed with the gateway, and not without it", async () => {
      const names = async (overrides = {}) => ofType(await plan("dev", overrides), "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((r) => (r.inputs.metadata as Obj).name as string);
      assert.ok((await names()).includes("gpu-platform-team-backends-stay-home"));
      assert.ok(!(await names({ "gpu-platform:addons": { gateway: { enabled: false } } })).includes("gpu-platform-team-backends-stay-home"));
    });
  });

  describe("bindings", () => {
    it("warn and audit in dev, deny in prod, from each environment's pack config", async () => {
      const modes = async (stack: string) => Object.fromEntries(ofType(await plan(stack), "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding")
        .map((b) => [(b.inputs.metadata as Obj).name, (b.inputs.spec as Obj).validationActions]));
      const devModes = await modes("dev");
      const prodModes = await modes("eu-prod");
      assert.ok(Object.keys(devModes).length >= 5);
      for (const actions of Object.values(devModes)) assert.deepEqual(actions, ["Warn", "Audit"]);
      for (const actions of Object.values(prodModes)) assert.deepEqual(actions, ["Deny"]);
      assert.ok("gpu-platform-dra-device-classes" in prodModes && !("gpu-platform-dra-device-classes" in devModes), "DRA's only with DRA pools");
    });

    it("scopes team policies to team namespaces, and each binding to its own policy", async () => {
      const p = await plan("eu-prod");
      for (const binding of ofType(p, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding")) {
        const spec = binding.inputs.spec as Obj;
        assert.equal(spec.policyName, (binding.inputs.metadata as Obj).name);
        const selector = spec.matchResources.namespaceSelector.matchExpressions[0];
        if (spec.policyName === "gpu-platform-no-host-access") assert.deepEqual([selector.key, selector.operator], ["kubernetes.io/metadata.name", "NotIn"]);
        else assert.deepEqual(selector, { key: "gpu-platform.io/team", operator: "Exists" });
      }
      for (const policy of ofType(p, "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy")) assert.equal((policy.inputs.spec as Obj).failurePolicy, "Fail");
    });

    it("closes the public load balancer path on every cloud", async () => {
      for (const stack of ["dev", "gke-eu", "aks-eu", "onprem"]) {
        const names = ofType(await plan(stack), "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((r) => (r.inputs.metadata as Obj).name);
        assert.ok(names.includes("gpu-platform-no-public-services") && names.includes("gpu-platform-no-team-gateways"), stack);
      }
    });
  });
});
