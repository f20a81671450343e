/**
 * The EKS managed add-on version each add-on gets, per Kubernetes minor: pinned, so they move when
 * `kubernetesVersion` does and at no other time (pulumi-eks would otherwise take the newest
 * vpc-cni and kube-proxy on every run, rolling them, and EKS would keep whatever default an
 * unpinned add-on was created with). Each is the version `aws eks describe-addon-versions`
 * marked `defaultVersion: true` when recorded:
 *
 * - 1.35: recorded 2026-08-04 (eu/ap regions agree; public Terraform pins of "the AWS default, not
 *   latest" for 1.35, e.g. skax-ca/eks-reference-infra live/dev/eks/main.tf).
 * - 1.36: recorded 2026-09-16, from add-ons created on a 1.36 cluster without a version (they take
 *   the default). aws-ebs-csi-driver: v1.63.1-eksbuild.1, the 1.35 default, whose add-on versions
 *   list every supported minor; not recorded for 1.36 itself.
 *
 * Refresh before a bump:
 *   aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <name> \
 *     --query 'addons[0].addonVersions[?compatibilities[0].defaultVersion==`true`].addonVersion'
 */
import type { KubernetesVersion } from "./kubernetes-versions";

export const eksAddonVersionsAsOf = "2026-09-16";

export const eksAddons = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver", "eks-pod-identity-agent"] as const;
export type EksAddon = (typeof eksAddons)[number];

export const eksAddonVersions: Record<KubernetesVersion, Record<EksAddon, string>> = {
  "1.35": {
    "vpc-cni": "v1.22.3-eksbuild.1",
    "kube-proxy": "v1.35.3-eksbuild.17",
    coredns: "v1.13.2-eksbuild.11",
    "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
  },
  "1.36": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    "kube-proxy": "v1.36.0-eksbuild.21",
    coredns: "v1.14.3-eksbuild.16",
    "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
  },
};
