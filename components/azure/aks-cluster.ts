import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as resources from "@pulumi/azure-native/resources";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { GpuPool, PlatformConfig } from "../../stacks/load";
import {
  ClusterArgs, ClusterHandle, GpuNodeSoftware, GpuPoolHandle, PersistentStorage, TeamModelStore, WorkloadIdentityGrant, WorkloadIdentityRequest,
  gpuPoolLabels, poolSelector, poolTaints, systemNodeLabels,
} from "../cluster/contract";
import { gatedProvider } from "../cluster/api-access-gate";
import type { RbacSubject } from "../cluster/rbac";
import { AksAccess } from "./cluster-access";
import { azureCliKubeconfig } from "./kubeconfig";
import { AksAuditLogs } from "./audit-logs";
import { AksNetwork, overlayRanges } from "./network";
import { NodeProvisioning, nodeImage } from "./node-provisioning";
import { BlobModelStore } from "./model-store";
import { AzureWorkloadIdentity, builtInRoles, roleDefinitionId, subscriptionScopeOf } from "./workload-identity";

/**
 * AKS installs nothing NVIDIA on GPU nodes here (driver skipped on NAP and baseline pools alike),
 * so the GPU Operator brings driver, container toolkit and device plugin, and applies sharing.
 */
// The GPU Operator's driver container mounts the driver at /run/nvidia/driver (no DRA pools on azure yet).
export const aksGpuNodeSoftware: GpuNodeSoftware = { driver: false, toolkit: false, devicePlugin: false, sharing: "operator", draDriverRoot: "/run/nvidia/driver" };

/**
 * AKS ships the Azure Disk CSI driver and the `managed-csi` class (StandardSSD, bound where the
 * pod lands, expandable); managed disks are encrypted at rest by default. Nothing to install.
 */
export const aksStorage: PersistentStorage = { className: "managed-csi", ready: [] };

/** What to change when `pulumi up` cannot reach the AKS API. */
export const aksUnreachableHint = "The AKS API admits only apiAccess.publicCidrs: add this runner's egress address there (or run pulumi up from a listed network), " +
  "and check that kubelogin is on the path and az is logged in.";

/** What to change when the AKS API answers but refuses the deployer. */
export const aksForbiddenHint = "The identity running pulumi up holds Azure Kubernetes Service RBAC Cluster Admin on the cluster (assigned by this stack); " +
  "if it still is refused, the assignment has not propagated or az is logged in as another identity than the one that ran the assignment.";

/** GPU nodes' OS disk: model images are large (the EKS default volume is the same size). */
export const gpuNodeOsDiskGB = 200;

export const systemPoolName = "system";

/** An agent pool name for a baseline GPU pool: lowercase letters and digits, at most 12. */
export function baselinePoolName(pool: GpuPool): string {
  const plain = `gpu${pool.name.replace(/[^a-z0-9]/g, "")}`;
  if (plain.length <= 12) return plain;
  return `${plain.slice(0, 8)}${createHash("sha256").update(pool.name).digest("hex").slice(0, 4)}`;
}

/** Azure's zone names for the first `count` zones of a region. */
export function zoneNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i + 1));
}

/**
 * The Azure implementation of the cluster contract: AKS with Entra ID and Azure RBAC only (no
 * local accounts), Azure CNI Overlay with Cilium, workload identity, a fixed-size system pool, and
 * GPU capacity through Node Auto Provisioning (AKS-managed Karpenter), plus fixed-size agent pools
 * for always-on GPU nodes. Every resource sits in the stack's region, in one resource group.
 */
export class AksCluster extends pulumi.ComponentResource implements ClusterHandle {
  readonly cloud = "azure" as const;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly systemNodes: pulumi.Resource[];
  readonly gpuPools: GpuPoolHandle[];
  readonly gpuNodeSoftware = aksGpuNodeSoftware;
  readonly storage = aksStorage;
  readonly systemNodeSelector = systemNodeLabels;
  readonly limitsCriticalPods = false;
  readonly resourceGroup: resources.ResourceGroup;
  readonly cluster: containerservice.ManagedCluster;
  readonly nodeProvisioning: NodeProvisioning;
  readonly access: AksAccess;
  private readonly config: PlatformConfig;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:AksCluster", name, {}, opts);
    const { config } = args;
    this.config = config;
    if (config.network.mode !== "create") {
      throw new Error("AKS needs a network the platform creates; network.vpcId and network.subnetIds apply only on aws");
    }
    const location = config.region;
    const tags = { ...config.tags };

