import type { ServingRuntime } from "../../stacks/schema";
import { charts, images } from "../versions";
import type { AddonContext } from "./addon";

/**
 * Runtimes in kserve-runtime-configs v0.20.0 (`kserve.servingruntime.*` in its values.yaml at that
 * tag). The chart creates every one of them; those a stack does not offer are created disabled,
 * so no InferenceService can select them.
 */
const chartRuntimes = [
  "tensorflow", "mlserver", "sklearnserver", "xgbserver", "huggingfaceserver", "huggingfaceserver_multinode",
  "tritonserver", "pmmlserver", "predictiveserver", "paddleserver", "lgbserver", "autogluonserver", "torchserve", "vllmserver",
] as const;

/** Which chart runtime serves each runtime a stack may offer. */
const runtimeEntries: Record<ServingRuntime, (typeof chartRuntimes)[number]> = {
  /** Plain vLLM with its OpenAI-compatible API. */
  vllm: "vllmserver",
  /** KServe's Hugging Face server (vLLM backend for LLMs); its image follows the KServe version. */
  huggingface: "huggingfaceserver",
};

/**
 * KServe publishes huggingfaceserver twice per release: `<version>` is built from
 * huggingface_server_cpu.Dockerfile (CPU torch, vLLM for CPU) and `<version>-gpu` from
 * huggingface_server.Dockerfile (.github/workflows/huggingface{-cpu,}-docker-publish.yml at
 * v0.20.0). The chart's single-node runtime defaults to the CPU build, so the platform names the GPU
 * one. The multinode runtime appends `-gpu` to the same tag, so its image would not exist; the
 * platform does not offer multi-node serving.
 */
const huggingfaceGpuTag = `${charts.kserveRuntimes.version}-gpu`;

/** The image each runtime's pods run, fully qualified as containerd pulls it: what a coldStart.imageDisk must hold. */
export function servingRuntimeImage(runtime: ServingRuntime): string {
  return runtime === "vllm" ? `docker.io/${images.vllm.repository}:${images.vllm.tag}` : `docker.io/kserve/huggingfaceserver:${huggingfaceGpuTag}`;
}

/** KServe's storage initializer, which fetches `hf://`, `s3://` and `gs://` weights before the runtime starts. */
export const storageInitializerImage = `docker.io/kserve/storage-initializer:${charts.kserve.version}`;

/**
 * Team namespaces enforce the `restricted` Pod Security level, so the serving container must run
 * as a non-root user with the runtime's default seccomp profile. vLLM's upstream image runs as
 * root, hence the explicit user.
 */
const restrictedContainer = {
  allowPrivilegeEscalation: false,
  privileged: false,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
export const vllmUser = 1000;

export function kserveRuntimeValues(ctx: AddonContext) {
  const offered = new Set(ctx.config.addons.kserve.runtimes.map((runtime) => runtimeEntries[runtime]));
  const servingruntime: Record<string, unknown> = { enabled: true };
  for (const runtime of chartRuntimes) servingruntime[runtime] = { disabled: !offered.has(runtime) };
  servingruntime.huggingfaceserver = { disabled: !offered.has("huggingfaceserver"), tag: huggingfaceGpuTag, securityContext: restrictedContainer };
  // The chart ignores this entry's `disabled` and follows huggingfaceserver's (its template at
  // v0.20.0), so the multinode runtime comes with huggingface; its containers must pass restricted.
  servingruntime.huggingfaceserver_multinode = { securityContext: restrictedContainer };
  servingruntime.vllmserver = {
    disabled: !offered.has("vllmserver"),
    image: images.vllm.repository,
    tag: images.vllm.tag,
    securityContext: { ...restrictedContainer, runAsUser: vllmUser },
  };
  return { kserve: { servingruntime } };
}
