import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type PlatformConfig, parseDiskImage } from "../../stacks/load";
import { ClusterArgs, ClusterHandle, GpuNodeSoftware, GpuPoolHandle, PersistentStorage, TeamModelStore, WorkloadIdentityGrant, WorkloadIdentityRequest, gpuPoolLabels, poolSelector, poolTaints, systemNodeLabels } from "../cluster/contract";
import { gatedProvider } from "../cluster/api-access-gate";
import { RbacSubject, clusterAdminBinding } from "../cluster/rbac";
import { GkeWorkloadIdentity, accountIdFor, nodeRoles, projectRoles } from "./iam";
import { gkeKubeconfig } from "./kubeconfig";
import { GcsModelStore } from "./model-store";
import { GkeNetwork, podRangeName, serviceRangeName } from "./network";
import { bootDiskType, cloudPlatformScope, gkeDraNodeLabels, gkeDriverInstaller, gkeMetadata, gkeNodePool, gpuAccelerator, gpuDiskGiB, gpuNodeBounds, shieldedNodes, systemDiskGiB, withAttachedGpu, zonesOffering } from "./node-pools";

/** Where GKE's driver installer puts the NVIDIA driver on COS; `/home` is writable and survives reboots there. */
export const gkeNvidiaDir = "/home/kubernetes/bin/nvidia";

/**
 * GKE installs the NVIDIA driver (`gpuDriverInstallationConfig`) and runs its own device plugin,
 * which applies each pool's time-sharing or MIG partitions from the node pool's settings; the GPU
 * Operator adds the container toolkit, feature discovery and DCGM. COS mounts little writable
 * space, so the toolkit goes where the driver is. NVIDIA, "NVIDIA GPU Operator with Google GKE":
 * https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/google-gke.html
 */
export const gkeGpuNodeSoftware: GpuNodeSoftware = {
  driver: true,
  toolkit: false,
  devicePlugin: true,
  driverInstallDir: gkeNvidiaDir,
  toolkitInstallDir: gkeNvidiaDir,
  // GKE 1.33+ (containerd 2): unless the toolkit reads containerd's config from the file, it writes
  // back a config without GKE's CNI bin_dir and pods fail with "failed to find plugin gke"
  // (NVIDIA GPU Operator on GKE docs; NVIDIA/nvidia-container-toolkit#1222).
  toolkitEnv: [{ name: "RUNTIME_CONFIG_SOURCE", value: "file" }],
  sharing: "cloud",
  // dra-driver-nvidia-gpu v0.4.1 docs/install.md: GKE's driver lives under /home/kubernetes/bin/nvidia.
  draDriverRoot: gkeNvidiaDir,
};

/**
 * The class GKE creates with its Persistent Disk CSI driver: pd-balanced, bound in the zone the
 * pod lands in, expandable, deleted with its claim. Every Persistent Disk is encrypted at rest.
 * The platform names it rather than adding a class of its own: a second default class would leave
 * which one unnamed claims get to the newest timestamp, and GKE's add-on manager owns this one.
 */
export const gkeStorageClassName = "standard-rwo";


/** Lets a principal list and get the cluster and pass the DNS endpoint (`container.clusters.connect`). */
export const clusterViewerRole = "roles/container.clusterViewer";

/** What to change when `pulumi up` cannot reach the GKE API. */
export const gkeUnreachableHint = "The DNS endpoint answers any network, so this is the client side: gke-gcloud-auth-plugin must be installed and Google credentials active " +
  "(in CI, google-github-actions/auth before pulumi up).";

/** What to change when the GKE API answers but refuses the deployer. */
export const gkeForbiddenHint = (project: string) => `On GKE, IAM grants Kubernetes rights: give the identity running pulumi up roles/container.admin on project ${project} ` +
  "(it also holds container.clusters.connect, which the DNS endpoint checks).";

const kmsRotationPeriod = `${90 * 24 * 3600}s`;

/**
 * The Google Cloud implementation of the cluster contract: a regional, private, VPC-native GKE
 * cluster on Dataplane V2 with KMS-encrypted secrets and Workload Identity, an on-demand system
 * node pool, and one node pool per GPU pool.
 *
 * GKE has no Karpenter: its own cluster autoscaler scales each GPU node pool between the pool's
 * baseline and `maxGpus` worth of machines, of the pool's smallest machine type only (a GKE node
 * pool has one machine type), in the zones of the region that offer it.
 */
