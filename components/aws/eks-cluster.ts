import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/load";
import { ClusterArgs, ClusterHandle, GpuNodeSoftware, GpuPoolHandle, TeamModelStore, WorkloadIdentityGrant, WorkloadIdentityRequest, gpuPoolLabels, poolSelector, poolTaints, systemNodeLabels } from "../cluster/contract";
import { eksAddonVersions } from "../../stacks/eks-addon-versions";
import type { TeamSettings } from "../../stacks/schema";
import { gatedProvider } from "../cluster/api-access-gate";
import { RbacSubject, clusterAdminBinding } from "../cluster/rbac";
import { EksAccess, eksTeamSubject, ssoAdminSubjects } from "./access";
import { nodeRole, podIdentity } from "./iam";
import { Karpenter } from "./karpenter/karpenter";
import { Network } from "./network";
import { S3ModelStore, modelReaderRequest } from "./model-store";
import { managedNodeGroup } from "./node-groups";
import { EbsStorage } from "./storage";

/** Control-plane log streams sent to CloudWatch: who called the API, and with which credentials. */
export const controlPlaneLogTypes = ["api", "audit", "authenticator"];

const gpuAmiTypes = { al2023: "AL2023_x86_64_NVIDIA", bottlerocket: "BOTTLEROCKET_x86_64_NVIDIA" } as const;

/**
 * Both EKS NVIDIA images carry the driver and container toolkit; Bottlerocket also runs the
 * device plugin itself. Sources: the EKS AL2023 accelerated AMI and Bottlerocket NVIDIA variant docs.
 */
export const eksGpuNodeSoftware: Record<"al2023" | "bottlerocket", GpuNodeSoftware> = {
  // The EKS NVIDIA AMIs carry the driver on the host itself.
  al2023: { driver: true, toolkit: true, devicePlugin: false, sharing: "operator", draDriverRoot: "/" },
  bottlerocket: { driver: true, toolkit: true, devicePlugin: true, sharing: "operator", draDriverRoot: "/" },
};

/**
 * pulumi-eks gives the EKS cluster the stack's fixed name, so a replacement (a new VPC or subnets)
 * must delete the old cluster before creating the new one: EKS refuses a second cluster of a name.
 * Applied to the component's own child through a transform, as pulumi-eks takes no such option.
 */
export const deleteClusterFirst: pulumi.ResourceTransform = (args) =>
  args.type === "aws:eks/cluster:Cluster" ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { deleteBeforeReplace: true }) } : undefined;

/** What to change when `pulumi up` cannot reach the EKS API. */
export const eksUnreachableHint = "The endpoint admits only apiAccess.publicCidrs on its public side and apiAccess.privateCidrs (networks connected to the VPC) on its private side: " +
  "run pulumi up from one of them, or add this runner's egress address or network there.";

/** What to change when the EKS API answers but refuses the deployer. */
export const eksForbiddenHint = "EKS makes only the IAM role that created the cluster its admin: run pulumi up with that role, or add this role to eks.adminRoleArns in a run by the creator.";

/**
 * The AWS implementation of the cluster contract: a private EKS cluster with envelope-encrypted
 * secrets, access entries instead of the aws-auth ConfigMap, an on-demand system node group,
 * fixed-size managed node groups for always-on GPU capacity, and Karpenter for the rest.
 */
export class EksCluster extends pulumi.ComponentResource implements ClusterHandle {
  readonly cloud = "aws" as const;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly systemNodes: pulumi.Resource[];
  readonly gpuPools: GpuPoolHandle[];
  readonly gpuNodeSoftware: GpuNodeSoftware;
  readonly storage: EbsStorage;
  readonly systemNodeSelector = systemNodeLabels;
  readonly limitsCriticalPods = false;
  readonly karpenter: Karpenter;
  readonly access: EksAccess;
  private readonly awsProvider: aws.Provider;
  private readonly config: PlatformConfig;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:aws:EksCluster", name, {}, opts);
    const { config } = args;
    this.config = config;
    this.awsProvider = new aws.Provider(`${name}-aws`, { region: config.region, defaultTags: { tags: config.tags } }, { parent: this });
    const onAws = { parent: this, provider: this.awsProvider };

