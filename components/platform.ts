import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../stacks/load";
import { AddonLayer } from "./addons/addon-layer";
import { kserve, kueue } from "./addons/catalog";
import { KueueQueues, clusterQueueName } from "./addons/kueue-queues";
import type { ClusterHandle } from "./cluster/contract";
import { clusterBuilders } from "./cluster/registry";
import { TeamNamespace } from "./tenancy";

export interface GpuPlatformArgs {
  readonly config: PlatformConfig;
}

/**
 * The whole platform for one stack: a cluster from the configured cloud, its GPU capacity, the
 * add-ons installed on it, and a namespace per team.
 */
export class GpuPlatform extends pulumi.ComponentResource {
  readonly cluster: ClusterHandle;
  readonly addons: AddonLayer;
  readonly teams: TeamNamespace[];

  constructor(name: string, args: GpuPlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:index:GpuPlatform", name, {}, opts);
    const { config } = args;
    this.cluster = clusterBuilders[config.cloud](name, { config }, { parent: this });
    this.addons = new AddonLayer(`${name}-addons`, { config, cluster: this.cluster }, { parent: this });

    const kueueRelease = this.addons.releaseOf(kueue);
    const queues = kueueRelease && new KueueQueues(`${name}-queues`, {
      config, pools: this.cluster.gpuPools, provider: this.cluster.provider, kueue: kueueRelease,
    }, { parent: this });

    // Inference traffic arrives through KServe's namespace; nothing else may reach team pods.
    const ingressFrom = this.addons.releaseOf(kserve) ? [kserve.namespace] : [];
    this.teams = config.teams.map((team) => {
      const clusterQueue = queues?.clusterQueues.get(team.name);
      return new TeamNamespace(`${name}-team-${team.name}`, {
        team,
        provider: this.cluster.provider,
        clusterQueue: clusterQueue && { name: clusterQueueName(team.name), resource: clusterQueue },
        ingressFrom,
      }, { parent: this });
    });
    this.registerOutputs({ clusterName: this.cluster.name });
  }
}
