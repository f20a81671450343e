/**
 * Time from zero to a model's first answer, per GPU pool and serving runtime, as steps; and what
 * each lever the platform offers would save. The plan's cold-start model.
 */
import { servingRuntimeImage, storageInitializerImage } from "../../components/addons/kserve-runtimes";
import { formatUsd } from "../../policy/cost";
import {
  type CloudColdStartFacts, type StepFact, coldStartFacts, coldStartTimesAsOf, referenceImageGB, servingRuntimeColdStart,
} from "../../stacks/cold-start-times";
import type { PlatformConfig } from "../../stacks/load";
import type { GpuPoolSettings, ServingRuntime } from "../../stacks/schema";
import type { ColdStartLever, ColdStartReport, ColdStartStep } from "./model";

/** The README's goal: an 8B model answering from zero within this many seconds with the levers on. */
export const coldStartGoalSeconds = 120;

/** What shortens a cold start, as the model counts it. */
interface Levers {
  readonly fastImagePull: boolean;
  readonly imageDisk: boolean;
  /** A GPU node of the pool is already up (baselineNodes), with the runtime's image pulled. */
  readonly warmNode: boolean;
  /** The weights are on the warm node's disk (KServe LocalModelCache). */
  readonly modelCache: boolean;
  /** vLLM streams the weights from the stack's model store straight into the GPU. */
  readonly modelStore: boolean;
}

/**
 * Why the platform does not install KServe's LocalModelCache (v1alpha1 at KServe v0.20.0, read in
 * its controllers at that tag): the copy is made by a Job with no tolerations, so it cannot run on
 * the tainted GPU nodes; nothing holds the model's pod until the copy is complete; and the copy
 * goes with the node when the pool scales to zero.
 */
const modelCacheNotOffered =
  "KServe's LocalModelCache (v1alpha1) copies weights with a Job that cannot run on the tainted GPU nodes, does not hold the model's pod until the copy is complete, and loses the copy when the node leaves";

/** Why a lever cannot be switched on as the stack stands, if it cannot. */
function fastImagePullBlocked(config: PlatformConfig): string | undefined {
  return config.cloud === "aws" && config.eks.gpuNodeImage === "bottlerocket" ? "needs eks.gpuNodeImage al2023 (nodeadm)" : undefined;
}

function imageDiskBlocked(config: PlatformConfig): string | undefined {
  if (config.cloud === "azure") return "no AKS counterpart the platform can attach (AKS's prepared node images are in preview)";
  if (config.cloud === "aws" && config.eks.gpuNodeImage !== "bottlerocket") return "needs eks.gpuNodeImage bottlerocket, whose data volume holds the images";
  return undefined;
}

function stepsFor(facts: CloudColdStartFacts, runtime: ServingRuntime, modelGB: number, levers: Levers): ColdStartStep[] {
  const rt = servingRuntimeColdStart[runtime];
  const pullScale = rt.imageGB / referenceImageGB;
  const image = levers.warmNode
    ? { seconds: 0, basis: "on the baseline node since its first pull" }
    : levers.imageDisk && facts.imageDiskSeconds !== undefined
      ? { seconds: facts.imageDiskSeconds, basis: facts.imageDiskBasis ?? "from the image disk" }
      : levers.fastImagePull
        ? { seconds: Math.round(facts.fastImagePullSeconds * pullScale), basis: facts.fastImagePullSeconds < facts.imagePullSeconds ? "fast image pull" : "fast image pull, no published saving" }
        : { seconds: Math.round(facts.imagePullSeconds * pullScale), basis: "full pull" };
  return [
    nodeStep("node launch", facts.nodeLaunch, levers.warmNode),
    nodeStep("GPU ready", facts.gpuReady, levers.warmNode),
    { step: "serving image", ...image, basis: levers.warmNode ? image.basis : `${image.basis}, ${rt.imageBasis} image size` },
    ...weightSteps(facts, runtime, modelGB, levers),
    { step: "engine start", seconds: rt.engineStartSeconds, basis: `${runtime}, ${rt.engineBasis}` },
  ];
}

/** Getting the weights into the GPU: streamed from the model store, or downloaded then loaded. */
function weightSteps(facts: CloudColdStartFacts, runtime: ServingRuntime, modelGB: number, levers: Levers): ColdStartStep[] {
  if (levers.modelStore && servingRuntimeColdStart[runtime].streamsWeights) {
    return [{ step: `weights stream (${modelGB} GB)`, seconds: Math.round(modelGB / facts.weightsStreamGBps), basis: `from the model store into the GPU, ${facts.weightsStreamBasis}` }];
  }
  const download = levers.warmNode && levers.modelCache
    ? { seconds: 0, basis: "already on the node's disk" }
    : { seconds: Math.round(modelGB / facts.weightsGBps), basis: "from Hugging Face" };
  return [
    { step: `weights download (${modelGB} GB)`, ...download },
    { step: "weights load", seconds: Math.round(modelGB / facts.weightsLoadGBps), basis: "disk to GPU, vLLM's default loader" },
  ];
}

/** A step of bringing up a node, which a warm node has already taken. */
function nodeStep(step: string, fact: StepFact, warmNode: boolean): ColdStartStep {
  if (warmNode) return { step, seconds: 0, basis: "a baseline node is up" };
  return { step, seconds: fact.seconds, basis: fact.measuredOn ? `${fact.basis} on ${fact.measuredOn}` : fact.basis };
}