    this.resourceGroup = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: `${config.clusterName}-rg`,
      location,
      tags,
    }, { parent: this, protect: config.protect });

    const network = new AksNetwork(`${name}-network`, {
      clusterName: config.clusterName,
      resourceGroupName: this.resourceGroup.name,
      location,
      vnetCidr: config.network.vpcCidr,
      tags,
    }, { parent: this });

    this.cluster = new containerservice.ManagedCluster(`${name}-aks`, {
      resourceName: config.clusterName,
      resourceGroupName: this.resourceGroup.name,
      location,
      tags,
      kubernetesVersion: config.kubernetesVersion,
      dnsPrefix: config.clusterName,
      sku: { name: "Base", tier: config.aks.tier },
      identity: { type: "SystemAssigned" },
      // Entra ID sign-in and Azure RBAC only: no static admin credentials to leak.
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [...config.aks.adminGroupObjectIds] },
      disableLocalAccounts: true,
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      // NAP does not support private clusters, so the public endpoint is limited to these networks.
      apiServerAccessProfile: { authorizedIPRanges: [...config.apiAccess.publicCidrs] },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        podCidr: overlayRanges.podCidr,
        serviceCidr: overlayRanges.serviceCidr,
        dnsServiceIP: overlayRanges.dnsServiceIP,
        // NAP in a custom VNet needs the Standard load balancer, and the outbound type is fixed at creation.
        outboundType: "loadBalancer",
        loadBalancerSku: "standard",
      },
      // NAP provisions only the platform's GPU NodePools: AKS' default pools ("default" for any
      // pending pod, "system-surge") would add unbounded CPU capacity outside any budget.
      nodeProvisioningProfile: { mode: "Auto", defaultNodePools: "None" },
      autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
      agentPoolProfiles: [{
        name: systemPoolName,
        mode: "System",
        type: "VirtualMachineScaleSets",
        vmSize: config.systemNodes.instanceType,
        // Fixed size: a NAP cluster may not have autoscaling agent pools (see README).
        count: config.systemNodes.min,
        enableAutoScaling: false,
        osType: "Linux",
        osSKU: nodeImage.osSku,
        vnetSubnetID: network.subnetId,
        ...(config.network.availabilityZones > 0 ? { availabilityZones: zoneNames(config.network.availabilityZones) } : {}),
        nodeLabels: { ...systemNodeLabels },
        tags,
      }],
    }, {
      parent: this,
      protect: config.protect,
      // The live size is whoever scaled the pool last (az aks nodepool scale); pulumi up must not
      // drain nodes to put systemNodes.min back.
      ignoreChanges: ["agentPoolProfiles[0].count"],
      // The name is fixed: a replacement must remove the old cluster before creating the new one.
      deleteBeforeReplace: true,
    });

    const cluster = this.cluster;
    this.name = cluster.name;
    this.endpoint = pulumi.interpolate`https://${cluster.fqdn}`;
    this.oidcIssuer = cluster.oidcIssuerProfile.apply((profile) => profile?.issuerURL ?? "");
    this.systemNodes = [cluster];

    new AksAuditLogs(`${name}-audit`, {
      clusterName: config.clusterName,
      clusterId: cluster.id,
      resourceGroupName: this.resourceGroup.name,
      location,
      retentionDays: config.protect ? 365 : 90,
      tags,
    }, { parent: this });

    // NAP launches node NICs into the subnet with the cluster's identity; `az aks create` grants
    // this itself, an ARM deployment must.
    const subnetAccess = new authorization.RoleAssignment(`${name}-subnet-access`, {
      principalId: cluster.identity.apply((identity) => identity?.principalId ?? ""),
      principalType: "ServicePrincipal",
      roleDefinitionId: this.resourceGroup.id.apply((id) => roleDefinitionId(subscriptionScopeOf(id), builtInRoles.networkContributor)),
      scope: network.subnetId,
    }, { parent: this });

    const credentials = containerservice.listManagedClusterUserCredentialsOutput({
      resourceGroupName: this.resourceGroup.name,
      resourceName: cluster.name,
      format: "exec",
    }, { parent: this });
    this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((kubeconfigs) => {
      if (kubeconfigs.length === 0) throw new Error(`AKS returned no user kubeconfig for ${config.clusterName}`);
      return azureCliKubeconfig(Buffer.from(kubeconfigs[0].value, "base64").toString("utf8"));
    }));
    this.access = new AksAccess(`${name}-access`, { config, clusterId: cluster.id }, { parent: this });
    this.provider = gatedProvider(`${name}-k8s`, {
      kubeconfig: this.kubeconfig,
      // Microsoft: assignments take up to five minutes to propagate; denials may be cached as long.
      waitSeconds: 900,
      unreachableHint: aksUnreachableHint,
      forbiddenHint: aksForbiddenHint,
      // A different identity running pulumi up gets its own assignment, which must propagate too.
      deployer: this.access.deployer,
    }, { parent: this, dependsOn: this.access.deployerAccess });

    for (const pool of config.gpuPools.filter((p) => p.baselineNodes > 0)) {
      new containerservice.AgentPool(`${name}-gpu-${pool.name}`, {
        agentPoolName: baselinePoolName(pool),
        resourceName: cluster.name,
        resourceGroupName: this.resourceGroup.name,
        mode: "User",
        type: "VirtualMachineScaleSets",
        vmSize: pool.baselineMachine.name,
        // Always-on capacity is on-demand: a spot eviction would take the floor away.
        scaleSetPriority: "Regular",
        count: pool.baselineNodes,
        enableAutoScaling: false,
        osType: "Linux",
        osSKU: nodeImage.osSku,
        osDiskSizeGB: gpuNodeOsDiskGB,
        // The GPU Operator installs the driver; AKS' own would fight it.
        gpuProfile: { driver: "None" },
        vnetSubnetID: network.subnetId,
        nodeLabels: gpuPoolLabels(pool),
        nodeTaints: poolTaints(pool).map((taint) => `${taint.key}=${taint.value}:${taint.effect}`),
        tags,
      }, { parent: this, deleteBeforeReplace: true });
    }
    this.gpuPools = config.gpuPools.map((pool) => ({ pool, nodeLabels: gpuPoolLabels(pool), selector: poolSelector(pool), taints: poolTaints(pool) }));

    this.nodeProvisioning = new NodeProvisioning(`${name}-nap`, {
      gpuPools: config.gpuPools,
      subnetId: network.subnetId,
      osDiskSizeGB: gpuNodeOsDiskGB,
      tags,
      artifactStreaming: config.coldStart.fastImagePull,
      kubernetes: this.provider,
      dependsOn: [cluster, subnetAccess],
    }, { parent: this });

    this.registerOutputs({ name: this.name, endpoint: this.endpoint, kubeconfig: this.kubeconfig, oidcIssuer: this.oidcIssuer });
  }

  /** AKS tokens carry Entra group object ids; Azure RBAC (AksAccess) grants the namespace itself. */
  teamSubject(team: { readonly group: string }): RbacSubject {
    return { kind: "Group", name: team.group };
  }

  teamModelStores(teams: readonly string[], parent: pulumi.Resource): ReadonlyMap<string, TeamModelStore> {
    return new BlobModelStore(`${this.config.clusterName}-models`, {
      teams,
      clusterName: this.config.clusterName,
      resourceGroupName: this.resourceGroup.name,
      resourceGroupId: this.resourceGroup.id,
      location: this.config.region,
      oidcIssuer: this.oidcIssuer,
      protect: this.config.protect,
      tags: this.config.tags,
    }, { parent }).teams;
  }

  grantWorkloadIdentity(name: string, request: WorkloadIdentityRequest, parent: pulumi.Resource = this): WorkloadIdentityGrant {
    return new AzureWorkloadIdentity(name, {
      ...request,
      resourceGroupName: this.resourceGroup.name,
      resourceGroupId: this.resourceGroup.id,
      location: this.config.region,
      oidcIssuer: this.oidcIssuer,
      tags: this.config.tags,
    }, { parent }).grant();
  }
}

export function buildAksCluster(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions): ClusterHandle {
  return new AksCluster(name, args, opts);
}