export class GkeCluster extends pulumi.ComponentResource implements ClusterHandle {
  readonly cloud = "gcp" as const;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly systemNodes: pulumi.Resource[];
  readonly gpuPools: GpuPoolHandle[];
  readonly gpuNodeSoftware = gkeGpuNodeSoftware;
  readonly storage: PersistentStorage = { className: gkeStorageClassName, ready: [] };
  readonly systemNodeSelector = systemNodeLabels;
  readonly limitsCriticalPods = true;
  private readonly gcpProvider: gcp.Provider;
  private readonly project: string;
  private readonly clusterName: string;
  private readonly config: PlatformConfig;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:gcp:GkeCluster", name, {}, opts);
    const { config } = args;
    const project = config.gke.project;
    if (project === undefined) throw new Error("gke.project is required on gcp");
    if (config.network.mode !== "create") throw new Error("on gcp the platform creates the network; network.vpcId and network.subnetIds apply only on aws");
    this.project = project;
    this.clusterName = config.clusterName;
    this.config = config;
    this.gcpProvider = new gcp.Provider(`${name}-gcp`, { project, region: config.region, defaultLabels: { ...config.tags } }, { parent: this });
    const onGcp = { parent: this, provider: this.gcpProvider };

    const network = new GkeNetwork(`${name}-network`, {
      clusterName: config.clusterName,
      region: config.region,
      vpcCidr: config.network.vpcCidr,
      provider: this.gcpProvider,
    }, { parent: this });

    const keyGrant = this.secretsKey(name, config);

    const nodeAccount = new gcp.serviceaccount.Account(`${name}-nodes`, {
      accountId: accountIdFor(`${config.clusterName}-nodes`),
      displayName: `GKE nodes of ${config.clusterName}`,
    }, onGcp);
    const nodeGrants = projectRoles(`${name}-nodes`, project, nodeAccount.member, nodeRoles, onGcp);

    // No firewall rule for the add-ons' webhooks (9443) and Kueue's visibility API (8082): a
    // Private Service Connect control plane reaches nodes from its private endpoint, an address of
    // the node subnetwork, which GKE's own `-vms` rule admits on every port. (A peered control
    // plane came from its /28, which only 443 and 10250 admitted.)

