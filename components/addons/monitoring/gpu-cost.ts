/**
 * What each team's GPUs cost while the cluster runs: Prometheus recording rules per team and pool
 * (allocated, busy and idle GPUs, and their cost at the plan's own dated prices), an alert on a
 * team's idle share, and the "GPU cost by team" dashboard. Prices are generated from
 * stacks/gpu-prices.ts, the table the plan's cost model reads: there is no second copy.
 *
 * Sources of the series:
 * - kube-state-metrics 2.x: kube_pod_container_resource_requests{resource="nvidia_com_gpu"} (the
 *   device plugin's units a running pod asked for), kube_pod_status_phase, kube_node_labels (with
 *   the pool label allowed through metricLabelsAllowlist).
 * - DCGM exporter: DCGM_FI_DEV_GPU_UTIL per GPU with the pod holding it (exported_namespace, which
 *   the platform's ServiceMonitor copies to `team`) and the node's `pool`; on DRA pools the only
 *   record of who holds a GPU, since claims are not resource requests.
 * - Kueue: kueue_cluster_queue_resource_usage and kueue_cluster_queue_nominal_quota per ClusterQueue
 *   (team-<name>), flavor (gpu-<pool>) and resource.
 */
import { regionalGpuHourlyPrice } from "../../../stacks/gpu-prices";
import type { PlatformConfig } from "../../../stacks/load";
import { poolLabel } from "../../cluster/contract";
import { PanelSpec, queryVariable, timeseries } from "./gpu-dashboard";

/** `gpu-platform.io/pool` as kube-state-metrics names a node label it exports. */
export const ksmPoolLabel = `label_${poolLabel.replace(/[^a-zA-Z0-9]/g, "_")}`;

export const costRecords = {
  unitPrice: "gpu_platform:gpu_unit_price_usd_per_hour",
  unitsPerGpu: "gpu_platform:pool_units_per_gpu",
  allocated: "gpu_platform:team_gpus_allocated",
  busy: "gpu_platform:team_gpus_busy",
  idle: "gpu_platform:team_gpus_idle",
  cost: "gpu_platform:team_gpu_cost_usd_per_hour",
} as const;

export interface CostRule { record: string; expr: string; labels?: Record<string, string> }
export interface CostAlert { alert: string; expr: string; for: string; labels: { severity: "warning" }; annotations: { summary: string; description: string } }

/** The price per GPU-hour of each priced pool, as the plan's cost model computes it. */
export function poolGpuPrices(config: PlatformConfig): { pool: string; usdPerGpuHour: number; unitsPerGpu: number; dra: boolean }[] {
  if (config.cloud === "existing") return [];
  const cloud = config.cloud;
  return config.gpuPools.flatMap((pool) => {
    const price = regionalGpuHourlyPrice(cloud, config.region, pool.gpu);
    return price === undefined ? [] : [{ pool: pool.name, usdPerGpuHour: price, unitsPerGpu: pool.unitsPerGpu, dra: pool.allocation === "dra" }];
  });
}

export function gpuCostRules(config: PlatformConfig): CostRule[] {
  const prices = poolGpuPrices(config);
  const dra = prices.filter((p) => p.dra).map((p) => p.pool);
  // Units a running pod holds on a node of a pool, by team (its namespace).
  const requested =
    `label_replace(sum by (namespace, pool) (kube_pod_container_resource_requests{resource="nvidia_com_gpu"}` +
    ` * on (namespace, pod) group_left () (kube_pod_status_phase{phase="Running"} == 1)` +
    ` * on (node) group_left (pool) label_replace(kube_node_labels{${ksmPoolLabel}!=""}, "pool", "$1", "${ksmPoolLabel}", "(.+)")), "team", "$1", "namespace", "(.+)")`;
  const fromRequests = `sum by (team, pool) (${requested}) / on (pool) group_left () ${costRecords.unitsPerGpu}`;
  // On DRA pools a claimed GPU shows only in DCGM, attributed to the pod that holds it.
  const fromClaims = `count by (team, pool) (DCGM_FI_DEV_GPU_UTIL{team!="", pool=~"${dra.join("|")}"})`;
  return [
    ...prices.map((p) => ({ record: costRecords.unitPrice, expr: `vector(${+(p.usdPerGpuHour / p.unitsPerGpu).toFixed(6)})`, labels: { pool: p.pool } })),
    ...prices.map((p) => ({ record: costRecords.unitsPerGpu, expr: `vector(${p.unitsPerGpu})`, labels: { pool: p.pool } })),
    { record: costRecords.allocated, expr: dra.length > 0 ? `${fromRequests} or ${fromClaims}` : fromRequests },
    // Utilisation-weighted: a GPU at 40% counts 0.4 busy GPUs.
    { record: costRecords.busy, expr: `sum by (team, pool) (DCGM_FI_DEV_GPU_UTIL{team!=""}) / 100` },
    { record: costRecords.idle, expr: `clamp_min(${costRecords.allocated} - on (team, pool) group_left () (${costRecords.busy} or ${costRecords.allocated} * 0), 0)` },
    { record: costRecords.cost, expr: `${costRecords.allocated} * on (pool) group_left () (${costRecords.unitPrice} * on (pool) group_left () ${costRecords.unitsPerGpu})` },
  ];
}

