import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPool, PlatformConfig } from "../../stacks/load";
import type { Cloud, TeamSettings } from "../../stacks/schema";
import { conformanceTestLabel } from "../../policy/support";
import type { RbacSubject } from "./rbac";

/** Node labels and taints the platform puts on every GPU node, so add-ons can select pools. */
export const gpuTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;
export const labelDomain = "gpu-platform.io";
export const poolLabel = `${labelDomain}/pool`;
export const roleLabel = `${labelDomain}/role`;

/** Labels the GPU Operator reads on each node: which device-plugin entry, which MIG layout. */
export const devicePluginConfigLabel = "nvidia.com/device-plugin.config";
export const migConfigLabel = "nvidia.com/mig.config";

/** The label that marks system nodes on clusters the platform builds. */
export const systemNodeLabels = { [roleLabel]: "system" } as const;

/**
 * On every node of a DRA pool: the DRA driver's kubelet plugin runs there and the GPU Operator's
 * device plugin does not (GPU Operator v26.7.0 keeps a state label a node already carries,
 * controllers/state_manager.go), so the two never advertise the same GPUs.
 */
export const allocationLabel = `${labelDomain}/gpu-allocation`;
export const draNodeLabels = { [allocationLabel]: "dra", "nvidia.com/gpu.deploy.device-plugin": "false" } as const;

/** Labels on every node of a GPU pool the platform starts. */
export function gpuPoolLabels(pool: GpuPool): Record<string, string> {
  const labels: Record<string, string> = {
    [roleLabel]: "gpu",
    [poolLabel]: pool.name,
    [`${labelDomain}/gpu`]: pool.gpu.toLowerCase(),
  };
  // The GPU Operator picks a node's device-plugin entry (replicas, or the MIG strategy) and its MIG
  // layout from these labels; nodes without one get the default entry (whole GPUs).
  if (pool.sharing.mode !== "none") labels[devicePluginConfigLabel] = pool.name;
  if (pool.sharing.mode === "mig") labels[migConfigLabel] = pool.sharing.profile;
  if (pool.allocation === "dra") Object.assign(labels, draNodeLabels);
  if (pool.conformanceTest) labels[conformanceTestLabel] = "true";
  return labels;
}

/**
 * The taints a pool's nodes carry: the GPU taint, except on the AI Conformance suite's pool, whose
 * test pods carry no tolerations (kubernetes-sigs/ai-conformance test/README.md).
 */
export function poolTaints(pool: GpuPool): (typeof gpuTaint)[] {
  return pool.conformanceTest ? [] : [gpuTaint];
}

/** The labels that pick a pool's nodes out of all nodes, whichever way they were started. */
export function poolSelector(pool: GpuPool): Record<string, string> {
  return pool.existingNodes ? { ...pool.existingNodes.labels } : { [poolLabel]: pool.name };
}

/** What the add-on layer learns about a GPU pool, whatever cloud runs it. */
export interface GpuPoolHandle {
  readonly pool: GpuPool;
  /** Labels on the pool's nodes. */
  readonly nodeLabels: Readonly<Record<string, string>>;
  /** The subset of labels that selects this pool's nodes and no others (Kueue flavors use it). */
  readonly selector: Readonly<Record<string, string>>;
  readonly taints: readonly (typeof gpuTaint)[];
}

/** What the GPU node image already ships, so the GPU Operator installs only the rest. */
export interface GpuNodeSoftware {
  readonly driver: boolean;
  readonly toolkit: boolean;
  readonly devicePlugin: boolean;
  /** Where the host's driver lives, when not where the operator puts its own (/run/nvidia/driver). */
  readonly driverInstallDir?: string;
  /** Where the operator installs the container toolkit, when the default is read-only. */
  readonly toolkitInstallDir?: string;
  /** Environment the container toolkit needs on this node image. */
  readonly toolkitEnv?: readonly { readonly name: string; readonly value: string }[];
  /**
   * Who applies a pool's time-slicing or MIG layout: the GPU Operator (device plugin config and
   * MIG manager) or the cloud's own node pool settings.
   */
  readonly sharing: "operator" | "cloud";
  /** Where the DRA driver finds the NVIDIA driver on a DRA pool's nodes (its nvidiaDriverRoot). */
  readonly draDriverRoot: string;
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

/** The Kubernetes service account in each team namespace that may read the team's model store. */
export const modelReaderServiceAccount = "model-reader";

/**
 * One team's private part of the model store (modelStore.enabled): object storage in the stack's
 * region that vLLM streams weights from, readable by the team's `model-reader` service account.
 */
export interface TeamModelStore {
  /** Where the team's models go, as vLLM's Run:ai streamer names it (s3://…, gs://…, az://…). */
  readonly uri: pulumi.Output<string>;
  /** What the streamer needs beyond the URI and the identity (Azure: the storage account's name). */
  readonly env: Readonly<Record<string, pulumi.Input<string>>>;
  /** The read-only identity behind `model-reader`. */
  readonly reader: WorkloadIdentityGrant;
}

/** Block storage for add-ons that keep data (Prometheus): an encrypted default StorageClass. */
export interface PersistentStorage {
  /** Undefined: the cluster's default class. */
  readonly className?: string;
  /** What must exist before a volume can be provisioned: the CSI driver and the class. */
  readonly ready: readonly pulumi.Resource[];
}

/** What a granted service account must carry for its pods to act as the cloud identity. */
export interface WorkloadIdentityGrant {
  /** Must exist before the pods start. */
  readonly ready: pulumi.Resource;
  /** Annotations for the Kubernetes service account (GKE: the Google account; AKS: the client id). */
  readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
  /** Labels the pods need (AKS injects the token only into labelled pods). */
  readonly podLabels: Readonly<Record<string, string>>;
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
  /** Node labels that put controllers on the system nodes ({} to run anywhere untainted). */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /**
   * GKE admits pods with the system-critical priority classes outside kube-system only up to a
   * ResourceQuota in their namespace; the GPU Operator's daemonsets use them.
   */
  readonly limitsCriticalPods: boolean;
  /**
   * Gives a service account its own cloud identity; returns what must exist before its pods start.
   * `parent` is the component asking, so the identity is listed under it. Absent where there is no
   * cloud to grant from (an existing cluster).
   */
  grantWorkloadIdentity?(name: string, request: WorkloadIdentityRequest, parent?: pulumi.Resource): WorkloadIdentityGrant;
  /**
   * Object storage for model weights in the stack's region, one private part per team, each
   * readable only by that team's `model-reader` service account. Absent on an existing cluster.
   */
  teamModelStores?(teams: readonly string[], parent: pulumi.Resource): ReadonlyMap<string, TeamModelStore>;
  /**
   * The RBAC subject that the cloud's authentication yields for a team's `group`: what the team's
   * RoleBinding must name to match anyone. The cloud side (access entries, IAM, role assignments)
   * is granted by the cluster itself.
   */
  teamSubject(team: TeamSettings & { readonly group: string }): RbacSubject;
}

export interface ClusterArgs {
  readonly config: PlatformConfig;
}

/** Each cloud implements this; the platform picks one by `cloud` from a typed registry. */
export type ClusterBuilder = (name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions) => ClusterHandle;