    const network = this.network(name, config);

    const secretsKey = new aws.kms.Key(`${name}-secrets`, {
      description: `Envelope encryption of Kubernetes secrets in ${config.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: config.protect ? 30 : 7,
    }, { ...onAws, protect: config.protect });

    // Created before the cluster so EKS writes into a group with a retention period, not an unbounded one.
    const controlPlaneLogs = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
      name: `/aws/eks/${config.clusterName}/cluster`,
      retentionInDays: config.eks.logRetentionDays,
    }, onAws);

    const publicAccess = config.apiAccess.publicCidrs.length > 0;
    const addonVersions = eksAddonVersions[config.kubernetesVersion];
    const cluster = new eks.Cluster(`${name}-eks`, {
      name: config.clusterName,
      version: config.kubernetesVersion,
      vpcId: network.vpcId,
      privateSubnetIds: network.subnetIds,
      endpointPrivateAccess: true,
      endpointPublicAccess: publicAccess,
      ...(publicAccess ? { publicAccessCidrs: [...config.apiAccess.publicCidrs] } : {}),
      // Access entries only, no aws-auth ConfigMap; pulumi-eks also makes the creator admin.
      authenticationMode: eks.AuthenticationMode.Api,
      encryptionConfigKeyArn: secretsKey.arn,
      enabledClusterLogTypes: controlPlaneLogTypes,
      skipDefaultNodeGroup: true,
      // Pinned per Kubernetes minor: the newest would otherwise be taken (and rolled) on every run.
      vpcCniOptions: { addonVersion: addonVersions["vpc-cni"] },
      kubeProxyAddonOptions: { version: addonVersions["kube-proxy"] },
      // CoreDNS is adopted as a managed add-on below, once nodes exist: created inside pulumi-eks it
      // would wait (degraded, no nodes to run on) before the cluster's outputs, and so the nodes,
      // could exist (pulumi/pulumi-eks#1819).
      corednsAddonOptions: { enabled: false },
      nodeAssociatePublicIpAddress: false,
      createOidcProvider: false,
      deletionProtection: config.protect,
      // Standard support only: at its end EKS upgrades the cluster rather than billing extended
      // support ($0.60 instead of $0.10 an hour), which pulumi-eks would otherwise default to.
      upgradePolicy: { supportType: "STANDARD" },
      tags: config.tags,
    }, {
      parent: this,
      providers: { aws: this.awsProvider },
      dependsOn: [controlPlaneLogs],
      protect: config.protect,
      transforms: [deleteClusterFirst],
    });

    const eksCluster = cluster.eksCluster;
    this.name = eksCluster.name;
    this.endpoint = eksCluster.endpoint;
    this.oidcIssuer = eksCluster.identities.apply((identities) => identities?.[0]?.oidcs?.[0]?.issuer ?? "");
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);

    // Pod Identity gives add-ons their own IAM roles without node credentials or an OIDC provider.
    const podIdentityAgent = new aws.eks.Addon(`${name}-pod-identity`, {
      clusterName: this.name,
      addonName: "eks-pod-identity-agent",
      addonVersion: addonVersions["eks-pod-identity-agent"],
    }, onAws);

    this.access = new EksAccess(`${name}-access`, {
      config,
      clusterName: this.name,
      controlPlaneSecurityGroupId: cluster.clusterSecurityGroupId,
      previous: { parent: cluster, name: `${name}-eks` },
    }, { parent: this, provider: this.awsProvider });
    this.provider = gatedProvider(`${name}-k8s`, {
      kubeconfig: this.kubeconfig,
      waitSeconds: 300,
      unreachableHint: eksUnreachableHint,
      forbiddenHint: eksForbiddenHint,
    }, { parent: this, dependsOn: this.access.privatePaths });
    const ssoAdmins = ssoAdminSubjects(config);
    if (ssoAdmins.length > 0) {
      clusterAdminBinding(`${name}-sso-admins`, ssoAdmins, { parent: this, provider: this.provider, dependsOn: this.access.identityProvider ? [this.access.identityProvider] : [] });
    }

    // Nodes, Karpenter and the storage driver need the NAT and routes to reach AWS APIs, and must
    // keep them on destroy until they are gone themselves: the network outlives them both ways.
    const egress = network.resources;
    const onAwsWithEgress = { ...onAws, dependsOn: egress };

    const nodes = nodeRole(`${name}-nodes`, onAws);
    const system = managedNodeGroup(`${name}-system`, {
      clusterName: this.name,
      nodeRoleArn: nodes.arn,
      subnetIds: network.subnetIds,
      instanceTypes: [config.systemNodes.instanceType],
      amiType: "AL2023_x86_64_STANDARD",
      image: "al2023",
      capacityType: "ON_DEMAND",
      size: config.systemNodes,
      volumeGiB: 50,
      labels: { ...systemNodeLabels },
      taints: [],
      tags: config.tags,
      kubernetesVersion: config.kubernetesVersion,
      updateStrategy: "DEFAULT",
    }, onAwsWithEgress);

    // A managed add-on, so its version follows the table; it adopts the copy EKS bootstrapped.
    // Karpenter waits for it and so, on destroy, is gone before it: draining GPU nodes it calls AWS
    // through cluster DNS. `preserve` leaves DNS running even when the add-on itself is deleted.
    const coredns = new aws.eks.Addon(`${name}-coredns`, {
      clusterName: this.name,
      addonName: "coredns",
      addonVersion: addonVersions.coredns,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      preserve: true,
    }, { ...onAws, dependsOn: [system], aliases: [{ name: `${name}-eks-coredns`, parent: cluster }] });
    this.systemNodes = [system];

    this.storage = new EbsStorage(`${name}-storage`, {
      clusterName: this.name,
      configuredClusterName: config.clusterName,
      region: config.region,
      driverVersion: addonVersions["aws-ebs-csi-driver"],
      protect: config.protect,
      aws: this.awsProvider,
      kubernetes: this.provider,
      // The driver's controller authenticates through the Pod Identity agent.
      systemNodes: [...this.systemNodes, podIdentityAgent, ...egress],
      grantWorkloadIdentity: (identityName, request, parent) => this.grantWorkloadIdentity(identityName, request, parent),
    }, { parent: this });

    // A volume from a snapshot must be at least the snapshot's size: the image disk's size wins over
    // a smaller eks.gpuNodeVolumeGiB. The lookup also stops the preview when the snapshot is not in
    // the stack's region or account.
    const gpuVolumeGiB = config.coldStart.imageDisk === undefined
      ? config.eks.gpuNodeVolumeGiB
      : aws.ebs.getSnapshotOutput({ snapshotIds: [config.coldStart.imageDisk] }, onAws).volumeSize.apply((size) => Math.max(size, config.eks.gpuNodeVolumeGiB));
    for (const pool of config.gpuPools.filter((p) => p.baselineNodes > 0)) {
      managedNodeGroup(`${name}-gpu-${pool.name}`, {
        clusterName: this.name,
        nodeRoleArn: nodes.arn,
        subnetIds: network.subnetIds,
        instanceTypes: [pool.baselineMachine.name],
        amiType: gpuAmiTypes[config.eks.gpuNodeImage],
        image: config.eks.gpuNodeImage,
        // Always-on capacity is on-demand: a spot reclaim would take the floor away.
        capacityType: "ON_DEMAND",
        size: { min: pool.baselineNodes, max: pool.baselineNodes },
        volumeGiB: gpuVolumeGiB,
        labels: gpuPoolLabels(pool),
        taints: poolTaints(pool).map((taint) => ({ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" as const })),
        tags: config.tags,
        kubernetesVersion: config.kubernetesVersion,
        updateStrategy: "MINIMAL",
        fastImagePull: config.coldStart.fastImagePull,
        imageSnapshotId: config.coldStart.imageDisk,
      }, onAwsWithEgress);
    }
    this.gpuNodeSoftware = eksGpuNodeSoftware[config.eks.gpuNodeImage];
    this.gpuPools = config.gpuPools.map((pool) => ({ pool, nodeLabels: gpuPoolLabels(pool), selector: poolSelector(pool), taints: poolTaints(pool) }));

    this.karpenter = new Karpenter(`${name}-karpenter`, {
      clusterName: config.clusterName,
      liveClusterName: this.name,
      region: config.region,
      subnetIds: network.subnetIds,
      clusterSecurityGroupId: eksCluster.vpcConfig.clusterSecurityGroupId,
      gpuPools: config.gpuPools,
      image: config.eks.gpuNodeImage,
      volumeGiB: gpuVolumeGiB,
      fastImagePull: config.coldStart.fastImagePull,
      imageSnapshotId: config.coldStart.imageDisk,
      tags: config.tags,
      replicas: Math.min(2, config.systemNodes.min),
      protect: config.protect,
      kubernetes: this.provider,
      aws: this.awsProvider,
      // The controller authenticates through the Pod Identity agent, and resolves AWS through CoreDNS.
      systemNodes: [...this.systemNodes, coredns, podIdentityAgent, ...egress],
      grantWorkloadIdentity: (identityName, request, parent) => this.grantWorkloadIdentity(identityName, request, parent),
      // Instances go first on destroy, so the volumes they held are detached when those are swept.
      volumesSweptAfter: this.storage.leftovers,
    }, { parent: this });

    this.registerOutputs({ name: this.name, endpoint: this.endpoint, kubeconfig: this.kubeconfig, oidcIssuer: this.oidcIssuer });
  }

  teamSubject(team: TeamSettings & { group: string }): RbacSubject {
    return eksTeamSubject(this.config, team);
  }

  grantWorkloadIdentity(name: string, request: WorkloadIdentityRequest, parent: pulumi.Resource = this): WorkloadIdentityGrant {
    // Pod Identity matches on namespace and service account alone: nothing to annotate.
    const ready = podIdentity(name, { clusterName: this.name, ...request }, { parent, provider: this.awsProvider });
    return { ready, serviceAccountAnnotations: {}, podLabels: {} };
  }

  teamModelStores(teams: readonly string[], parent: pulumi.Resource): ReadonlyMap<string, TeamModelStore> {
    return new S3ModelStore(`${this.config.clusterName}-models`, {
      teams,
      grantReader: (name, team, policy) => this.grantWorkloadIdentity(name, modelReaderRequest(team, policy), parent),
      protect: this.config.protect,
      tags: this.config.tags,
    }, { parent, providers: { aws: this.awsProvider } }).teams;
  }

  private network(name: string, config: PlatformConfig): { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[]; resources: pulumi.Resource[] } {
    if (config.network.mode === "existing") {
      return { vpcId: config.network.vpcId, subnetIds: [...config.network.subnetIds], resources: [] };
    }
    const network = new Network(`${name}-network`, {
      clusterName: config.clusterName,
      region: config.region,
      vpcCidr: config.network.vpcCidr,
      availabilityZones: config.network.availabilityZones,
      natGateways: config.network.natGateways,
      subnetLayout: config.network.subnetLayout,
    }, { parent: this, providers: { aws: this.awsProvider } });
    return { vpcId: network.vpcId, subnetIds: network.privateSubnetIds, resources: [network] };
  }
}

export function buildEksCluster(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions): ClusterHandle {
  return new EksCluster(name, args, opts);
}
