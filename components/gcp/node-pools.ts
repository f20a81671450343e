import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { attachedGpuZones, gcpAttachedGpuZones } from "../../stacks/gcp-gpu-zones";
import type { GpuPool } from "../../stacks/load";

/** Nodes get every API scope; what they may do is bounded by their service account's roles. */
export const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

/** Boot disks hold the node OS and every image pulled; GPU images (CUDA, vLLM) run to tens of GB. */
export const systemDiskGiB = 50;
export const gpuDiskGiB = 200;

/** Secure Boot verifies the boot chain (GKE's NVIDIA driver on COS is signed); integrity monitoring reports drift. */
export const shieldedNodes = { enableSecureBoot: true, enableIntegrityMonitoring: true } as const;

/** What a node's pods see of the metadata server: their own Workload Identity, never the node's. */
export const gkeMetadata = { mode: "GKE_METADATA" } as const;

export type GpuDriverVersion = "DEFAULT" | "LATEST" | "INSTALLATION_DISABLED";

/** The GKE partition size for a MIG profile: `all-1g.10gb` → `1g.10gb`; `all-disabled` → none. */
export function partitionSize(profile: string): string | undefined {
  const size = profile.replace(/^all-/, "");
  return size === "disabled" ? undefined : size;
}

/** GKE's form of a guest accelerator, with the GPU sharing the pool asks for. */
export interface GuestAccelerator {
  readonly type: string;
  readonly count: number;
  readonly gpuDriverInstallationConfig: { readonly gpuDriverVersion: GpuDriverVersion };
  readonly gpuSharingConfig?: { readonly gpuSharingStrategy: "TIME_SHARING"; readonly maxSharedClientsPerGpu: number };
  readonly gpuPartitionSize?: string;
}

/**
 * The accelerator of a pool's machine type, with GKE installing the driver and applying the
 * pool's sharing: time-sharing with the pool's replicas as clients per GPU, or MIG partitions.
 */
export function gpuAccelerator(pool: GpuPool, driverVersion: GpuDriverVersion): GuestAccelerator {
  // GKE's DRA setup: its driver installation off (the installer DaemonSet brings it), no sharing.
  if (pool.allocation === "dra") driverVersion = "INSTALLATION_DISABLED";
  const machine = pool.baselineMachine;
  if (machine.accelerator === undefined) {
    throw new Error(`gpuPools ${pool.name}: the GPU catalog names no accelerator type for ${machine.name}; add one in stacks/gpu-catalog.ts`);
  }
  const sharing = pool.sharing;
  const partition = sharing.mode === "mig" ? partitionSize(sharing.profile) : undefined;
  return {
    type: machine.accelerator,
    count: machine.gpus,
    gpuDriverInstallationConfig: { gpuDriverVersion: driverVersion },
    ...(sharing.mode === "time-slicing" ? { gpuSharingConfig: { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: sharing.replicas } } : {}),
    ...(partition ? { gpuPartitionSize: partition } : {}),
  };
}

/**
 * Node labels of a GKE DRA pool ("Set up DRA for GPUs on GKE"): GKE's own device plugin stays off,
 * the DRA driver's kubelet plugin finds the node (NFD does not label GKE's GPUs), and the cluster
 * autoscaler models the node's ResourceSlices, so the pool can grow from zero.
 */
export const gkeDraNodeLabels = {
  "gke-no-default-nvidia-gpu-device-plugin": "true",
  "nvidia.com/gpu.present": "true",
  "cloud.google.com/gke-nvidia-gpu-dra-driver": "true",
} as const;

/**
 * GKE's driver installer for nodes whose driver GKE does not install (it selects them by the
 * missing cloud.google.com/gke-gpu-driver-version label), applied from Google's repository at a
 * pinned commit when `pulumi up` runs; the image it starts is preloaded on GKE's GPU nodes.
 */
export const gkeDriverInstaller = (version: "DEFAULT" | "LATEST") =>
  `https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators/992db81257553607f1477945f1b3219632991829/nvidia-driver-installer/cos/daemonset-preloaded${version === "LATEST" ? "-latest" : ""}.yaml`;

/** Node bounds of a GPU pool: its baseline always on, and as many machines as `maxGpus` holds. */
export function gpuNodeBounds(pool: GpuPool): { min: number; max: number } {
  return { min: pool.baselineNodes, max: Math.floor(pool.maxGpus / pool.baselineMachine.gpus) };
}

/** A3 Ultra (H200) machines boot from Hyperdisk only; every other catalogued type takes Persistent Disk. */
export function bootDiskType(machineType: string): "hyperdisk-balanced" | "pd-balanced" {
  return machineType.startsWith("a3-ultragpu-") ? "hyperdisk-balanced" : "pd-balanced";
}

/**
 * The zones of the region that offer a machine type. GPUs are in only some zones of a region,
 * and GKE refuses a node pool whose zones lack its accelerator, so GPU pools name their zones.
 * Accelerator-optimized types (A2, A3, G2) exist only where their GPU does; an N1 type with an
 * attached T4 exists in more zones than the T4, which `withAttachedGpu` narrows.
 */
