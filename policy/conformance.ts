/**
 * CNCF Kubernetes AI Conformance, read off a plan's resources: for each requirement of the
 * cluster's Kubernetes minor, whether the stack meets it, what meets it, and what to change when
 * it does not. The requirement names and levels are those of the program's checklists
 * (cncf/ai-conformance, v1.35: 9 MUST and 3 SHOULD; v1.36 adds 3 SHOULD); the checks are the
 * platform's own reading of what each asks. Shared by the plan report and the pack's rule.
 */
import { asList, asRecord, propsOf, type Resource } from "./support";

export type ConformanceLevel = "MUST" | "SHOULD";
export type ConformanceStatus = "met" | "not met" | "not applicable";

export interface ConformanceRow {
  readonly id: string;
  readonly level: ConformanceLevel;
  readonly status: ConformanceStatus;
  /** The components and resources that meet it. */
  readonly evidence: readonly string[];
  /** What to change when it is not met. */
  readonly fix?: string;
}

const releaseType = "kubernetes:helm.sh/v3:Release";

function view(resources: readonly Resource[]) {
  const releases = new Map(resources.filter((r) => r.type === releaseType).map((r) => [String(propsOf(r).name), propsOf(r)]));
  const count = (test: (type: string) => boolean) => resources.filter((r) => test(r.type)).length;
  // GKE applies a pool's sharing from the node pool itself, not through the GPU Operator.
  const gkeShared = resources.filter((r) => r.type === "gcp:container/nodePool:NodePool")
    .some((pool) => asList(asRecord(propsOf(pool).nodeConfig).guestAccelerators).map(asRecord).some((a) => a.gpuSharingConfig !== undefined || a.gpuPartitionSize !== undefined));
  return { releases, count, gkeShared, has: (type: string) => resources.some((r) => r.type === type) };
}

/** The cluster's Kubernetes minor, from the cloud's cluster resource. */
export function kubernetesMinorOf(resources: readonly Resource[], configured?: string): string | undefined {
  for (const r of resources) {
    const props = propsOf(r);
    if (r.type === "eks:index:Cluster" && props.version) return String(props.version);
    if (r.type === "gcp:container/cluster:Cluster" && props.minMasterVersion) return String(props.minMasterVersion).split(".").slice(0, 2).join(".");
    if (r.type === "azure-native:containerservice:ManagedCluster" && props.kubernetesVersion) return String(props.kubernetesVersion).split(".").slice(0, 2).join(".");
  }
  return configured;
}

type Check = (v: ReturnType<typeof view>, minor: number) => { status: ConformanceStatus; evidence: string[]; fix?: string };

const met = (...evidence: string[]) => ({ status: "met" as const, evidence });
const notMet = (fix: string) => ({ status: "not met" as const, evidence: [], fix });

