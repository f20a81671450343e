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
 *   GKE, 2024-11-13).
 * - gcp image streaming: GoogleCloudPlatform/ai-on-gke best-practices/startup-latency.md (2023-08),
 *   a 5.4 GB Triton image's start from 191 s to 30 s; modelled as the same 30 s.
 * - aws SOCI parallel pull: awslabs/soci-snapshotter commit f1fcd05 (v0.14.0), "14-50% faster";
 *   modelled at the low end (14%), since data-on-eks saw no gain on an image with one large layer.
 * - azure Artifact Streaming: no published figure since its GA (the preview's "over 15%" was
 *   removed); modelled as no saving.
 * - gcp node: no absolute published figure for a Standard cluster's autoscaler; estimated from a VM
 *   boot like aws's plus GKE's driver installation ("~30 seconds", ai-on-gke startup-latency.md).
 * - azure node: no published figure for NAP; estimated from a VM boot plus the GPU Operator's driver
 *   container, and "a couple of minutes … for the device plugin to advertise the resource" (Azure/AKS
 *   blog 2026-07-13, Run:ai streamer with vLLM).
 * - weights from Hugging Face: data-on-eks, 15 GiB in 16 s on aws; Azure/AKS blog 2026-07-13, 29 GB
 *   in about 113 s on azure; gcp estimated like azure (no published figure).
 * - engine start: data-on-eks, vLLM 0.22 initialising an 8B model (torch.compile, CUDA graphs,
 *   warm-up) in 33.8 s on an L40S.
 */
import type { RegionCloud } from "./jurisdictions";

export const coldStartTimesAsOf = "2026-12-03";

export interface ColdStartFacts {
  /** From a pending pod to a node whose GPUs the scheduler can use. */
  readonly nodeToGpuSeconds: number;
  readonly nodeBasis: "measured" | "estimated";
  /** Pulling the serving image onto a new node, and with coldStart.fastImagePull. */
  readonly imagePullSeconds: number;
  readonly fastImagePullSeconds: number;
  /** Downloading weights from Hugging Face, GB per second. */
  readonly weightsGBps: number;
  readonly engineStartSeconds: number;
}

export const coldStartFacts: Record<RegionCloud, ColdStartFacts> = {
  aws: { nodeToGpuSeconds: 89, nodeBasis: "measured", imagePullSeconds: 121, fastImagePullSeconds: Math.round(121 * 0.86), weightsGBps: 16.1 / 16, engineStartSeconds: 34 },
  gcp: { nodeToGpuSeconds: 120, nodeBasis: "estimated", imagePullSeconds: 121, fastImagePullSeconds: 30, weightsGBps: 29 / 113, engineStartSeconds: 34 },
  azure: { nodeToGpuSeconds: 210, nodeBasis: "estimated", imagePullSeconds: 121, fastImagePullSeconds: 121, weightsGBps: 29 / 113, engineStartSeconds: 34 },
};
