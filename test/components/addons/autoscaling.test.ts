/**
 * The autoscaling profiles teams copy from README.md, checked as they are written there: every
 * object against its reference CRD, every query as PromQL over the metrics vLLM exports, and the
 * scale-to-zero recipe end to end (the route reaches the interceptor, which reaches the model, which
 * a trigger that exists at zero replicas wakes).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { coldStartHoldMinutes, externalScalerAddress, interceptorProxy, modelHeader } from "../../../components/addons/autoscaling/scale-from-zero";
import { scaleFromZeroBackend } from "../../../components/addons/gateway/names";
import { inferenceServiceLabel } from "../../../components/addons/monitoring/serving-metrics";
import { one, ofType, plan } from "../../helpers/plan";
import { labelNames, syntaxError, vectorSelectors } from "../../helpers/promql";
import { customResourceProblems } from "../../helpers/reference";

type Obj = Record<string, any>;
const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");

/** Every YAML block of the README, as objects. */
const examples: Obj[] = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .flatMap((block) => parseAllDocuments(block[1]).map((doc) => doc.toJS() as Obj))
  .filter((doc) => doc && typeof doc.apiVersion === "string");

/**
 * vLLM's metric names (vllm/v1/metrics/loggers.py: vllm:num_requests_running, :num_requests_waiting,
 * :kv_cache_usage_perc, :time_to_first_token_seconds, labelled model_name and engine). Read at the
 * nearest revision available offline, not at v0.24.0 itself; gpu_cache_usage_perc was removed
 * before v0.24.0 (vLLM PRs 29330, 33323).
 */
const vllmMetrics = ["vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc", "vllm:time_to_first_token_seconds"];
/** Labels a series carries: vLLM's own, and what the platform's PodMonitor adds. */
const seriesLabels = ["model_name", "engine", "team", "model", "namespace", "pod", "instance", "job"];


const queries = () => [
  ...examples.filter((e) => e.kind === "InferenceService").flatMap((e) => (e.spec.predictor.autoScaling?.metrics ?? []).map((m: Obj) => m.external.metric.query as string)),
  ...examples.filter((e) => e.kind === "ScaledObject").flatMap((e) => e.spec.triggers.filter((t: Obj) => t.type === "prometheus").map((t: Obj) => t.metadata.query as string)),
];

