import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPool, PlatformConfig } from "../../stacks/load";
import type { Cloud } from "../../stacks/schema";

/** Node labels and taints the platform puts on every GPU node, so add-ons can select pools. */
export const gpuTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
export const labelDomain = "gpu-platform.io";
export const poolLabel = `${labelDomain}/pool`;
export const roleLabel = `${labelDomain}/role`;

/** Labels on every node of a GPU pool, whichever way the node was started. */
export function gpuPoolLabels(pool: GpuPool): Record<string, string> {
  const labels: Record<string, string> = {
    [roleLabel]: "gpu",
    [poolLabel]: pool.name,
    [`${labelDomain}/gpu`]: pool.gpu.toLowerCase(),
  };
  // The GPU Operator picks a node's sharing configuration from these labels.
  if (pool.sharing.mode === "time-slicing") labels["nvidia.com/device-plugin.config"] = pool.name;
  if (pool.sharing.mode === "mig") labels["nvidia.com/mig.config"] = pool.sharing.profile;
  return labels;
}

/** What the add-on layer learns about a GPU pool, whatever cloud runs it. */
export interface GpuPoolHandle {
  readonly pool: GpuPool;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly taints: readonly (typeof gpuTaint)[];
}

/** What the GPU node image already ships, so the GPU Operator installs only the rest. */
export interface GpuNodeSoftware {
  readonly driver: boolean;
  readonly toolkit: boolean;
  readonly devicePlugin: boolean;
}

/** Grants a Kubernetes service account cloud permissions without node credentials. */
export interface WorkloadIdentityRequest {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** A cloud-native policy document (IAM JSON on AWS). */
  readonly policy?: pulumi.Input<string>;
  /** Cloud-managed policies to attach as they are (ARNs on AWS). */
  readonly managedPolicies?: readonly string[];
}

/** Block storage for add-ons that keep data (Prometheus): an encrypted default StorageClass. */
export interface PersistentStorage {
  readonly className: string;
  /** What must exist before a volume can be provisioned: the CSI driver and the class. */
  readonly ready: readonly pulumi.Resource[];
}

/** What every cloud hands to the add-on layer. */
export interface ClusterHandle {
  readonly cloud: Cloud;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  /** Secret: the kubeconfig carries the cluster's address and how to authenticate. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  /** Resources add-ons wait for: nodes where their pods can schedule. */
  readonly systemNodes: readonly pulumi.Resource[];
  readonly gpuPools: readonly GpuPoolHandle[];
  readonly gpuNodeSoftware: GpuNodeSoftware;
  readonly storage: PersistentStorage;
  /**
   * Gives a service account its own cloud identity; returns what must exist before its pods start.
   * `parent` is the component asking, so the identity is listed under it.
   */
  grantWorkloadIdentity(name: string, request: WorkloadIdentityRequest, parent?: pulumi.Resource): pulumi.Resource;
}

export interface ClusterArgs {
  readonly config: PlatformConfig;
}

/** Each cloud implements this; the platform picks one by `cloud` from a typed registry. */
export type ClusterBuilder = (name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions) => ClusterHandle;
