import type { GpuPool } from "../../stacks/load";
import { gpuPoolLabels, gpuTaint } from "../cluster/contract";

/** Which node class a NodePool launches with: EC2NodeClass on EKS, AKSNodeClass on AKS. */
export interface NodeClassRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * Deleting a NodePool or node class waits on Karpenter's finalizers, which drain and terminate
 * every node first; GPU pods with long grace periods outlast Pulumi's default wait.
 */
export const nodeDrainTimeouts = { delete: "45m" } as const;

/** The NodePool name of a GPU pool, the same on every cloud that runs Karpenter. */
export function nodePoolName(pool: GpuPool): string {
  return `gpu-${pool.name}`;
}

/**
 * What a NodePool may hold. Karpenter counts a node's `nvidia.com/gpu` as the node advertises it
 * once it is initialized (time-slicing replicas × GPUs, MIG instances), so the GPU limit is in those
 * units. But when it launches nodes it counts each at its machine's physical GPUs, so a burst of
 * pending pods could start up to `unitsPerGpu` times the pool's GPUs before the first one reports
 * its slices; a shared pool is also bounded by node count, which Karpenter counts the same way at
 * launch and after (kubernetes-sigs/karpenter v1.14 state node Capacity, scheduler limits).
 */
export function gpuPoolLimits(pool: GpuPool): Record<string, string> {
  const limits: Record<string, string> = { "nvidia.com/gpu": String(pool.burstGpus * pool.unitsPerGpu) };
  if (pool.unitsPerGpu > 1) limits.nodes = String(Math.floor(pool.burstGpus / pool.baselineMachine.gpus));
  return limits;
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
        // Expiry is forceful (disruption budgets do not hold it back) and would evict running
        // inference every month; nodes are replaced by drift instead (a new image, a changed
        // class), one at a time, waiting for pods to leave. No terminationGracePeriod either: it
        // would force-delete pods that their PodDisruptionBudget keeps.
        expireAfter: "Never",
      },
    },
    limits: gpuPoolLimits(pool),
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
