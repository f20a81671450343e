import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPool } from "../../stacks/load";
import { gpuPoolLabels, gpuTaint } from "../cluster/contract";

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

/** The NodePool name of a GPU pool, as on EKS. */
export function nodePoolName(pool: GpuPool): string {
  return `gpu-${pool.name}`;
}

/**
 * A NAP NodePool for one GPU pool: only its VM sizes, tainted so nothing but GPU work lands there,
 * bounded so the pool never holds more than `maxGpus` (its baseline agent pool included).
 * Requirements, expiry and disruption match the EKS NodePools (components/aws/karpenter); only the
 * node class differs.
 */
export function napNodePoolSpec(pool: GpuPool) {
  return {
    template: {
      metadata: { labels: gpuPoolLabels(pool) },
      spec: {
        nodeClassRef: { group: "karpenter.azure.com", kind: "AKSNodeClass", name: gpuNodeClassName },
        requirements: [
          { key: "node.kubernetes.io/instance-type", operator: "In", values: pool.machines.map((m) => m.name) },
          { key: "karpenter.sh/capacity-type", operator: "In", values: [...pool.capacityTypes] },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
        ],
        taints: [{ ...gpuTaint }],
        // Monthly replacement keeps drivers and kernels current.
        expireAfter: "720h",
        // Bounds how long a draining node waits for a pod that will not leave.
        terminationGracePeriod: "1h",
      },
    },
    limits: { "nvidia.com/gpu": String(pool.burstGpus) },
    disruption: {
      // Never evict running inference to save money; reclaim nodes only once they are empty.
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: "10m",
      budgets: [
        { nodes: "100%", reasons: ["Empty"] },
        { nodes: "1", reasons: ["Drifted"] },
      ],
    },
  };
}

export interface GpuNodeClassSettings {
  readonly subnetId: string;
  readonly osDiskSizeGB: number;
  readonly tags: Readonly<Record<string, string>>;
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
  };
}

export interface NodeProvisioningArgs {
  readonly gpuPools: readonly GpuPool[];
  readonly subnetId: pulumi.Input<string>;
  readonly osDiskSizeGB: number;
  readonly tags: Readonly<Record<string, string>>;
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
      spec: pulumi.output(args.subnetId).apply((subnetId) => gpuNodeClassSpec({ subnetId, osDiskSizeGB: args.osDiskSizeGB, tags: args.tags })),
    }, { ...onCluster, dependsOn: [...args.dependsOn] });

    this.nodePools = args.gpuPools.map((pool) => new k8s.apiextensions.CustomResource(`${name}-${nodePoolName(pool)}`, {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: nodePoolName(pool) },
      spec: napNodePoolSpec(pool),
    }, { ...onCluster, dependsOn: [...args.dependsOn, this.nodeClass] }));
    this.registerOutputs({});
  }
}
