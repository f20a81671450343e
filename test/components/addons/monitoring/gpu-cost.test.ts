import { strict as assert } from "assert";
import { costRecords, gpuCostAlerts, gpuCostDashboard, gpuCostRules, poolGpuPrices } from "../../../../components/addons/monitoring/gpu-cost";
import { modelCost } from "../../../../plan/report/cost";
import { one, plan, release } from "../../../helpers/plan";
import { syntaxError, vectorSelectors } from "../../../helpers/promql";
import { parse, stackSettings } from "../../../helpers/settings";

type Obj = Record<string, any>;

/**
 * Metric and label names the pinned exporters publish: kube-state-metrics 2.x (kube-prometheus-stack
 * 88.5.3's subchart 8.4.0), DCGM exporter 4.x field names with the labels the platform's
 * ServiceMonitor adds, Kueue v0.19.2 pkg/metrics (cluster_queue, flavor, resource).
 */
const published: Record<string, string[]> = {
  kube_pod_container_resource_requests: ["namespace", "pod", "container", "node", "resource", "unit"],
  kube_pod_status_phase: ["namespace", "pod", "phase"],
  kube_node_labels: ["node", "label_gpu_platform_io_pool"],
  DCGM_FI_DEV_GPU_UTIL: ["gpu", "UUID", "pool", "team", "node", "exported_namespace", "exported_pod"],
  kueue_cluster_queue_resource_usage: ["cluster_queue", "flavor", "resource"],
  kueue_cluster_queue_nominal_quota: ["cluster_queue", "flavor", "resource"],
};
const recorded = Object.values(costRecords);

function check(expr: string): void {
  const at = syntaxError(expr);
  assert.equal(at, undefined, `PromQL syntax error at ${at} in ${expr}`);
  for (const { metric, labels } of vectorSelectors(expr)) {
    assert.ok(metric in published || recorded.includes(metric as never), `${metric} is published by no pinned exporter (in ${expr})`);
    for (const label of labels) assert.ok(!(metric in published) || published[metric].includes(label), `${metric} has no label ${label}`);
  }
}

const grafana = (expr: string) => expr.replace(/\$__range/g, "30d").replace(/\$\{?(\w+)\}?/g, ".*");

describe("GPU cost while it runs", () => {
  it("writes every rule, alert and dashboard query as PromQL over names the pinned exporters publish", () => {
    const config = parse(stackSettings("eu-prod"), "eu-prod");
    const exprs = [
      ...gpuCostRules(config).map((r) => r.expr),
      ...gpuCostAlerts(50).map((a) => a.expr),
      ...((gpuCostDashboard().panels as Obj[]).flatMap((p) => p.targets.map((t: Obj) => grafana(t.expr)))),
    ];
    assert.ok(exprs.length >= 12);
    for (const expr of exprs) check(expr);
    assert.throws(() => check('sum(gpu_made_up_metric{pool="x"})'), /published by no pinned exporter/);
    assert.throws(() => check(`DCGM_FI_DEV_GPU_UTIL{namespace="x"}`), /has no label namespace/);
  });

  it("prices each pool in its rule exactly as the plan's cost model does", async () => {
    for (const stack of ["eu-prod", "gke-eu", "aks-eu"]) {
      const config = parse(stackSettings(stack), stack);
      const model = modelCost(config);
      for (const price of poolGpuPrices(config)) {
        const line = model.lines.find((l) => l.item.startsWith(`GPU pool ${price.pool} `))!;
        const planHourly = Number(/× ([\d.]+) \$\/GPU-h/.exec(line.basis)![1]);
        assert.equal(+price.usdPerGpuHour.toFixed(3), planHourly, `${stack} ${price.pool}`);
        const rule = gpuCostRules(config).find((r) => r.record === costRecords.unitPrice && r.labels?.pool === price.pool)!;
        const unitPrice = Number(/vector\(([\d.]+)\)/.exec(rule.expr)![1]);
        assert.ok(Math.abs(unitPrice * price.unitsPerGpu - price.usdPerGpuHour) < 1e-5, `${stack} ${price.pool}: ${unitPrice} × ${price.unitsPerGpu}`);
      }
    }
  });

  it("counts claims on DRA pools from DCGM, since a claim is not a resource request", () => {
    const config = parse(stackSettings("eu-prod"), "eu-prod");
    const allocated = gpuCostRules(config).find((r) => r.record === costRecords.allocated)!;
    assert.match(allocated.expr, /or count by \(team, pool\) \(DCGM_FI_DEV_GPU_UTIL\{team!="", pool=~"l40s-dra"\}\)$/);
    const dev = gpuCostRules(parse(stackSettings("dev"))).find((r) => r.record === costRecords.allocated)!;
    assert.doesNotMatch(dev.expr, /DCGM/);
  });

  it("installs the rules, the alert and the dashboard with monitoring, and turns Kueue's queue metrics on", async () => {
    const p = await plan("eu-prod");
    const rule = one(p, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "gpu-monitoring-cost").inputs.spec as Obj;
    assert.deepEqual(rule.groups.map((g: Obj) => g.name), ["gpu-platform.gpu-cost-records", "gpu-platform.gpu-cost-alerts"]);
    assert.match(rule.groups[1].rules[0].expr, /> 0\.5$/, "the default idle share is 50%");
    const kueue = release(p, "kueue")!.inputs.values as Obj;
    assert.equal(kueue.enablePrometheus, true);
    assert.match(kueue.managerConfig.controllerManagerConfigYaml, /enableClusterQueueResources: true/);
    const ksm = (release(p, "kube-prometheus-stack")!.inputs.values as Obj)["kube-state-metrics"];
    assert.ok(ksm.metricLabelsAllowlist.includes("nodes=[gpu-platform.io/pool]"));
  });
});
