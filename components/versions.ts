/**
 * Every pinned version the platform installs, in one place. Bump here, read the upstream release
 * notes, and check values against ../shared/reference at the new version.
 */
export const charts = {
  /** oci://public.ecr.aws/karpenter — aws/karpenter-provider-aws v1.14.1 (2026-08-20). */
  karpenter: { repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" },
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
