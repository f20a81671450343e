/**
 * Every pinned version the platform installs, in one place. Bump here, read the upstream release
 * notes, and check values against ../shared/reference at the new version.
 */
export const charts = {
  /** aws/karpenter-provider-aws v1.14.1 (2026-08-20). */
  karpenter: { repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" },
  /** cert-manager v1.21.1; KServe's webhooks need its certificates. */
  certManager: { repository: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.21.1" },
  /** NVIDIA/gpu-operator v26.7.0. */
  gpuOperator: { repository: "https://helm.ngc.nvidia.com/nvidia", chart: "gpu-operator", version: "v26.7.0" },
  /** kubernetes-sigs/kueue v0.19.2. */
  kueue: { repository: "oci://registry.k8s.io/kueue/charts", chart: "kueue", version: "0.19.2" },
  /** kserve/kserve v0.20.0: CRDs and controller ship as two charts. */
  kserveCrd: { repository: "oci://ghcr.io/kserve/charts", chart: "kserve-crd", version: "v0.20.0" },
  kserve: { repository: "oci://ghcr.io/kserve/charts", chart: "kserve-resources", version: "v0.20.0" },
  /** Same release; its values are not in ../shared/reference, so they were read at the kserve v0.20.0 tag. */
  kserveRuntimes: { repository: "oci://ghcr.io/kserve/charts", chart: "kserve-runtime-configs", version: "v0.20.0" },
  /**
   * Gateway API v1.5.1 standard-channel CRDs and Envoy Gateway v1.8.1: the pair KServe v0.20.0
   * (kserve-deps.env GATEWAY_API_VERSION, ENVOY_GATEWAY_VERSION) and the AI Gateway v1.1 are tested
   * with. The CRDs come from their own chart so the standard channel is kept: gateway-helm bundles
   * the experimental channel, which Gateway API 1.5's safe-upgrades policy refuses over standard.
   *
   * Envoy Gateway 1.8 left upstream support on 2026-11-08 (the compatibility matrix in EG v1.9.0).
   * Moving to 1.9 means Gateway API v1.6.1 CRDs (EG 1.9 requires them; KServe v0.20.0 pins v1.5.1,
   * so check KServe's HTTPRoutes against 1.6), an AI Gateway release that names EG 1.9 as its
   * minimum, and re-reading these values against the 1.9 chart. Kubernetes 1.33–1.36 then.
   */
  gatewayApiCrds: { repository: "oci://docker.io/envoyproxy", chart: "gateway-crds-helm", version: "v1.8.1" },
  envoyGateway: { repository: "oci://docker.io/envoyproxy", chart: "gateway-helm", version: "v1.8.1" },
  /** envoyproxy/ai-gateway v1.1.0 (needs EG >= 1.8.1 and Gateway API 1.5): routing by model, token costs. */
  aiGatewayCrds: { repository: "oci://docker.io/envoyproxy", chart: "ai-gateway-crds-helm", version: "v1.1.0" },
  aiGateway: { repository: "oci://docker.io/envoyproxy", chart: "ai-gateway-helm", version: "v1.1.0" },
  /**
   * kedacore/charts v2.20.2 (KEDA 2.20.2; tested on Kubernetes 1.33–1.35). KServe v0.20.0 is built
   * against KEDA 2.18 and creates keda.sh/v1alpha1 ScaledObjects, which 2.20 serves unchanged.
   */
  keda: { repository: "https://kedacore.github.io/charts", chart: "keda", version: "2.20.2" },
  /**
   * kedacore/charts http-add-on 0.15.0 (commit c4b92e9, "release v0.15.0"; the chart repository has no
   * tag for it). Its interceptor holds a request for a model scaled to zero until a replica is
   * ready. Still marked experimental upstream; built on KEDA 2.18 types.
   */
  kedaHttp: { repository: "https://kedacore.github.io/charts", chart: "keda-add-ons-http", version: "0.15.0" },
  /**
   * kubernetes-sigs/dra-driver-nvidia-gpu v0.4.1 (2026-06-30): NVIDIA's DRA driver for GPUs, now a
   * Kubernetes SIG project. Needs Kubernetes 1.34.2+, NVIDIA driver 565+, and CDI (the GPU Operator
   * turns it on).
   */
  draDriver: { repository: "oci://registry.k8s.io/dra-driver-nvidia/charts", chart: "dra-driver-nvidia-gpu", version: "0.4.1" },
  /** prometheus-community/helm-charts kube-prometheus-stack-88.5.3: Prometheus, Alertmanager, Grafana. */
  kubePrometheusStack: { repository: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "88.5.3" },
  /** argoproj/argo-helm argo-cd-10.1.1 (Argo CD v3.4.4). */
  argocd: { repository: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "10.1.1" },
} as const;

/**
 * Images whose chart defaults are not release images (Kueue's chart points at a staging tag that
 * is pulled on every start, and the vLLM runtime at `latest`), and images no chart brings.
 */
export const images = {
  kueue: { repository: "registry.k8s.io/kueue/kueue", tag: "v0.19.2" },
  /**
   * The kserve-runtime-configs chart defaults vLLM to `latest`. v0.24.0 is the vLLM release KServe
   * v0.20.0 pins for its LLM extra (python/kserve/pyproject.toml at the v0.20.0 tag).
   */
  vllm: { repository: "vllm/vllm-openai", tag: "v0.24.0" },
  /**
   * The gateway's rate-limit counters: the Redis release the Argo CD chart 10.1.1 pins (values.yaml
   * redis.image), from ECR Public's copy of the Docker official image; 8.x is open source again (AGPL), 7.4 is not.
   */
  redis: { repository: "public.ecr.aws/docker/library/redis", tag: "8.2.3-alpine" },
} as const;

/**
 * Node images Karpenter launches, pinned so a new AMI never rolls GPU nodes unannounced.
 * - al2023: awslabs/amazon-eks-ami release v20260714 (covers Kubernetes 1.30–1.36; the alias picks
 *   the NVIDIA variant for GPU instances).
 * - bottlerocket: bottlerocket-os/bottlerocket v1.64.0 (2026-07-29; aws-k8s-1.31…1.36 and -nvidia).
 */
export const nodeImageAliases = {
  al2023: "al2023@v20260714",
  bottlerocket: "bottlerocket@v1.64.0",
} as const;
