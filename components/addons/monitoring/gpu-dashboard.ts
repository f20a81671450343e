/**
 * Grafana dashboard for the GPU fleet, built from the DCGM exporter's metrics. Every series carries
 * `pool` (copied from the node label) and, while a pod holds the GPU, `team` (the pod's namespace),
 * which is what lets one dashboard answer both "is this pool sized right" and "who is using it".
 */

export const gpuDashboardUid = "gpu-platform-gpus";

// `${datasource}` lets an operator point the same dashboard at another Prometheus without editing it.
const datasource = { type: "prometheus", uid: "${datasource}" };

// Grafana renders a multi-value or "All" selection as a regex, so the filters have to use `=~`.
const poolFilter = 'pool=~"$pool"';
// With "All" selected, `.*` also matches the empty team of an idle GPU; per-team panels drop those
// explicitly so idle capacity does not show up as a team with no name.
const teamFilter = 'team=~"$team", team!=""';

export interface Target {
  expr: string;
  legendFormat: string;
  instant?: boolean;
  format?: "time_series" | "table";
}

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Target[];
  min?: number;
  max?: number;
  stacked?: boolean;
}

const width = 12;
const height = 8;

export function timeseries(id: number, spec: PanelSpec) {
  const position = id - 1;
  return {
    id,
    type: "timeseries",
    title: spec.title,
    description: spec.description,
    datasource,
    gridPos: { x: (position % 2) * width, y: Math.floor(position / 2) * height, w: width, h: height },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
        custom: {
          drawStyle: "line",
          fillOpacity: spec.stacked ? 30 : 10,
          stacking: { mode: spec.stacked ? "normal" : "none", group: "A" },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: "table", placement: "right", calcs: ["mean", "max", "lastNotNull"] },
      tooltip: { mode: "multi", sort: "desc" },
    },
    targets: spec.targets.map((t, i) => ({
      datasource,
      refId: String.fromCharCode(65 + i),
      expr: t.expr,
      legendFormat: t.legendFormat,
      editorMode: "code",
      range: !t.instant,
      instant: Boolean(t.instant),
      format: t.format ?? "time_series",
    })),
  };
}

const timeseriesPanels: PanelSpec[] = [
  {
    title: "GPU utilisation by pool",
    description:
      "Average GPU utilisation across every GPU in each pool, allocated or not. A pool that stays low is " +
      "paying for more GPUs than its workloads use.",
    unit: "percent",
    min: 0,
    max: 100,
    targets: [{ expr: `avg by (pool) (DCGM_FI_DEV_GPU_UTIL{${poolFilter}})`, legendFormat: "{{pool}}" }],
  },
  {
    title: "GPU utilisation by team",
    description:
      "Average utilisation of the GPUs each team's pods hold. Low values mean a team reserves GPUs it " +
      "barely uses, which blocks other teams' queued work.",
    unit: "percent",
    min: 0,
    max: 100,
    targets: [{ expr: `avg by (team) (DCGM_FI_DEV_GPU_UTIL{${poolFilter}, ${teamFilter}})`, legendFormat: "{{team}}" }],
  },
  {
    title: "GPUs in use by team",
    description:
      "Number of physical GPUs each team's pods hold. Shared GPUs (time-slicing, MIG) report one series " +
      "per pod or slice, so they are counted once per team by UUID. Compare with the team's Kueue quota.",
    unit: "none",
    min: 0,
    stacked: true,
    targets: [
      {
        expr: `count by (team) (count by (team, UUID) (DCGM_FI_DEV_GPU_UTIL{${poolFilter}, ${teamFilter}}))`,
        legendFormat: "{{team}}",
      },
    ],
  },
  {
    title: "GPUs idle by pool",
    description:
      "GPUs that no pod holds (their series have no team label), counted by UUID. A GPU held by a pod " +
      "that does no work is not idle here; the utilisation panels show that. Idle GPUs that persist " +
      "are capacity the autoscaler should have removed.",
    unit: "none",
    min: 0,
    stacked: true,
    targets: [
      {
        // `or ... * 0` keeps a pool on the graph at zero instead of dropping out when nothing is idle.
        expr:
          `count by (pool) (count by (pool, UUID) (DCGM_FI_DEV_GPU_UTIL{${poolFilter}, team=""}))` +
          ` or (count by (pool) (DCGM_FI_DEV_GPU_UTIL{${poolFilter}}) * 0)`,
        legendFormat: "{{pool}}",
      },
    ],
  },
  {
    title: "GPU memory used by pool",
    description:
      "Framebuffer memory in use as a share of the pool's total. High values mean models are close to " +
      "out-of-memory errors; the GpuMemoryNearlyFull alert watches individual GPUs.",
    unit: "percent",
    min: 0,
    max: 100,
    targets: [
      {
        expr:
          `100 * sum by (pool) (DCGM_FI_DEV_FB_USED{${poolFilter}})` +
          ` / sum by (pool) (DCGM_FI_DEV_FB_USED{${poolFilter}} + DCGM_FI_DEV_FB_FREE{${poolFilter}})`,
        legendFormat: "{{pool}}",
      },
    ],
  },
  {
    title: "Power draw by pool",
    description:
      "Total board power of each pool's GPUs. Power follows real work more closely than utilisation, " +
      "and it is what the bill and the rack budget are measured in.",
    unit: "watt",
    min: 0,
    stacked: true,
    targets: [{ expr: `sum by (pool) (DCGM_FI_DEV_POWER_USAGE{${poolFilter}})`, legendFormat: "{{pool}}" }],
  },
  {
    title: "Hottest GPU by pool",
    description:
      "Highest GPU temperature in each pool. GPUs throttle their clocks when hot, so a rising maximum " +
      "explains slow inference before any error shows up.",
    unit: "celsius",
    targets: [{ expr: `max by (pool) (DCGM_FI_DEV_GPU_TEMP{${poolFilter}})`, legendFormat: "{{pool}}" }],
  },
];

