/**
 * Kubernetes minor versions the platform accepts: those in EKS standard support on 2026-11-22
 * that the pinned Karpenter release supports, leaving out 1.34, whose standard support ends ten
 * days later (a new cluster would start in paid extended support or be upgraded at once).
 *
 * Sources:
 * - EKS calendar: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 *   (1.34 standard support ends 2026-12-02; 1.35 on 2027-03-27, per https://endoflife.date/amazon-eks;
 *   1.36 released on EKS 2026-06, per the EKS release notes)
 * - Karpenter compatibility, website/content/en/v1.14/upgrading/compatibility.md in
 *   aws/karpenter-provider-aws: 1.35 needs Karpenter ≥ 1.9, 1.36 needs ≥ 1.13.
 */
export const kubernetesVersions = ["1.35", "1.36"] as const;
export type KubernetesVersion = (typeof kubernetesVersions)[number];

export const defaultKubernetesVersion: KubernetesVersion = "1.35";