const requirements: { id: string; level: ConformanceLevel; since: number; check: Check }[] = [
  {
    id: "dra_support", level: "MUST", since: 35,
    check: (v, minor) => (minor >= 34
      ? met(`Kubernetes 1.${minor} serves resource.k8s.io/v1`, ...(v.releases.has("dra-driver-nvidia-gpu") ? ["NVIDIA DRA driver (DRA pools)"] : []))
      : notMet("run Kubernetes 1.34 or later (kubernetesVersion)")),
  },
  {
    id: "ai_inference", level: "MUST", since: 35,
    check: (v) => (v.releases.has("envoy-gateway") && v.releases.has("gateway-crds")
      ? met("Gateway API v1.5.1 (standard channel) with Envoy Gateway: weighted and header-matched routes", "inference Gateway")
      : notMet("switch the inference gateway on (addons.gateway.enabled)")),
  },
  {
    id: "gang_scheduling", level: "MUST", since: 35,
    check: (v) => (v.releases.has("kueue") ? met("Kueue: all-or-nothing admission of a workload's pods") : notMet("switch Kueue on (addons.kueue.enabled)")),
  },
  {
    id: "cluster_autoscaling", level: "MUST", since: 35,
    check: (v) => {
      const karpenter = v.count((t) => t === "kubernetes:karpenter.sh/v1:NodePool");
      const gke = v.count((t) => t === "gcp:container/nodePool:NodePool");
      if (karpenter > 0) return met(`${karpenter} Karpenter NodePool(s) scaling GPU nodes${v.has("azure-native:containerservice:ManagedCluster") ? " (AKS Node Auto Provisioning)" : ""}`);
      if (gke > 0) return met("GKE node pools with the cluster autoscaler");
      return { status: "not met", evidence: [], fix: "the platform does not scale an existing cluster's nodes; run its own autoscaler, or a managed cloud" };
    },
  },
  {
    id: "pod_autoscaling", level: "MUST", since: 35,
    check: (v) => (v.releases.has("keda") ? met("KEDA serving external.metrics.k8s.io: HPAs on custom metrics (vLLM queue depth)") : notMet("switch KEDA on (addons.keda.enabled)")),
  },
  {
    id: "accelerator_metrics", level: "MUST", since: 35,
    check: (v) => {
      const operator = v.releases.get("gpu-operator");
      const dcgm = asRecord(asRecord(operator?.values).dcgmExporter).enabled !== false;
      return operator && dcgm && v.releases.has("kube-prometheus-stack")
        ? met("DCGM exporter (GPU Operator), scraped with pool and team labels")
        : notMet("switch the GPU Operator and monitoring on (addons.gpuOperator, addons.monitoring)");
    },
  },
  {
    id: "ai_service_metrics", level: "MUST", since: 35,
    check: (v) => (v.has("kubernetes:monitoring.coreos.com/v1:PodMonitor") && v.releases.has("kserve")
      ? met("PodMonitor inference-services: every model's serving metrics by team and model")
      : notMet("switch monitoring and KServe on, with at least one team (addons.monitoring, addons.kserve, teams)")),
  },
  {
    id: "secure_accelerator_access", level: "MUST", since: 35,
    check: (v) => {
      const operator = v.releases.get("gpu-operator");
      const cdi = asRecord(asRecord(operator?.values).cdi).enabled === true;
      return operator && cdi
        ? met("GPUs reach containers only through the device plugin or DRA claims (CDI)", "admission policy gpu-platform-no-host-access")
        : notMet("switch the GPU Operator on (addons.gpuOperator.enabled)");
    },
  },
  {
    id: "robust_controller", level: "MUST", since: 35,
    check: (v) => (v.releases.has("kserve") ? met("KServe (InferenceService CRD and controller)", ...(v.releases.has("kueue") ? ["Kueue"] : [])) : notMet("switch KServe on (addons.kserve.enabled)")),
  },
  {
    id: "driver_runtime_management", level: "SHOULD", since: 35,
    check: (v) => (v.releases.has("gpu-operator") ? met("NVIDIA GPU Operator (driver, toolkit, device plugin where the node image lacks them)") : notMet("switch the GPU Operator on")),
  },
  {
    id: "gpu_sharing", level: "SHOULD", since: 35,
    check: (v) => {
      const operator = asRecord(asRecord(v.releases.get("gpu-operator")?.values).devicePlugin);
      const shared = Object.keys(asRecord(asRecord(operator.config).data)).some((name) => name !== "default");
      return shared || v.gkeShared ? met("a GPU pool shares its GPUs (time-slicing or MIG)") : notMet("give a pool gpuPools[].sharing (time-slicing or mig)");
    },
  },
  {
    id: "virtualized_accelerator", level: "SHOULD", since: 35,
    check: () => ({ status: "not applicable", evidence: [], fix: "the platform runs GPUs passed through whole, not vGPU" }),
  },
  {
    id: "advanced_inference_ingress", level: "SHOULD", since: 36,
    check: () => notMet("not yet: InferencePool routing (README, \"The inference gateway\", why not yet)"),
  },
  {
    id: "high_performance_networking", level: "SHOULD", since: 36,
    check: () => notMet("not built: no EFA, GPUDirect RDMA or InfiniBand setup"),
  },
  {
    id: "disaggregated_inference", level: "SHOULD", since: 36,
    check: () => notMet("not built: no prefill/decode split (LLMInferenceService)"),
  },
];

/** The conformance rows for a plan's resources, for the cluster's Kubernetes minor. */
export function conformance(resources: readonly Resource[], configuredMinor?: string): { minor: string; rows: ConformanceRow[] } | undefined {
  const minorText = kubernetesMinorOf(resources, configuredMinor);
  if (!minorText) return undefined;
  const minor = Number(minorText.split(".")[1]);
  const v = view(resources);
  const rows = requirements.filter((r) => minor >= r.since).map((r) => ({ id: r.id, level: r.level, ...r.check(v, minor) }));
  return { minor: minorText, rows };
}
