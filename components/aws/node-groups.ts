import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type NodeImage = "al2023" | "bottlerocket";

/**
 * gp3's most throughput and IOPS: what nodeadm's FastImagePull asks for ("at least 600MiB/s
 * throughput … up to 1000MiB/s and 16k IOPs", amazon-eks-ami v20260714 nodeadm/doc/examples.md).
 */
export const fastPullVolume = { throughput: 1000, iops: 16000 } as const;

/**
 * A nodeadm NodeConfig part (MIME, merged with what EKS or Karpenter writes) turning on SOCI
 * parallel pull and parallel image pulls (amazon-eks-ami v20260714 nodeconfig_types.go:
 * featureGates.FastImagePull, experimental; effective on nodes with 4 vCPU and 7 GiB or more).
 */
export const fastImagePullUserData = [
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="//"',
  "",
  "--//",
  "Content-Type: application/node.eks.aws",
  "",
  "apiVersion: node.eks.aws/v1alpha1",
  "kind: NodeConfig",
  "spec:",
  "  featureGates:",
  "    FastImagePull: true",
  "  kubelet:",
  "    config:",
  "      serializeImagePulls: false",
  "      maxParallelImagePulls: 5",
  "--//--",
  "",
].join("\n");

/** Where an image keeps container images: Bottlerocket's root disk is the OS only. */
export function dataVolumeDevice(image: NodeImage): string {
  return image === "bottlerocket" ? "/dev/xvdb" : "/dev/xvda";
}

export interface ManagedNodeGroupArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly nodeRoleArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly instanceTypes: string[];
  readonly amiType: string;
  readonly image: NodeImage;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly size: { readonly min: number; readonly max: number };
  readonly volumeGiB: pulumi.Input<number>;
  readonly labels: Record<string, string>;
  readonly taints: { key: string; value: string; effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE" }[];
  /** Launch templates do not inherit provider default tags onto instances and volumes. */
  readonly tags: Record<string, string>;
  /** The cluster's Kubernetes minor: the group follows each upgrade (EKS refuses the next one until it has). */
  readonly kubernetesVersion: string;
  /**
   * DEFAULT launches new nodes before draining old ones, up to twice the zones' count at once;
   * MINIMAL replaces one node at a time without launching extras (for GPU machines, where a surge
   * of p5.48xlarge is neither cheap nor available).
   */
  readonly updateStrategy: "DEFAULT" | "MINIMAL";
  /** Pull images with SOCI parallel pull on a faster volume (coldStart.fastImagePull). */
  readonly fastImagePull?: boolean;
  /** Bottlerocket only: the data volume starts from this snapshot, images already pulled (coldStart.imageDisk). */
  readonly imageSnapshotId?: string;
}

/**
 * An EKS managed node group behind a launch template that enforces IMDSv2 with a hop limit of one
 * (pods cannot borrow the node's credentials) and an encrypted gp3 data volume.
 */
export function managedNodeGroup(name: string, args: ManagedNodeGroupArgs, opts: pulumi.CustomResourceOptions): aws.eks.NodeGroup {
  const template = new aws.ec2.LaunchTemplate(name, {
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{
      deviceName: dataVolumeDevice(args.image),
      ebs: {
        volumeSize: args.volumeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true",
        ...(args.fastImagePull ? fastPullVolume : {}),
        ...(args.imageSnapshotId ? { snapshotId: args.imageSnapshotId } : {}),
      },
    }],
    ...(args.fastImagePull ? { userData: Buffer.from(fastImagePullUserData).toString("base64") } : {}),
    // Tags are the template's data: a tag edit makes a new version, which rolls the group's nodes
    // (one at a time for GPU groups, see updateStrategy) so instances carry what the stack says.
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: args.tags })),
    updateDefaultVersion: true,
  }, opts);

  return new aws.eks.NodeGroup(name, {
    clusterName: args.clusterName,
    nodeRoleArn: args.nodeRoleArn,
    subnetIds: args.subnetIds,
    instanceTypes: args.instanceTypes,
    amiType: args.amiType,
    capacityType: args.capacityType,
    scalingConfig: { minSize: args.size.min, maxSize: args.size.max, desiredSize: args.size.min },
    version: args.kubernetesVersion,
    updateConfig: { maxUnavailable: 1, updateStrategy: args.updateStrategy },
    launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
    labels: args.labels,
    taints: args.taints,
  }, {
    ...opts,
    // The live size belongs to whoever scaled the group since; `pulumi up` must never shrink it.
    ignoreChanges: ["scalingConfig.desiredSize"],
  });
}
