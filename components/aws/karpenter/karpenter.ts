import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { GpuPool } from "../../../stacks/load";
import { gpuNodePoolSpec, nodeDrainTimeouts, nodePoolName } from "../../karpenter/gpu-node-pool";
import { systemNodeLabels, WorkloadIdentityGrant, WorkloadIdentityRequest } from "../../cluster/contract";
import { charts, nodeImageAliases } from "../../versions";
import { nodeRole } from "../iam";
import { NodeImage, fastImagePullUserData, fastPullVolume } from "../node-groups";
import { controllerPolicy } from "./controller-policy";
import { interruptionQueue } from "./interruption-queue";
import { sweepProvider } from "../leftovers";

export const karpenterNamespace = "kube-system";
export const karpenterServiceAccount = "karpenter";
export const gpuNodeClassName = "gpu";

export interface KarpenterArgs {
  /** The configured name; the queue and IAM scoping use it so they need not wait for the cluster. */
  readonly clusterName: string;
  /** The created cluster's name: what must exist before access entries can attach. */
  readonly liveClusterName: pulumi.Output<string>;
  readonly region: string;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly gpuPools: readonly GpuPool[];
  readonly image: NodeImage;
  readonly volumeGiB: pulumi.Input<number>;
  /** SOCI parallel pull through nodeadm, on volumes fast enough for it (coldStart.fastImagePull). */
  readonly fastImagePull: boolean;
  /** Bottlerocket's data volume from this snapshot, images already pulled (coldStart.imageDisk). */
  readonly imageSnapshotId?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The volume sweep, which must run after the instances it might find attached are terminated. */
  readonly volumesSweptAfter: pulumi.Resource;
  /** Prod: deleting the leftover sweep (which terminates GPU nodes) needs an explicit unprotect. */
  readonly protect: boolean;
  /** The controller's replicas spread one per system node. */
  readonly replicas: number;
  readonly kubernetes: k8s.Provider;
  readonly aws: aws.Provider;
  /** The system nodes the controller runs on; Karpenter must never run on nodes it manages. */
  readonly systemNodes: readonly pulumi.Resource[];
  readonly grantWorkloadIdentity: (name: string, request: WorkloadIdentityRequest, parent?: pulumi.Resource) => WorkloadIdentityGrant;
}

/**
 * Karpenter launches GPU nodes on demand and removes them when empty, so idle GPU capacity costs
 * nothing. Its cloud side (IAM, interruption queue) and cluster side (chart, EC2NodeClass, one
 * NodePool per GPU pool) live here.
 *
 * Deletion order is built into the dependencies: NodePools and the EC2NodeClass depend on the
 * controller's release, which depends on its identity and queue, so `pulumi destroy` removes the
 * NodePools while the controller still runs and can terminate every node it launched.
 */
export class Karpenter extends pulumi.ComponentResource {
  readonly interruptionQueueName: pulumi.Output<string>;
  readonly nodePools: k8s.apiextensions.CustomResource[];
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KarpenterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:aws:Karpenter", name, {}, opts);
    const onAws = { parent: this, provider: args.aws };
    const onCluster = { parent: this, provider: args.kubernetes };

    const queue = interruptionQueue(`${name}-interruption`, args.clusterName, onAws);
    this.interruptionQueueName = queue.name;

    const role = nodeRole(`${name}-node`, onAws);
    const nodeAccess = new aws.eks.AccessEntry(`${name}-node`, {
      clusterName: args.liveClusterName,
      principalArn: role.arn,
      type: "EC2_LINUX",
    }, onAws);

    const identity = aws.getCallerIdentityOutput({}, onAws);
    const partition = aws.getPartitionOutput({}, onAws);
    const controllerIdentity = args.grantWorkloadIdentity(`${name}-controller`, {
      namespace: karpenterNamespace,
      serviceAccount: karpenterServiceAccount,
      policy: pulumi.all([partition.partition, identity.accountId, role.arn, queue.arn]).apply(
        ([partitionName, accountId, nodeRoleArn, interruptionQueueArn]) =>
          controllerPolicy({ partition: partitionName, region: args.region, accountId, clusterName: args.clusterName, nodeRoleArn, interruptionQueueArn }),
      ),
    }, this);

    // CRDs from their own chart: Helm never upgrades CRDs shipped inside a chart.
    const crds = new k8s.helm.v3.Release(`${name}-crd`, {
      name: "karpenter-crd",
      chart: `${charts.karpenter.repository}/karpenter-crd`,
      version: charts.karpenter.version,
      namespace: karpenterNamespace,
      maxHistory: 10,
    }, onCluster);

