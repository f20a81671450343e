import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPool } from "../../stacks/load";
import { gpuNodePoolSpec, nodeDrainTimeouts, nodePoolName } from "../karpenter/gpu-node-pool";

/**
 * AKSNodeClass version. v1alpha2 is what every NAP release serves; the upstream CRD (reference,
 * Aug 2026) marks it deprecated in favour of v1beta1, which Microsoft's NAP pages now use. Moving
 * is a change of this constant alone once every target cluster's NAP serves v1beta1.
 */
export const aksNodeClassApiVersion = "karpenter.azure.com/v1alpha2";
export const gpuNodeClassName = "gpu";

/**
 * Node image for GPU nodes (NAP and baseline pools) and the system pool alike. Ubuntu, not Azure
 * Linux: with AKS' driver skipped the GPU Operator's driver container builds the driver, and NVIDIA
 * ships those for Ubuntu only (GPU Operator platform support, cloud providers); Microsoft's GPU
 * Operator page warns against mixing OS versions in one cluster. The version follows the
 * Kubernetes version (24.04 from 1.35), the same rule for agent pools and NAP.
 */
export const nodeImage = { imageFamily: "Ubuntu", osSku: "Ubuntu" } as const;

export interface GpuNodeClassSettings {
  readonly subnetId: string;
  readonly osDiskSizeGB: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Artifact Streaming on the nodes (coldStart.fastImagePull); images must come from a Premium ACR with streaming on. */
  readonly artifactStreaming?: boolean;
}

/** The AKSNodeClass every GPU NodePool uses. */
export function gpuNodeClassSpec(settings: GpuNodeClassSettings) {
  return {
    imageFamily: nodeImage.imageFamily,
    // AKS installs no driver, so the GPU Operator owns driver, toolkit and device plugin.
    gpu: { mode: "None" },
    osDiskSizeGB: settings.osDiskSizeGB,
    vnetSubnetID: settings.subnetId,
    // Resource group tags do not reach the VMs NAP creates.
    tags: { ...settings.tags },
    ...(settings.artifactStreaming ? { artifactStreaming: { enabled: true } } : {}),
  };
}

export interface NodeProvisioningArgs {
  readonly gpuPools: readonly GpuPool[];
  readonly subnetId: pulumi.Input<string>;
  readonly osDiskSizeGB: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly artifactStreaming: boolean;
  readonly kubernetes: k8s.Provider;
  /**
   * What NAP needs before it can launch a node: the cluster (NAP installs the CRDs, and runs
   * Karpenter in the control plane), its system pool, and its right to join the node subnet.
   */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * GPU capacity through Node Auto Provisioning (AKS-managed Karpenter): one AKSNodeClass and a
 * NodePool per GPU pool. Both depend on the cluster, so `pulumi destroy` deletes the NodePools
 * while NAP still runs and can remove every node it launched.
 */
export class NodeProvisioning extends pulumi.ComponentResource {
  readonly nodeClass: k8s.apiextensions.CustomResource;
  readonly nodePools: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: NodeProvisioningArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:NodeProvisioning", name, {}, opts);
    const onCluster = { parent: this, provider: args.kubernetes };
    this.nodeClass = new k8s.apiextensions.CustomResource(`${name}-nodeclass`, {
      apiVersion: aksNodeClassApiVersion,
      kind: "AKSNodeClass",
      metadata: { name: gpuNodeClassName },
      spec: pulumi.output(args.subnetId).apply((subnetId) => gpuNodeClassSpec({ subnetId, osDiskSizeGB: args.osDiskSizeGB, tags: args.tags, artifactStreaming: args.artifactStreaming })),
    }, { ...onCluster, dependsOn: [...args.dependsOn], customTimeouts: nodeDrainTimeouts });

    this.nodePools = args.gpuPools.map((pool) => new k8s.apiextensions.CustomResource(`${name}-${nodePoolName(pool)}`, {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: nodePoolName(pool) },
      spec: gpuNodePoolSpec(pool, { group: "karpenter.azure.com", kind: "AKSNodeClass", name: gpuNodeClassName }),
    }, { ...onCluster, dependsOn: [...args.dependsOn, this.nodeClass], customTimeouts: nodeDrainTimeouts }));
    this.registerOutputs({});
  }
}