/** A team whose allocated GPUs sat mostly idle for an hour: money spent on nothing. */
export function gpuCostAlerts(idleSharePercent: number): CostAlert[] {
  return [{
    alert: "TeamGpuIdleShareHigh",
    expr: `sum by (team) (avg_over_time(${costRecords.idle}[1h])) / sum by (team) (avg_over_time(${costRecords.allocated}[1h])) > ${idleSharePercent / 100}`,
    for: "1h",
    labels: { severity: "warning" },
    annotations: {
      summary: `Team's allocated GPUs more than ${idleSharePercent}% idle`,
      description: `Team {{ $labels.team }} held GPUs that were {{ $value | humanizePercentage }} idle over the last hour. Scale the models down (min 0) or release the GPUs.`,
    },
  }];
}

export const gpuCostDashboardUid = "gpu-platform-cost";

/** "GPU cost by team": spend this month so far, idle share, quota used against nominal, top idle allocations. */
export function gpuCostDashboard(): Record<string, unknown> {
  const team = 'team=~"$team"';
  const specs: PanelSpec[] = [
    {
      title: "Spend this month so far, by team",
      description: "GPU cost per team since the start of the month, at the plan's list prices (cost rate summed per minute).",
      unit: "currencyUSD",
      targets: [{ expr: `sum by (team) (sum_over_time(${costRecords.cost}{${team}}[$__range:1m])) / 60`, legendFormat: "{{team}}", instant: true }],
    },
    {
      title: "Idle share of allocated GPUs",
      description: "Allocated GPU time no kernel used: 1 − busy / allocated, per team.",
      unit: "percentunit", min: 0, max: 1,
      targets: [{ expr: `sum by (team) (${costRecords.idle}{${team}}) / sum by (team) (${costRecords.allocated}{${team}})`, legendFormat: "{{team}}" }],
    },
    {
      title: "GPU quota used against nominal (Kueue)",
      description: "nvidia.com/gpu admitted per ClusterQueue and flavor, beside its nominal quota; above it, the team borrows.",
      unit: "short",
      targets: [
        { expr: 'sum by (cluster_queue, flavor) (kueue_cluster_queue_resource_usage{resource="nvidia.com/gpu"})', legendFormat: "{{cluster_queue}} {{flavor}} used" },
        { expr: 'sum by (cluster_queue, flavor) (kueue_cluster_queue_nominal_quota{resource="nvidia.com/gpu"})', legendFormat: "{{cluster_queue}} {{flavor}} nominal" },
      ],
    },
    {
      title: "Top idle allocations",
      description: "The team and pool pairs holding the most idle GPUs now.",
      unit: "short",
      targets: [{ expr: `topk(10, ${costRecords.idle}{${team}})`, legendFormat: "{{team}} / {{pool}}" }],
    },
  ];
  return {
    uid: gpuCostDashboardUid,
    title: "GPU platform: GPU cost by team",
    tags: ["gpu-platform", "gpu", "cost"],
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: "5m",
    time: { from: "now/M", to: "now" },
    timezone: "browser",
    annotations: { list: [] },
    panels: specs.map((spec, i) => timeseries(i + 1, spec)),
    templating: {
      list: [
        { name: "datasource", label: "Data source", type: "datasource", query: "prometheus", current: {}, refresh: 1, hide: 0, regex: "" },
        queryVariable("team", "Team", `label_values(${costRecords.allocated}, team)`),
      ],
    },
  };
}