    // Deleted after the controller and before the network and node role: whatever Karpenter could
    // not terminate itself (a cluster already unreachable) is terminated here. Its name is
    // load-bearing: renamed without an alias, it would be deleted (terminating live GPU nodes) and
    // created anew; prod protects it like the cluster.
    const leftovers = new LeftoverCapacity(`${name}-leftovers`, { clusterName: args.clusterName, region: args.region, nodeRoleName: role.name }, {
      parent: this, dependsOn: [...args.systemNodes, role, args.volumesSweptAfter], protect: args.protect,
    });

    this.release = new k8s.helm.v3.Release(`${name}-controller`, {
      name: "karpenter",
      chart: `${charts.karpenter.repository}/karpenter`,
      version: charts.karpenter.version,
      namespace: karpenterNamespace,
      skipCrds: true,
      cleanupOnFail: true,
      maxHistory: 10,
      values: {
        settings: { clusterName: args.liveClusterName, interruptionQueue: queue.name },
        serviceAccount: { name: karpenterServiceAccount },
        replicas: args.replicas,
        // Only the untainted system nodes; the chart's default affinity also keeps it off its own nodes.
        nodeSelector: { "kubernetes.io/os": "linux", ...systemNodeLabels },
        controller: {
          // Pods cannot reach instance metadata (hop limit 1), so the region comes from here.
          env: [{ name: "AWS_REGION", value: args.region }],
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
      },
    }, { ...onCluster, dependsOn: [crds, controllerIdentity.ready, leftovers, ...args.systemNodes] });

    const nodeClass = new k8s.apiextensions.CustomResource(`${name}-nodeclass`, {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: gpuNodeClassName },
      spec: {
        role: role.name,
        amiSelectorTerms: [{ alias: nodeImageAliases[args.image] }],
        subnetSelectorTerms: pulumi.output(args.subnetIds).apply((ids) => ids.map((id) => ({ id }))),
        securityGroupSelectorTerms: [{ id: args.clusterSecurityGroupId }],
        metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
        blockDeviceMappings: gpuNodeVolumes(args),
        // Karpenter appends its own NodeConfig after this one; its cluster fields win.
        ...(args.fastImagePull ? { userData: fastImagePullUserData } : {}),
        // Provider default tags do not reach instances Karpenter launches.
        tags: { ...args.tags },
      },
    }, { ...onCluster, dependsOn: [this.release, nodeAccess], customTimeouts: nodeDrainTimeouts });

    // DRA pools are managed node groups: Karpenter 1.14 refuses pods with ResourceClaims.
    this.nodePools = args.gpuPools.filter((pool) => pool.allocation !== "dra").map((pool) => new k8s.apiextensions.CustomResource(`${name}-${nodePoolName(pool)}`, {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: nodePoolName(pool) },
      spec: gpuNodePoolSpec(pool, { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: gpuNodeClassName }),
    }, { ...onCluster, dependsOn: [this.release, nodeClass], customTimeouts: nodeDrainTimeouts }));

    this.registerOutputs({ interruptionQueueName: this.interruptionQueueName });
  }
}

/**
 * On `pulumi destroy`, terminates the instances Karpenter launched for the cluster and removes the
 * instance profiles it made, so nothing keeps billing or blocks the VPC once the cluster is gone.
 */
export class LeftoverCapacity extends pulumi.dynamic.Resource {
  constructor(name: string, args: { clusterName: string; region: string; nodeRoleName: pulumi.Input<string> }, opts: pulumi.CustomResourceOptions) {
    super(sweepProvider, name, { ...args, awsCli: "aws" }, opts, "aws", "LeftoverCapacity");
  }
}

function gpuNodeVolumes({ image, volumeGiB, fastImagePull, imageSnapshotId }: Pick<KarpenterArgs, "image" | "volumeGiB" | "fastImagePull" | "imageSnapshotId">) {
  const ebs = (size: pulumi.Input<string>) => ({ volumeSize: size, volumeType: "gp3", encrypted: true, deleteOnTermination: true });
  if (image === "bottlerocket") {
    return [
      { deviceName: "/dev/xvda", ebs: ebs("4Gi") },
      // Karpenter's rootVolume marks the volume its ephemeral-storage figure comes from: Bottlerocket's data volume.
      { deviceName: "/dev/xvdb", rootVolume: true, ebs: { ...ebs(pulumi.interpolate`${volumeGiB}Gi`), ...(imageSnapshotId ? { snapshotID: imageSnapshotId } : {}) } },
    ];
  }
  // nodeadm's FastImagePull (al2023 only; the loader refuses it on Bottlerocket) wants a fast volume.
  return [{ deviceName: "/dev/xvda", rootVolume: true, ebs: { ...ebs(pulumi.interpolate`${volumeGiB}Gi`), ...(fastImagePull ? fastPullVolume : {}) } }];
}

