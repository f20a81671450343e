import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../stacks/load";
import type { ClusterHandle } from "./cluster/contract";
import { clusterBuilders } from "./cluster/registry";
import { AddonLayer } from "./addons/addon-layer";

export interface GpuPlatformArgs {
  readonly config: PlatformConfig;
}

/**
 * The whole platform for one stack: a cluster from the configured cloud, its GPU capacity, and
 * (through the cluster contract) everything installed on it.
 */
export class GpuPlatform extends pulumi.ComponentResource {
  readonly cluster: ClusterHandle;
  readonly addons: AddonLayer;

  constructor(name: string, args: GpuPlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:index:GpuPlatform", name, {}, opts);
    this.cluster = clusterBuilders[args.config.cloud](`${name}`, { config: args.config }, { parent: this });
    this.addons = new AddonLayer(`${name}-addons`, { config: args.config, cluster: this.cluster }, { parent: this });
    this.registerOutputs({ clusterName: this.cluster.name });
  }
}