    const publicCidrs = config.apiAccess.publicCidrs;
    const cluster = new gcp.container.Cluster(`${name}-gke`, {
      name: config.clusterName,
      location: config.region,
      network: network.networkId,
      subnetwork: network.subnetworkId,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: podRangeName, servicesSecondaryRangeName: serviceRangeName },
      // GKE insists on a first node pool; it is removed once the cluster is up. Its nodes still
      // run as the node account, so nothing ever starts under the project's default account.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: {
        serviceAccount: nodeAccount.email,
        oauthScopes: [cloudPlatformScope],
        shieldedInstanceConfig: shieldedNodes,
        workloadMetadataConfig: gkeMetadata,
        diskType: "pd-balanced",
        diskSizeGb: systemDiskGiB,
      },
      // Private Service Connect (no peering range): the IP endpoint can turn public or private in
      // place later, which a peered control plane refuses.
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: publicCidrs.length === 0,
      },
      controlPlaneEndpointsConfig: {
        // The way in for pulumi up, CI and people: any network, Google credentials holding
        // container.clusters.connect (IAM), then Kubernetes RBAC.
        dnsEndpointConfig: { allowExternalTraffic: true },
        ipEndpointsConfig: { enabled: true },
      },
      // Empty: no network outside the VPC reaches the IP endpoint; Google Cloud's own public addresses never do.
      masterAuthorizedNetworksConfig: {
        cidrBlocks: publicCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `api-access-${i}` })),
        gcpPublicCidrsAccessEnabled: false,
      },
      ...(config.gke.securityGroup ? { authenticatorGroupsConfig: { securityGroup: config.gke.securityGroup } } : {}),
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      releaseChannel: { channel: config.gke.releaseChannel },
      minMasterVersion: config.kubernetesVersion,
      databaseEncryption: { state: "ENCRYPTED", keyName: keyGrant.cryptoKeyId },
      // Dataplane V2 enforces NetworkPolicy, which the team namespaces' default-deny relies on.
      datapathProvider: "ADVANCED_DATAPATH",
      enableShieldedNodes: true,
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
      monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"] },
      addonsConfig: { gcePersistentDiskCsiDriverConfig: { enabled: true } },
      deletionProtection: config.protect,
      resourceLabels: { ...config.tags },
    }, {
      ...onGcp,
      // GKE encrypts secrets from the first write, so the key must be usable before creation.
      dependsOn: [keyGrant],
      protect: config.protect,
      // Describes only the removed first pool; a change to it would otherwise replace the cluster.
      ignoreChanges: ["nodeConfig"],
      // The name is fixed: a replacement must remove the old cluster before creating the new one.
      deleteBeforeReplace: true,
    });

    this.name = cluster.name;
    const dnsEndpoint = cluster.controlPlaneEndpointsConfig.apply((endpoints) => endpoints.dnsEndpointConfig?.endpoint ?? "");
    this.endpoint = pulumi.interpolate`https://${dnsEndpoint}`;
    this.oidcIssuer = pulumi.interpolate`https://container.googleapis.com/v1/projects/${project}/locations/${config.region}/clusters/${cluster.name}`;
    this.kubeconfig = pulumi.secret(pulumi.all([cluster.name, dnsEndpoint]).apply(([clusterName, endpoint]) =>
      gkeKubeconfig({ project, region: config.region, clusterName, dnsEndpoint: endpoint })));

    // Teams and admins need to see the cluster (get-credentials) and pass the DNS endpoint's IAM
    // check; what they may do inside is Kubernetes RBAC on their Google Group.
    const viewers = [...new Set([...config.gke.adminGroups, ...config.teams.flatMap((team) => (team.group ? [team.group] : []))])];
    viewers.forEach((group) => projectRoles(`${name}-viewer-${accountIdFor(group)}`, project, `group:${group}`, [clusterViewerRole], onGcp));

    this.provider = gatedProvider(`${name}-k8s`, {
      kubeconfig: this.kubeconfig,
      waitSeconds: 300,
      unreachableHint: gkeUnreachableHint,
      forbiddenHint: gkeForbiddenHint(project),
    }, { parent: this, dependsOn: [cluster] });
    if (config.gke.adminGroups.length > 0) {
      clusterAdminBinding(`${name}-admins`, config.gke.adminGroups.map((group) => ({ kind: "Group", name: group })), { parent: this, provider: this.provider });
    }

    const zones = gcp.compute.getZonesOutput({ region: config.region, status: "UP" }, onGcp).names;
    const onNodes = { ...onGcp, dependsOn: nodeGrants };
    const system = gkeNodePool(`${name}-system`, {
      poolName: "system",
      cluster: cluster.name,
      region: config.region,
      zones: zonesOffering(zones, config.systemNodes.instanceType, config.region, onGcp),
      machineType: config.systemNodes.instanceType,
      serviceAccount: nodeAccount.email,
      bounds: config.systemNodes,
      locationPolicy: "BALANCED",
      labels: { ...systemNodeLabels },
      taints: [],
      spot: false,
      diskType: "pd-balanced",
      diskSizeGb: systemDiskGiB,
    }, onNodes);
    this.systemNodes = [system];

    const imageDisk = config.coldStart.imageDisk === undefined ? undefined : checkedDiskImage(config.coldStart.imageDisk, project, onGcp);
    for (const pool of config.gpuPools) {
      const machine = pool.baselineMachine;
      gkeNodePool(`${name}-gpu-${pool.name}`, {
        poolName: `gpu-${pool.name}`,
        cluster: cluster.name,
        region: config.region,
        zones: withAttachedGpu(zonesOffering(zones, machine.name, config.region, onGcp), pool, config.region, this),
        machineType: machine.name,
        serviceAccount: nodeAccount.email,
        bounds: gpuNodeBounds(pool),
        // Take GPUs in whichever zone has them (and spot is least likely to be reclaimed).
        locationPolicy: "ANY",
        labels: { ...gpuPoolLabels(pool), ...(pool.allocation === "dra" ? gkeDraNodeLabels : {}) },
        // GKE taints GPU pools itself only when a non-GPU pool existed first; say it outright.
        taints: poolTaints(pool).map((taint) => ({ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" as const })),
        // A node pool is spot or not; with spot first the pool is spot only (no on-demand fallback).
        spot: pool.capacityTypes[0] === "spot",
        diskType: bootDiskType(machine.name),
        diskSizeGb: gpuDiskGiB,
        guestAccelerators: [gpuAccelerator(pool, config.gke.gpuDriverVersion)],
        imageStreaming: config.coldStart.fastImagePull,
        imageDisk,
      }, { ...onNodes, dependsOn: [...nodeGrants, system] });
    }
    this.gpuPools = config.gpuPools.map((pool) => ({ pool, nodeLabels: gpuPoolLabels(pool), selector: poolSelector(pool), taints: poolTaints(pool) }));
    if (config.gpuPools.some((pool) => pool.allocation === "dra")) {
      new k8s.yaml.v2.ConfigFile(`${name}-gpu-driver-installer`, { file: gkeDriverInstaller(config.gke.gpuDriverVersion) }, { parent: this, provider: this.provider, dependsOn: [system] });
    }

    this.registerOutputs({ name: this.name, endpoint: this.endpoint, kubeconfig: this.kubeconfig, oidcIssuer: this.oidcIssuer });
  }

  /** Google Groups for RBAC reports a member's groups by their email. */
  teamSubject(team: { readonly group: string }): RbacSubject {
    return { kind: "Group", name: team.group };
  }

  grantWorkloadIdentity(name: string, request: WorkloadIdentityRequest, parent: pulumi.Resource = this): WorkloadIdentityGrant {
    return new GkeWorkloadIdentity(name, { project: this.project, clusterName: this.clusterName, request, provider: this.gcpProvider }, { parent }).grant();
  }

  teamModelStores(teams: readonly string[], parent: pulumi.Resource): ReadonlyMap<string, TeamModelStore> {
    return new GcsModelStore(`${this.clusterName}-models`, {
      teams, project: this.project, clusterName: this.clusterName, region: this.config.region, protect: this.config.protect, provider: this.gcpProvider,
    }, { parent }).teams;
  }

  /**
   * A rotating Cloud KMS key for Kubernetes secrets, and GKE's service agent allowed to use it.
   * Key rings cannot be deleted, so theirs is auto-named: a stack torn down and built again gets a
   * new one instead of colliding with the old.
   */
  private secretsKey(name: string, config: PlatformConfig): gcp.kms.CryptoKeyIAMMember {
    const onGcp = { parent: this, provider: this.gcpProvider };
    const keyRing = new gcp.kms.KeyRing(`${name}-secrets`, { location: config.region }, onGcp);
    const key = new gcp.kms.CryptoKey(`${name}-secrets`, {
      keyRing: keyRing.id,
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: kmsRotationPeriod,
      // Versions wait this long before destruction, as the EKS key's deletion window does.
      destroyScheduledDuration: `${(config.protect ? 30 : 7) * 24 * 3600}s`,
    }, { ...onGcp, protect: config.protect });
    const projectNumber = gcp.organizations.getProjectOutput({ projectId: this.project }, onGcp).number;
    return new gcp.kms.CryptoKeyIAMMember(`${name}-secrets-gke`, {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
    }, onGcp);
  }
}

/**
 * The disk image as written, once Compute Engine has found it: a name that is wrong, or in a
 * project the stack cannot read, stops the preview instead of every GPU node pool's creation.
 */
function checkedDiskImage(diskImage: string, clusterProject: string, opts: pulumi.InvokeOptions): pulumi.Output<string> {
  // The loader has checked the form.
  const { project = clusterProject, name } = parseDiskImage(diskImage)!;
  return gcp.compute.getImageOutput({ project, name }, opts).apply(() => diskImage);
}

export function buildGkeCluster(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions): ClusterHandle {
  return new GkeCluster(name, args, opts);
}