function xidTable(id: number, y: number) {
  return {
    id,
    type: "table",
    title: "XID errors",
    description:
      "GPUs whose driver last reported an XID error, with the code. XIDs signal hardware faults, driver " +
      "bugs or application crashes on the GPU; look the code up in NVIDIA's XID catalogue to decide " +
      "whether to drain the node.",
    datasource,
    gridPos: { x: 0, y, w: 24, h: height },
    fieldConfig: { defaults: { unit: "none", decimals: 0 }, overrides: [] },
    options: { showHeader: true, sortBy: [{ displayName: "node", desc: false }] },
    targets: [
      {
        datasource,
        refId: "A",
        // `max by` collapses the per-pod series of a shared GPU into one row per device.
        expr: `max by (node, gpu, pool) (DCGM_FI_DEV_XID_ERRORS{${poolFilter}}) > 0`,
        legendFormat: "",
        editorMode: "code",
        range: false,
        instant: true,
        format: "table",
      },
    ],
    transformations: [
      {
        id: "organize",
        options: {
          excludeByName: { Time: true },
          indexByName: { node: 0, gpu: 1, pool: 2, Value: 3 },
          renameByName: { gpu: "GPU", pool: "Pool", Value: "XID code" },
        },
      },
    ],
  };
}

export function queryVariable(name: string, label: string, query: string) {
  return {
    name,
    label,
    type: "query",
    datasource,
    definition: query,
    query: { query, refId: `${name}-values` },
    multi: true,
    includeAll: true,
    allValue: ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    refresh: 2,
    sort: 1,
    hide: 0,
    regex: "",
  };
}

export function gpuDashboard(): Record<string, unknown> {
  const panels: Record<string, unknown>[] = timeseriesPanels.map((spec, i) => timeseries(i + 1, spec));
  const rows = Math.ceil(timeseriesPanels.length / 2);
  panels.push(xidTable(timeseriesPanels.length + 1, rows * height));

  return {
    uid: gpuDashboardUid,
    title: "GPU platform: GPUs by pool and team",
    tags: ["gpu-platform", "gpu"],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    timepicker: {},
    timezone: "browser",
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        {
          name: "datasource",
          label: "Data source",
          type: "datasource",
          query: "prometheus",
          current: {},
          refresh: 1,
          hide: 0,
          regex: "",
        },
        queryVariable("pool", "Pool", "label_values(DCGM_FI_DEV_GPU_UTIL, pool)"),
        // Chained on $pool so the team list only offers teams that actually run in the chosen pools.
        queryVariable("team", "Team", 'label_values(DCGM_FI_DEV_GPU_UTIL{pool=~"$pool"}, team)'),
      ],
    },
    panels,
  };
}