describe("autoscaling profiles in the README", () => {
  it("has the objects a team copies, each valid against its reference CRD", () => {
    const kinds = new Set(examples.map((e) => e.kind));
    for (const kind of ["InferenceService", "ScaledObject", "InterceptorRoute", "AIServiceBackend", "AIGatewayRoute", "Backend"]) assert.ok(kinds.has(kind), kind);
    for (const example of examples) assert.deepEqual(customResourceProblems(example as { apiVersion: string; kind: string }), [], `${example.kind} ${example.metadata?.name}`);
  });

  it("labels every GPU InferenceService with its team's Kueue queue, which KServe passes to the pods the admission policy checks", () => {
    const gpuServices = examples.filter((e) => e.kind === "InferenceService" && (e.spec.predictor.model.resources?.limits?.["nvidia.com/gpu"] || e.spec.predictor.resourceClaims));
    assert.ok(gpuServices.length >= 4);
    for (const isvc of gpuServices) assert.equal(isvc.metadata.labels?.["kueue.x-k8s.io/queue-name"], "default", isvc.metadata.name);
  });

  it("scales on queries that parse as PromQL and name only metrics vLLM exports, with labels series carry", () => {
    const found = queries();
    assert.ok(found.length >= 2);
    for (const query of found) {
      const metrics = vectorSelectors(query).map((selector) => selector.metric).filter((metric) => metric !== "");
      const labels = labelNames(query);
      assert.equal(syntaxError(query), undefined, query);
      assert.ok(metrics.length > 0, query);
      for (const metric of metrics) assert.ok(vllmMetrics.includes(metric), `${metric} is not a vLLM metric`);
      for (const label of labels) assert.ok(seriesLabels.includes(label), `${label} is on no series`);
    }
    // The checker itself fails on a broken query and an unknown name.
    assert.notEqual(syntaxError("sum(vllm:num_requests_waiting{team="), undefined);
    assert.ok(!vllmMetrics.includes(vectorSelectors("sum(vllm:gpu_cache_usage_perc)")[0].metric));
  });

  it("gives a model at zero replicas a wake path: route → interceptor → model, woken by a trigger that exists without pods", () => {
    const zero = examples.find((e) => e.kind === "InferenceService" && e.spec.predictor.minReplicas === 0)!;
    assert.equal(zero.metadata.annotations["serving.kserve.io/autoscalerClass"], "external", "KServe must leave the replica count to KEDA");
    const predictor = `${zero.metadata.name}-predictor`;
    const scaled = examples.find((e) => e.kind === "ScaledObject" && e.spec.scaleTargetRef.name === predictor)!;
    assert.equal(scaled.spec.minReplicaCount, 0);
    const push = scaled.spec.triggers.find((t: Obj) => t.type === "external-push");
    assert.equal(push.metadata.scalerAddress, externalScalerAddress);
    const route = examples.find((e) => e.kind === "InterceptorRoute" && e.metadata.name === push.metadata.interceptorRoute)!;
    assert.equal(route.metadata.namespace, scaled.metadata.namespace, "the scaler looks the route up in the ScaledObject's namespace");
    assert.deepEqual(route.spec.target, { service: predictor, port: 80 });
    const header = route.spec.rules[0].headers[0];
    assert.equal(header.name, modelHeader);
    const backend = examples.find((e) => e.kind === "AIServiceBackend" && e.spec.backendRef.name === scaleFromZeroBackend)!;
    assert.deepEqual(backend.spec.headerMutation.set, [{ name: header.name, value: header.value }]);
    const aiRoute = examples.filter((e) => e.kind === "AIGatewayRoute").find((e) => e.spec.rules.some((r: Obj) => r.backendRefs.some((b: Obj) => b.name === backend.metadata.name) && r.timeouts))!;
    const rule = aiRoute.spec.rules.find((r: Obj) => r.timeouts);
    assert.ok(parseInt(rule.timeouts.request, 10) >= coldStartHoldMinutes, "the gateway waits at least as long as the interceptor holds");
  });

  it("ships that path: the interceptor holds for the documented time, each team has the Backend to it, and may be reached by it", async () => {
    const p = await plan("dev");
    const interceptor = (one(p, "kubernetes:helm.sh/v3:Release", "keda-add-ons-http").inputs.values as Obj).interceptor;
    assert.equal(interceptor.readinessTimeout, `${coldStartHoldMinutes}m`);
    const backend = one(p, "kubernetes:gateway.envoyproxy.io/v1alpha1:Backend", "team-search-scale-from-zero").inputs;
    assert.deepEqual(backend.metadata, { name: scaleFromZeroBackend, namespace: "search" });
    assert.deepEqual((backend.spec as Obj).endpoints, [{ fqdn: { hostname: interceptorProxy.host, port: interceptorProxy.port } }]);
    const allow = one(p, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-search-allow").inputs.spec as Obj;
    assert.ok(allow.ingress[0].from.some((f: Obj) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "keda"));
  });

  it("serves the external-metrics API custom-metric autoscaling reads, from KEDA's metrics server", async () => {
    const { keda } = await import("../../../components/addons/catalog");
    assert.deepEqual(keda.serves, ["v1beta1.external.metrics.k8s.io"]);
    const values = one(await plan("dev"), "kubernetes:helm.sh/v3:Release", "addons-keda").inputs.values as Obj;
    assert.notEqual(values.metricsServer?.enabled, false);
    assert.deepEqual(values.nodeSelector, { "gpu-platform.io/role": "system" });
  });

  it("scrapes every team's serving pods where the profile's queries look, labelled by team and model", async () => {
    const p = await plan("dev");
    const monitor = one(p, "kubernetes:monitoring.coreos.com/v1:PodMonitor", "serving-metrics").inputs.spec as Obj;
    assert.deepEqual(monitor.namespaceSelector.matchNames, ["search", "assistants"]);
    assert.deepEqual(monitor.selector.matchExpressions, [{ key: inferenceServiceLabel, operator: "Exists" }]);
    const endpoint = monitor.podMetricsEndpoints[0];
    assert.deepEqual([endpoint.portNumber, endpoint.path], [8080, "/metrics"]);
    assert.deepEqual(endpoint.relabelings.map((r: Obj) => r.targetLabel).sort(), ["model", "team"]);
    const address = examples.find((e) => e.kind === "ScaledObject")!.spec.triggers.find((t: Obj) => t.type === "prometheus").metadata.serverAddress;
    const prometheus = ofType(p, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "kube-prometheus-stack")!;
    assert.equal(address, `http://kube-prometheus-stack-prometheus.${String(prometheus.inputs.namespace)}.svc:9090`);
  });
});

describe("GPU nodes follow the models down", () => {
  it("lets no platform pod tolerate the GPU taint but the GPU Operator's", async () => {
    for (const stack of ["dev", "gke-eu", "aks-eu"]) {
      const p = await plan(stack);
      const tolerating: string[] = [];
      const visit = (value: unknown, where: string) => {
        if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
        else if (value && typeof value === "object") {
          for (const [key, child] of Object.entries(value as Obj)) {
            if (key === "tolerations" && Array.isArray(child) && child.some((t: Obj) => t.key === "nvidia.com/gpu" || (t.operator === "Exists" && !t.key))) tolerating.push(where);
            else visit(child, `${where}.${key}`);
          }
        }
      };
      for (const r of p.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor")) visit(r.inputs, r.name);
      // Kueue's flavors tolerate for the workloads they admit; only the GPU Operator runs pods there.
      assert.deepEqual(tolerating.filter((where) => !where.includes("-gpu-operator")), [], stack);
      assert.ok(tolerating.some((where) => where.includes("-gpu-operator")), `${stack}: the search found not even the GPU Operator's tolerations`);
    }
  });

  it("removes a GPU node 10 minutes after it empties on Karpenter, and never evicts running inference to do so", async () => {
    for (const stack of ["dev", "aks-eu"]) {
      for (const pool of ofType(await plan(stack), "kubernetes:karpenter.sh/v1:NodePool")) {
        const disruption = (pool.inputs.spec as Obj).disruption;
        assert.deepEqual([disruption.consolidationPolicy, disruption.consolidateAfter], ["WhenEmpty", "10m"], stack);
      }
    }
  });
});