const total = (steps: readonly ColdStartStep[]) => steps.reduce((sum, s) => sum + s.seconds, 0);

/** The runtimes a team starts from: those the stack offers, or plain vLLM when it offers none. */
function runtimesOf(config: PlatformConfig): ServingRuntime[] {
  const offered = config.addons.kserve.enabled ? config.addons.kserve.runtimes : [];
  return offered.length > 0 ? [...offered] : ["vllm"];
}

/**
 * `warmCosts` are the cost model's idle figures per pool: what a pool costs a month with one model
 * kept up, which is what a warm node costs (or already costs, where the pool has baseline nodes).
 */
export function modelColdStart(config: PlatformConfig, warmCosts: readonly { pool: string; idleAtMin1Monthly: number }[] = []): ColdStartReport | undefined {
  if (config.cloud === "existing") return undefined;
  const facts = coldStartFacts[config.cloud];
  const modelGB = config.coldStart.referenceModelGB;
  const runtimes = runtimesOf(config);
  const imageDiskOffered = facts.imageDiskSeconds !== undefined;
  const fastPullWhy = fastImagePullBlocked(config);
  const imageDiskWhy = imageDiskBlocked(config);
  const configured = (pool: GpuPoolSettings): Levers => ({
    fastImagePull: config.coldStart.fastImagePull,
    imageDisk: config.coldStart.imageDisk !== undefined,
    warmNode: pool.baselineNodes > 0,
    modelCache: false,
    modelStore: config.modelStore.enabled,
  });
  const secondsWith = (levers: Levers, runtime: ServingRuntime) => total(stepsFor(facts, runtime, modelGB, levers));

  const rows = config.gpuPools.flatMap((pool) => runtimes.map((runtime) => {
    const steps = stepsFor(facts, runtime, modelGB, configured(pool));
    const seconds = total(steps);
    return { pool: pool.name, gpu: pool.gpu, runtime, steps, seconds, meetsGoal: seconds <= coldStartGoalSeconds };
  }));

  /** Seconds the lever saves per pool: from the stack as configured with it off to the same with it on. */
  const savings = (toggle: (levers: Levers, on: boolean) => Levers, runtime = runtimes[0]) => config.gpuPools.map((pool) => ({
    pool: pool.name,
    seconds: secondsWith(toggle(configured(pool), false), runtime) - secondsWith(toggle(configured(pool), true), runtime),
  }));
  const levers: ColdStartLever[] = [
    {
      lever: "faster image pull (SOCI parallel pull, Image Streaming, Artifact Streaming)",
      setting: "coldStart.fastImagePull",
      state: config.coldStart.fastImagePull ? "on" : "off",
      ...(fastPullWhy ? { why: fastPullWhy } : {}),
      savings: savings((l, on) => ({ ...l, fastImagePull: on })),
    },
    {
      lever: "serving images already on a disk every new node gets",
      setting: "coldStart.imageDisk",
      state: !imageDiskOffered ? "not offered" : config.coldStart.imageDisk !== undefined ? "on" : "off",
      ...(imageDiskWhy ? { why: imageDiskWhy } : {}),
      savings: imageDiskOffered ? savings((l, on) => ({ ...l, imageDisk: on })) : [],
    },
    {
      lever: "a warm GPU node per pool",
      setting: "gpuPools[].baselineNodes",
      state: config.gpuPools.every((pool) => pool.baselineNodes > 0) ? "on" : config.gpuPools.some((pool) => pool.baselineNodes > 0) ? "on for some pools" : "off",
      savings: savings((l, on) => ({ ...l, warmNode: on, modelCache: false })).map((s) => {
        const cost = warmCosts.find((c) => c.pool === s.pool);
        return cost ? { ...s, monthlyUsd: cost.idleAtMin1Monthly } : s;
      }),
    },
    {
      lever: "weights streamed from the stack's model store into the GPU (vllm runtime)",
      setting: "modelStore.enabled",
      state: config.modelStore.enabled ? "on" : "off",
      savings: savings((l, on) => ({ ...l, modelStore: on }), "vllm"),
    },
    {
      lever: "weights cached on a warm node (KServe LocalModelCache)",
      setting: "none",
      state: "not offered",
      why: modelCacheNotOffered,
      savings: savings((l, on) => ({ ...l, warmNode: true, modelStore: false, modelCache: on })),
    },
  ];
  return {
    asOf: coldStartTimesAsOf,
    goalSeconds: coldStartGoalSeconds,
    modelGB,
    rows,
    levers,
    imageDiskImages: imageDiskOffered ? [...runtimes.map(servingRuntimeImage), ...(config.addons.kserve.enabled ? [storageInitializerImage] : [])] : [],
  };
}

/** A lever's savings as one line for the reports: "l4 104 s, l40s 104 s", or why there are none. */
export function leverSavings(lever: ColdStartLever): string {
  if (lever.savings.length === 0) return "—";
  const line = lever.savings.map((s) => `${s.pool} ${s.seconds} s${s.monthlyUsd === undefined ? "" : ` for ${formatUsd(s.monthlyUsd)}/month`}`).join(", ");
  return lever.setting === "none" ? `${line} (on a warm node)` : line;
}
