/**
 * Alerting rules for the GPU fleet, as the `spec.groups` of a Prometheus-operator PrometheusRule.
 * They read the DCGM exporter's metrics (labelled with `pool`, `team`, `node`, `gpu`) and
 * kube-state-metrics' node metrics.
 */

export interface GpuAlertOptions {
  /** How long a GPU node may sit below 5% utilisation before someone is told it is wasting money. */
  idleHours: number;
}

export interface GpuAlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "warning" | "critical" };
  annotations: { summary: string; description: string };
}

export interface GpuAlertGroup {
  name: string;
  rules: GpuAlertRule[];
}

// The DCGM exporter's Service is called nvidia-dcgm-exporter, and Prometheus names the job after it.
const dcgmJob = "nvidia-dcgm-exporter";

// One week: beyond that the range query over raw samples gets expensive, and nobody waits a week
// to hear about an idle GPU.
const maxIdleHours = 168;

export function gpuAlertGroups(options: GpuAlertOptions): GpuAlertGroup[] {
  const { idleHours } = options;
  // Config validation already enforces this; a bad value here would otherwise become a PromQL range
  // like `[1.5h]` or `[0h]` that Prometheus rejects only once the rule is loaded in the cluster.
  if (!Number.isInteger(idleHours) || idleHours < 1 || idleHours > maxIdleHours) {
    throw new Error(`idleHours must be a whole number from 1 to ${maxIdleHours}, got ${idleHours}`);
  }

  return [
    {
      name: "gpu-platform.gpu-health",
      rules: [
        {
          alert: "GpuXidError",
          // A shared GPU reports one series per pod; grouping by device raises one alert per GPU
          // and keeps it from restarting whenever the pods on it change.
          expr: "max by (pool, node, gpu, UUID) (DCGM_FI_DEV_XID_ERRORS) > 0",
          // Any XID is worth a look at once: waiting would only delay draining a faulty node.
          for: "0m",
          labels: { severity: "critical" },
          annotations: {
            summary: "GPU reported an XID error",
            description:
              "GPU {{ $labels.gpu }} on {{ $labels.node }} (pool {{ $labels.pool }}) reported XID {{ $value }}. " +
              "Look the code up in NVIDIA's XID catalogue; hardware and driver XIDs mean the node should be drained.",
          },
        },
        {
          alert: "GpuMemoryNearlyFull",
          expr: "DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) > 0.95",
          // Model servers preallocate memory at start-up; only a sustained high level predicts OOMs.
          for: "15m",
          labels: { severity: "warning" },
          annotations: {
            summary: "GPU memory is over 95% used",
            description:
              "GPU {{ $labels.gpu }} on {{ $labels.node }} (pool {{ $labels.pool }}, team {{ $labels.team }}) " +
              "has used {{ $value | humanizePercentage }} of its memory for 15 minutes. " +
              "Larger requests or batches will fail with out-of-memory errors.",
          },
        },
        {
          alert: "GpuNodeNotReady",
          // Restricted to nodes with GPU capacity so this stays about the expensive nodes; other
          // node failures belong to the cluster's own alerts.
          expr:
            'kube_node_status_condition{condition="Ready",status="true"} == 0' +
            ' and on (node) kube_node_status_capacity{resource="nvidia_com_gpu"} > 0',
          for: "10m",
          labels: { severity: "critical" },
          annotations: {
            summary: "GPU node is not Ready",
            description:
              "Node {{ $labels.node }} has GPUs and has not been Ready for 10 minutes. " +
              "Its GPUs are paid for but cannot run pods.",
          },
        },
        {
          alert: "GpuMetricsMissing",
          // Not `absent(up{...})`: with the GPU pools scaled to zero there is no exporter to scrape,
          // and that is normal, not an outage.
          expr: `up{job="${dcgmJob}"} == 0`,
          for: "10m",
          labels: { severity: "warning" },
          annotations: {
            summary: "DCGM exporter cannot be scraped",
            description:
              "Prometheus has failed to scrape the DCGM exporter at {{ $labels.instance }} for 10 minutes. " +
              "While it is down, the other GPU alerts for that node cannot fire.",
          },
        },
      ],
    },
    {
      name: "gpu-platform.gpu-cost",
      rules: [
        {
          alert: "GpuIdle",
          // max_over_time means one busy moment anywhere in the window clears the node, so this only
          // fires for nodes that did nothing useful for the whole period. The offset term keeps a
          // node younger than the window (still pulling a model) from counting as idle.
          expr:
            `max by (pool, node) (max_over_time(DCGM_FI_DEV_GPU_UTIL[${idleHours}h])) < 5` +
            ` and on (pool, node) max by (pool, node) (DCGM_FI_DEV_GPU_UTIL offset ${idleHours}h)`,
          for: "15m",
          labels: { severity: "warning" },
          annotations: {
            summary: `GPU node idle for ${idleHours}h (money burning)`,
            description:
              `No GPU on {{ $labels.node }} (pool {{ $labels.pool }}) went above 5% utilisation in the last ${idleHours} hours. ` +
              "The node is still being paid for: release the GPUs or let the autoscaler remove it.",
          },
        },
      ],
    },
  ];
}
