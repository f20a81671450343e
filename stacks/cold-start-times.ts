/**
 * How long a model takes to answer from zero, step by step, for the plan's cold-start model. A
 * model, not a measurement: the figures are published measurements where one exists and labelled
 * estimates where none does.
 *
 * Sources (read 2026-12-03):
 * - aws node: awslabs/data-on-eks website/docs/ai-ml/ray-batch-inference.md (commit a95def03,
 *   2026-07-14), g6e.2xlarge with Karpenter and the GPU Operator: pending pod to NodeClaim 13 s,
 *   launch to Ready 40 s, Ready to GPU registered 36 s.
 * - image: the same document, an 11.6 GB vLLM image from same-region ECR in 2 min 01 s; vLLM images
 *   are "often over 10GB" (Google Cloud blog, Data loading best practices for AI/ML inference on
 *   GKE, 2024-11-13). No size is published for vllm/vllm-openai v0.24.0 or for KServe's
 *   huggingfaceserver v0.20.0-gpu (vLLM 0.24.0 inside, python/huggingface_server.Dockerfile at
 *   kserve v0.20.0); both are modelled at the measured image's size.
 * - gcp image streaming: GoogleCloudPlatform/ai-on-gke best-practices/startup-latency.md (2023-08),
 *   a 5.4 GB Triton image's start from 191 s to 30 s; modelled as the same 30 s.
 * - aws SOCI parallel pull: awslabs/soci-snapshotter commit f1fcd05 (v0.14.0), "14-50% faster";
 *   modelled at the low end (14%), since data-on-eks saw no gain on an image with one large layer.
 * - azure Artifact Streaming: no published figure since its GA (AKS release v20260717; the
 *   preview's "over 15%" was removed); modelled as no saving.
 * - aws image disk: aws-ia/terraform-aws-eks-blueprints patterns/ml-container-cache (commit
 *   6c019ce0, 2025-03-12): a 20.4 GB image on an EBS snapshot mounted as containerd's volume, with
 *   Fast Snapshot Restore on, started a pod in under 5 s against 334 s without. No figure without
 *   FSR is published (the volume then reads its blocks lazily from S3).
 * - gcp image disk: a vLLM image (~8 GB) on a GKE secondary boot disk loaded in about 7 s (a
 *   third-party run on T4 Spot, us-east1-d, 2026-04-05); Google's blog above says a 16 GB image
 *   loads "up to 29x faster" from the disk than from the registry.
 * - gcp node: no absolute published figure for a Standard cluster's autoscaler; the launch is
 *   estimated like aws's, and GPU ready as aws's plus GKE's driver installation ("~30 seconds",
 *   ai-on-gke startup-latency.md).
 * - azure node: no published figure for NAP; the launch is estimated like aws's, and GPU ready from
 *   the GPU Operator's driver container and "a couple of minutes … for the device plugin to
 *   advertise the resource" (Azure/AKS blog 2026-07-13, Run:ai streamer with vLLM).
 * - weights from Hugging Face: data-on-eks, 15 GiB in 16 s on aws (its staging download); Azure/AKS
 *   blog 2026-07-13, 29 GB in about 113 s on azure; gcp estimated like azure (no published figure).
 * - weights from the node's disk into the GPU with vLLM's default loader: run-ai/runai-model-streamer
 *   docs/src/benchmarks.md (commit ccb94542), Llama-3-8B (15 GB) from EBS gp3 in 47.99 s on aws;
 *   the Azure/AKS blog above, 27.4 GiB from local disk in about 74 s on azure; gcp estimated like
 *   azure.
 * - weights streamed from object storage in the region (vLLM's Run:ai streamer, straight into the
 *   GPU): data-on-eks, 15 GiB from S3 in 17.8 s on a g6e.2xlarge; Azure/AKS blog above, 27.4 GiB
 *   from premium block blob storage in 9.96 s on a Standard_NC24ads_A100_v4; gcp not published,
 *   estimated at the S3 rate.
 * - engine start: data-on-eks, vLLM 0.22 initialising an 8B model (torch.compile, CUDA graphs,
 *   warm-up) in 33.8 s on an L40S. KServe's huggingfaceserver runs vLLM 0.24 behind KServe's own
 *   server; no separate figure is published, so it is modelled the same.
 *
 * Per machine family: no cloud or project publishes node or pull times per GPU family; every figure
 * above applies to a whole cloud, and `measuredOn` says which machine the measurement used.
 */
