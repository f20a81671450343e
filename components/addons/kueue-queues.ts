import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/load";
import type { TeamSettings } from "../../stacks/schema";
import { GpuPoolHandle } from "../cluster/contract";

const kueueApi = "kueue.x-k8s.io/v1beta2";
export const cohortName = "gpu-platform";

/** Serving outranks batch: a waiting inference workload may preempt a batch one. */
export const workloadPriorities = { serving: 1000, batch: 100 } as const;

export const flavorName = (pool: GpuPoolHandle) => `gpu-${pool.pool.name}`;
export const clusterQueueName = (team: string) => `team-${team}`;
export const localQueueName = "default";

/** Annotations on a flavor that let policies relate its quotas to the pool behind it. */
export const flavorAnnotations = { maxGpus: "gpu-platform.io/max-gpus", unitsPerGpu: "gpu-platform.io/gpu-units-per-gpu" } as const;

/**
 * A team's GPU entitlement on one pool, in the `nvidia.com/gpu` units the pool's nodes advertise
 * (time-slicing replicas or MIG instances per physical GPU): its nominal quota, and what it may
 * borrow from idle teams up to the pool's ceiling.
 */
export function teamGpuUnits(team: TeamSettings, handle: GpuPoolHandle): { nominal: number; borrowing: number } {
  const gpus = team.gpus[handle.pool.name] ?? 0;
  return {
    nominal: gpus * handle.pool.unitsPerGpu,
    borrowing: Math.max(0, handle.pool.maxGpus - gpus) * handle.pool.unitsPerGpu,
  };
}

/** One ClusterQueue spec: a flavor per GPU pool the team may use, quotas and borrowing limits. */
export function clusterQueueSpec(team: TeamSettings, pools: readonly GpuPoolHandle[]) {
  const flavors = pools.map((handle) => {
    const { nominal, borrowing } = teamGpuUnits(team, handle);
    return {
      name: flavorName(handle),
      resources: [
        { name: "cpu", nominalQuota: team.cpu },
        { name: "memory", nominalQuota: team.memory },
        // A team may borrow idle GPUs from the cohort up to the pool's ceiling, and gives them back on demand.
        { name: "nvidia.com/gpu", nominalQuota: nominal, borrowingLimit: borrowing },
      ],
    };
  });
  return {
    cohortName,
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": team.name } },
    resourceGroups: [{ coveredResources: ["cpu", "memory", "nvidia.com/gpu"], flavors }],
    preemption: {
      reclaimWithinCohort: "Any",
      borrowWithinCohort: { policy: "LowerPriority", maxPriorityThreshold: workloadPriorities.batch },
      withinClusterQueue: "LowerPriority",
    },
  };
}

export interface KueueQueuesArgs {
  readonly config: PlatformConfig;
  readonly pools: readonly GpuPoolHandle[];
  readonly provider: k8s.Provider;
  /** The Kueue release: its CRDs and webhook must exist before any queue. */
  readonly kueue: pulumi.Resource;
}

/** Cluster-wide queueing objects: flavors, the cohort, priorities and a ClusterQueue per team. */
export class KueueQueues extends pulumi.ComponentResource {
  readonly clusterQueues = new Map<string, k8s.apiextensions.CustomResource>();

  constructor(name: string, args: KueueQueuesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:KueueQueues", name, {}, opts);
    const after = { parent: this, provider: args.provider, dependsOn: [args.kueue] };

    const flavors = args.pools.map((handle) => new k8s.apiextensions.CustomResource(`${name}-${flavorName(handle)}`, {
      apiVersion: kueueApi,
      kind: "ResourceFlavor",
      metadata: {
        name: flavorName(handle),
        annotations: { [flavorAnnotations.maxGpus]: String(handle.pool.maxGpus), [flavorAnnotations.unitsPerGpu]: String(handle.pool.unitsPerGpu) },
      },
      spec: {
        nodeLabels: { ...handle.selector },
        // Exists, not Equal: nodes the platform did not taint often carry `nvidia.com/gpu:NoSchedule`
        // with no value, which an Equal/present toleration does not tolerate.
        tolerations: handle.taints.map((taint) => ({ key: taint.key, operator: "Exists", effect: taint.effect })),
      },
    }, after));
    const cohort = new k8s.apiextensions.CustomResource(`${name}-cohort`, {
      apiVersion: kueueApi, kind: "Cohort", metadata: { name: cohortName }, spec: {},
    }, after);
    for (const [priority, value] of Object.entries(workloadPriorities)) {
      new k8s.apiextensions.CustomResource(`${name}-${priority}`, {
        apiVersion: kueueApi, kind: "WorkloadPriorityClass", metadata: { name: priority }, value,
        description: `${priority} workloads`,
      }, after);
    }
    for (const team of args.config.teams) {
      this.clusterQueues.set(team.name, new k8s.apiextensions.CustomResource(`${name}-${clusterQueueName(team.name)}`, {
        apiVersion: kueueApi,
        kind: "ClusterQueue",
        metadata: { name: clusterQueueName(team.name) },
        spec: clusterQueueSpec(team, args.pools),
      }, { ...after, dependsOn: [args.kueue, cohort, ...flavors] }));
    }
    this.registerOutputs({});
  }
}