export function zonesOffering(zones: pulumi.Output<string[]>, machineType: string, region: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string[]> {
  return zones
    .apply((names) => pulumi.all([...names].sort().map((zone) =>
      gcp.compute.getMachineTypesOutput({ zone, filter: `name = "${machineType}"` }, opts).machineTypes.apply((types) => (types.length > 0 ? zone : undefined)),
    )))
    .apply((found) => {
      const offered = found.filter((zone): zone is string => zone !== undefined);
      if (offered.length === 0) throw new Error(`machine type ${machineType} is offered in no zone of ${region} that is up`);
      return offered;
    });
}

/**
 * Narrows a pool's zones to those that offer its GPU where the GPU is attached to a general-purpose
 * machine (the T4 on N1), from the dated zone table; warns where the table has no such region.
 */
export function withAttachedGpu(zones: pulumi.Output<string[]>, pool: GpuPool, region: string, parent: pulumi.Resource): pulumi.Output<string[]> {
  if (gcpAttachedGpuZones[pool.gpu] === undefined) return zones;
  const offering = attachedGpuZones(pool.gpu, region);
  if (offering === undefined) {
    pulumi.log.warn(`gpuPools ${pool.name}: no zone data for ${pool.gpu} in ${region} (stacks/gcp-gpu-zones.ts); the pool uses every zone with its machine type, and GKE refuses zones without the GPU`, parent);
    return zones;
  }
  return zones.apply((names) => {
    const both = names.filter((zone) => offering.includes(zone));
    if (both.length === 0) throw new pulumi.RunError(`gpuPools ${pool.name}: no zone of ${region} offers both ${pool.baselineMachine.name} and the ${pool.gpu} (${offering.join(", ")})`);
    return both;
  });
}

export interface GkeNodePoolArgs {
  /** The pool's name in GKE, also the node label `cloud.google.com/gke-nodepool`. */
  readonly poolName: string;
  readonly cluster: pulumi.Input<string>;
  readonly region: string;
  readonly zones: pulumi.Output<string[]>;
  readonly machineType: string;
  readonly serviceAccount: pulumi.Input<string>;
  /** Total nodes across the pool's zones. */
  readonly bounds: { readonly min: number; readonly max: number };
  /** BALANCED spreads nodes over zones; ANY takes capacity wherever it is (scarce GPUs, spot). */
  readonly locationPolicy: "BALANCED" | "ANY";
  readonly labels: Record<string, string>;
  readonly taints: { key: string; value: string; effect: "NO_SCHEDULE" }[];
  readonly spot: boolean;
  readonly diskType: string;
  readonly diskSizeGb: number;
  readonly guestAccelerators?: GuestAccelerator[];
  /** GKE Image Streaming: image layers read on demand instead of pulled first (coldStart.fastImagePull). */
  readonly imageStreaming?: boolean;
  /** A disk image holding the serving images, attached as a container-image cache (coldStart.imageDisk). */
  readonly imageDisk?: pulumi.Input<string>;
}

/**
 * A regional GKE node pool on Container-Optimized OS with shielded nodes, the GKE metadata
 * server and the node service account, sized by GKE's cluster autoscaler between its bounds and
 * upgraded and repaired by GKE.
 */
/**
 * Zones for a pool with always-on nodes: GKE starts the initial count in every zone, so a floor of
 * 2 over 3 zones would start 3. The pool keeps the largest number of zones that divides its floor
 * evenly (2 → 2 zones, 3 → 3, 4 → 2, 1 → 1); a pool without a floor uses every zone.
 */
export function zonesForFloor(zones: readonly string[], floor: number): string[] {
  if (floor === 0) return [...zones];
  for (let count = Math.min(zones.length, floor); count > 1; count--) {
    if (floor % count === 0) return zones.slice(0, count);
  }
  return zones.slice(0, 1);
}

export function gkeNodePool(name: string, args: GkeNodePoolArgs, opts: pulumi.CustomResourceOptions): gcp.container.NodePool {
  const zones = args.zones.apply((all) => zonesForFloor(all, args.bounds.min));
  return new gcp.container.NodePool(name, {
    name: args.poolName,
    cluster: args.cluster,
    location: args.region,
    nodeLocations: zones,
    // Per zone, at creation only: the zones together start exactly the minimum.
    initialNodeCount: zones.apply((chosen) => args.bounds.min / chosen.length),
    autoscaling: { totalMinNodeCount: args.bounds.min, totalMaxNodeCount: args.bounds.max, locationPolicy: args.locationPolicy },
    management: { autoRepair: true, autoUpgrade: true },
    nodeConfig: {
      machineType: args.machineType,
      imageType: "COS_CONTAINERD",
      diskType: args.diskType,
      diskSizeGb: args.diskSizeGb,
      serviceAccount: args.serviceAccount,
      oauthScopes: [cloudPlatformScope],
      shieldedInstanceConfig: shieldedNodes,
      workloadMetadataConfig: gkeMetadata,
      labels: args.labels,
      taints: args.taints,
      spot: args.spot,
      // gVNIC: A3 machines need it, and it is the faster NIC for pulling large images on any GPU node.
      ...(args.guestAccelerators ? { guestAccelerators: args.guestAccelerators, gvnic: { enabled: true } } : {}),
      // COS with containerd, as here; images from Artifact Registry or public Docker Hub stream.
      // An image cache disk needs streaming on too (GKE, "Preload container images").
      ...(args.imageStreaming || args.imageDisk ? { gcfsConfig: { enabled: true } } : {}),
      // A new disk image replaces the pool (secondary_boot_disks is ForceNew in the provider).
      ...(args.imageDisk ? { secondaryBootDisks: [{ diskImage: args.imageDisk, mode: "CONTAINER_IMAGE_CACHE" }] } : {}),
    },
  }, {
    ...opts,
    // The autoscaler owns the live size (nodeCount is never set here); the initial count only
    // applies at creation and would otherwise replace the pool when the zones change.
    ignoreChanges: ["initialNodeCount"],
    // The name is fixed, so a replacement (a change GKE cannot make in place) removes the old pool first.
    deleteBeforeReplace: true,
  });
}