import type { RegionCloud } from "./jurisdictions";
import type { ServingRuntime } from "./schema";

export const coldStartTimesAsOf = "2026-12-03";

export type Basis = "measured" | "estimated";

export interface StepFact {
  readonly seconds: number;
  readonly basis: Basis;
  /** The machine a measurement was taken on. */
  readonly measuredOn?: string;
}

export interface CloudColdStartFacts {
  /** From a pending pod to a Ready node. */
  readonly nodeLaunch: StepFact;
  /** From a Ready node to GPUs the scheduler can use (driver, toolkit, device plugin). */
  readonly gpuReady: StepFact;
  /** Pulling the reference serving image (`referenceImageGB`) onto a new node from the cloud's registry. */
  readonly imagePullSeconds: number;
  /** The same with coldStart.fastImagePull; equal where no saving is published. */
  readonly fastImagePullSeconds: number;
  /** The same with the image already on the node's disk (coldStart.imageDisk); absent where the platform cannot attach one. */
  readonly imageDiskSeconds?: number;
  /** What the image-disk figure assumes. */
  readonly imageDiskBasis?: string;
  /** Downloading weights from Hugging Face onto the node, GB per second. */
  readonly weightsGBps: number;
  /** Loading weights from the node's disk into GPU memory (vLLM's default loader), GB per second. */
  readonly weightsLoadGBps: number;
  /** Streaming weights from the stack's model store into GPU memory, GB per second. */
  readonly weightsStreamGBps: number;
  readonly weightsStreamBasis: Basis;
}

/** The size of the measured vLLM image every pull figure refers to. */
export const referenceImageGB = 11.6;

export const coldStartFacts: Record<RegionCloud, CloudColdStartFacts> = {
  aws: {
    nodeLaunch: { seconds: 13 + 40, basis: "measured", measuredOn: "g6e.2xlarge" },
    gpuReady: { seconds: 36, basis: "measured", measuredOn: "g6e.2xlarge" },
    imagePullSeconds: 121,
    fastImagePullSeconds: Math.round(121 * 0.86),
    imageDiskSeconds: 5,
    imageDiskBasis: "from the snapshot, with Fast Snapshot Restore on",
    weightsGBps: 16.1 / 16,
    weightsLoadGBps: 15 / 47.99,
    weightsStreamGBps: 16.1 / 17.8,
    weightsStreamBasis: "measured",
  },
  gcp: {
    nodeLaunch: { seconds: 53, basis: "estimated" },
    gpuReady: { seconds: 36 + 30, basis: "estimated" },
    imagePullSeconds: 121,
    fastImagePullSeconds: 30,
    imageDiskSeconds: 7,
    imageDiskBasis: "from the secondary boot disk",
    weightsGBps: 29 / 113,
    weightsLoadGBps: 29.4 / 74,
    weightsStreamGBps: 16.1 / 17.8,
    weightsStreamBasis: "estimated",
  },
  azure: {
    nodeLaunch: { seconds: 53, basis: "estimated" },
    gpuReady: { seconds: 157, basis: "estimated" },
    imagePullSeconds: 121,
    fastImagePullSeconds: 121,
    weightsGBps: 29 / 113,
    weightsLoadGBps: 29.4 / 74,
    weightsStreamGBps: 29.4 / 9.96,
    weightsStreamBasis: "measured",
  },
};

export interface ServingRuntimeFacts {
  /**
   * Whether the runtime can stream weights from the model store. KServe's huggingfaceserver
   * downloads whatever storageUri names before vLLM starts (its storage initializer, and
   * Storage.download in the server at v0.20.0), and cannot read az:// at all.
   */
  readonly streamsWeights: boolean;
  /** The image the runtime's pods pull (what an image disk must hold). */
  readonly image: string;
  readonly imageGB: number;
  readonly imageBasis: Basis;
  readonly engineStartSeconds: number;
  readonly engineBasis: Basis;
}

export const servingRuntimeColdStart: Record<ServingRuntime, Omit<ServingRuntimeFacts, "image">> = {
  vllm: { streamsWeights: true, imageGB: referenceImageGB, imageBasis: "estimated", engineStartSeconds: 34, engineBasis: "measured" },
  huggingface: { streamsWeights: false, imageGB: referenceImageGB, imageBasis: "estimated", engineStartSeconds: 34, engineBasis: "estimated" },
};
