import type { GpuPool } from "../../stacks/load";
import { gpuPoolLabels, gpuTaint } from "../cluster/contract";

/** Which node class a NodePool launches with: EC2NodeClass on EKS, AKSNodeClass on AKS. */
export interface NodeClassRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/** The NodePool name of a GPU pool, the same on every cloud that runs Karpenter. */
export function nodePoolName(pool: GpuPool): string {
  return `gpu-${pool.name}`;
}

/**
 * A Karpenter NodePool for one GPU pool: only its machine types, tainted so nothing but GPU work
 * lands there, and bounded so the pool never holds more than `maxGpus` (its baseline nodes
 * included). Shared by EKS (Karpenter) and AKS (Node Auto Provisioning); only the node class differs.
 */
export function gpuNodePoolSpec(pool: GpuPool, nodeClassRef: NodeClassRef) {
  return {
    template: {
      metadata: { labels: gpuPoolLabels(pool) },
      spec: {
        nodeClassRef: { ...nodeClassRef },
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
