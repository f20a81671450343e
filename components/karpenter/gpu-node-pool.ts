import type { GpuPool } from "../../stacks/load";
import { gpuPoolLabels, poolTaints } from "../cluster/contract";

/** Which node class a NodePool launches with: EC2NodeClass on EKS, AKSNodeClass on AKS. */
export interface NodeClassRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * Deleting the node class waits on Karpenter's finalizer, which drains and terminates every node of
 * it first, each taking up to the NodePool's terminationGracePeriod (1h); Pulumi's default wait is
 * shorter. (A NodePool itself carries no finalizer; the same bound is set on it for symmetry.)
 */
export const nodeDrainTimeouts = { delete: "90m" } as const;

/** The NodePool name of a GPU pool, the same on every cloud that runs Karpenter. */
export function nodePoolName(pool: GpuPool): string {
  return `gpu-${pool.name}`;
}

/**
 * What a NodePool may hold. Karpenter counts a node's `nvidia.com/gpu` as the node advertises it
 * once it is initialized (time-slicing replicas × GPUs, MIG instances), so the GPU limit is in those
 * units. While it plans launches it counts new nodes at their machine's physical GPUs, so a burst
 * of pending pods could start up to `unitsPerGpu` times the pool's GPUs. A shared pool is therefore
 * also bounded in vCPUs, which Karpenter counts alike in a scheduling pass and after launch; with
 * machines of one size that is exactly the pool's node count. (`limits.nodes` would not do: within
 * one pass Karpenter does not count the nodes it is about to create against it.) Sources:
 * kubernetes-sigs/karpenter v1.14 state node Capacity, scheduler remaining-resources bookkeeping.
 */
export function gpuPoolLimits(pool: GpuPool): Record<string, string> {
  const limits: Record<string, string> = { "nvidia.com/gpu": String(pool.burstGpus * pool.unitsPerGpu) };
  if (pool.unitsPerGpu > 1 && pool.burstGpus > 0) {
    const vcpus = pool.baselineMachine.vcpus;
    // The loader refuses shared pools that scale where the catalog has no vCPUs (NAP): never here.
    if (vcpus === undefined) throw new Error(`gpuPools ${pool.name}: no vCPU count for ${pool.baselineMachine.name} to bound a shared pool`);
    limits.cpu = String(Math.floor(pool.burstGpus / pool.baselineMachine.gpus) * vcpus);
  }
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
        taints: poolTaints(pool).map((taint) => ({ ...taint })),
        // Expiry is forceful (disruption budgets do not hold it back) and would evict running
        // inference every month; nodes are replaced by drift instead (a new image, a changed
        // class), one at a time, waiting for pods to leave.
        expireAfter: "Never",
        // How long a draining node (drift, an emptied pool, destroy) waits for pods whose
        // PodDisruptionBudget holds them; then they are deleted. Without it a budget that never
        // allows eviction would hold a node, and `pulumi destroy`, forever.
        terminationGracePeriod: "1h",
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
