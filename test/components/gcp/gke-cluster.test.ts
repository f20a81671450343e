import { strict as assert } from "assert";
import * as path from "path";
import { buildGkeCluster } from "../../../components/gcp/gke-cluster";
import { shortHash } from "../../../plan/mocks/cloud";
import { runProgram } from "../../../plan/program";
import { readStackFile } from "../../../plan/stack-files";
import { loadStackConfig } from "../../../stacks/load";
import { one, ofType, plan, release } from "../../helpers/plan";

const root = path.resolve(__dirname, "../../..");
const gkeCluster = "gcp:container/cluster:Cluster";
const nodePool = "gcp:container/nodePool:NodePool";
const region = "europe-west4";

type Inputs = Record<string, any>;
const clusterOf = async (overrides: Record<string, unknown> = {}): Promise<Inputs> => one(await plan("gke-eu", overrides), gkeCluster).inputs;
const poolOf = async (suffix: string, overrides: Record<string, unknown> = {}): Promise<Inputs> => one(await plan("gke-eu", overrides), nodePool, suffix).inputs;

/** The stack's pools with one pool's settings changed. */
const poolsWith = (name: string, changes: Record<string, unknown>) => [
  { name: "l4", gpu: "L4", instanceTypes: ["g2-standard-8"], maxGpus: 8, capacityTypes: ["spot", "on-demand"], sharing: { mode: "time-slicing", replicas: 4 } },
  { name: "a100", gpu: "A100", instanceTypes: ["a2-highgpu-1g"], maxGpus: 4, capacityTypes: ["on-demand"], sharing: { mode: "mig", profile: "all-1g.5gb" } },
  { name: "l4-dra", gpu: "L4", instanceTypes: ["g2-standard-8"], maxGpus: 2, capacityTypes: ["spot", "on-demand"], allocation: "dra" },
].map((pool) => (pool.name === name ? { ...pool, ...changes } : pool));

describe("GKE cluster (gcp)", () => {
  describe("control plane", () => {
    it("keeps nodes and the IP endpoint private unless the stack lists networks, on Private Service Connect", async () => {
      const cluster = await clusterOf();
      // No masterIpv4CidrBlock: a peered control plane would refuse to switch its endpoint later.
      assert.deepEqual(cluster.privateClusterConfig, { enablePrivateNodes: true, enablePrivateEndpoint: true });
      assert.deepEqual(cluster.masterAuthorizedNetworksConfig, { cidrBlocks: [], gcpPublicCidrsAccessEnabled: false });
    });

    it("is reached through its DNS endpoint, from any network, with IAM deciding who gets in", async () => {
      const cluster = await clusterOf();
      assert.deepEqual(cluster.controlPlaneEndpointsConfig, { dnsEndpointConfig: { allowExternalTraffic: true }, ipEndpointsConfig: { enabled: true } });
      const p = await plan("gke-eu");
      assert.equal(p.outputs.clusterEndpoint, `https://gke-${shortHash("gpu-gke-eu")}.${region}.gke.goog`);
    });

    it("reads Google Group memberships for RBAC when the stack names its security group", async () => {
      assert.deepEqual((await clusterOf()).authenticatorGroupsConfig, { securityGroup: "gke-security-groups@example.com" });
      const without = await clusterOf({ "gpu-platform:gke": { project: "ml-platform-eu" }, "gpu-platform:teams": [] });
      assert.equal(without.authenticatorGroupsConfig, undefined);
    });

    it("binds each team's Google Group in its namespace and lets it see the cluster, admins cluster-wide", async () => {
      const p = await plan("gke-eu");
      const bindings = ofType(p, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
      assert.deepEqual(bindings.map((b) => [(b.inputs.metadata as Inputs).namespace, (b.inputs.subjects as Inputs[])[0]]), [
        ["search", { kind: "Group", name: "search-ml@example.com", apiGroup: "rbac.authorization.k8s.io" }],
        ["assistants", { kind: "Group", name: "assistants-ml@example.com", apiGroup: "rbac.authorization.k8s.io" }],
      ]);
      const admins = one(p, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "-admins").inputs;
      assert.deepEqual(admins.subjects, [{ kind: "Group", name: "ml-platform-admins@example.com", apiGroup: "rbac.authorization.k8s.io" }]);
      const viewers = ofType(p, "gcp:projects/iAMMember:IAMMember").filter((m) => m.inputs.role === "roles/container.clusterViewer");
      assert.deepEqual(viewers.map((m) => m.inputs.member).sort(), ["group:assistants-ml@example.com", "group:ml-platform-admins@example.com", "group:search-ml@example.com"]);
    });

    it("waits until the deployer is admin through the DNS endpoint before any Kubernetes object", async () => {
      const p = await plan("gke-eu");
      const gate = one(p, "pulumi-nodejs:dynamic/cluster:ApiAccessGate");
      const k8s = one(p, "pulumi:providers:kubernetes");
      assert.ok(k8s.dependencies.includes(gate.urn));
      assert.match(String(gate.inputs.forbiddenHint), /roles\/container\.admin on project ml-platform-eu/);
    });

    it("opens the public endpoint only to the authorised networks", async () => {
      const cluster = await clusterOf({ "gpu-platform:apiAccess": { publicCidrs: ["203.0.113.0/24"] } });
      assert.equal(cluster.privateClusterConfig.enablePrivateNodes, true);
      assert.equal(cluster.privateClusterConfig.enablePrivateEndpoint, false);
      assert.deepEqual(cluster.masterAuthorizedNetworksConfig.cidrBlocks, [{ cidrBlock: "203.0.113.0/24", displayName: "api-access-0" }]);
      assert.equal(cluster.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled, false);
    });

    it("is regional, VPC-native on the subnetwork's secondary ranges, and runs Dataplane V2", async () => {
      const p = await plan("gke-eu");
      const cluster = one(p, gkeCluster).inputs as Inputs;
      assert.equal(cluster.location, region);
      assert.equal(cluster.networkingMode, "VPC_NATIVE");
      assert.deepEqual(cluster.ipAllocationPolicy, { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
      assert.equal(cluster.subnetwork, `projects/ml-platform-eu/regions/${region}/subnetworks/gpu-gke-eu-nodes`);
      assert.equal(cluster.datapathProvider, "ADVANCED_DATAPATH", "NetworkPolicies are enforced only with Dataplane V2");
      assert.equal(cluster.networkPolicy, undefined, "Calico must not be switched on beside Dataplane V2");
    });

    it("gives pods Workload Identity from the project's pool", async () => {
      assert.deepEqual((await clusterOf()).workloadIdentityConfig, { workloadPool: "ml-platform-eu.svc.id.goog" });
    });

    it("follows the stack's release channel from the configured Kubernetes version", async () => {
      const cluster = await clusterOf({ "gpu-platform:gke": { project: "ml-platform-eu", releaseChannel: "STABLE", securityGroup: "gke-security-groups@example.com" } });
      assert.deepEqual(cluster.releaseChannel, { channel: "STABLE" });
      assert.equal(cluster.minMasterVersion, "1.35");
      assert.deepEqual((await clusterOf()).releaseChannel, { channel: "REGULAR" });
    });

    it("sends system and workload logs and system metrics to Cloud Logging and Monitoring", async () => {
      const cluster = await clusterOf();
      assert.deepEqual(cluster.loggingConfig, { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] });
      assert.deepEqual(cluster.monitoringConfig, { enableComponents: ["SYSTEM_COMPONENTS"] });
      assert.equal(cluster.enableShieldedNodes, true);
      assert.deepEqual(cluster.resourceLabels, { owner: "ml-platform", "cost-center": "4711", environment: "staging", jurisdiction: "eu", stack: "gke-eu", "managed-by": "pulumi" });
    });

    it("removes the default node pool, whose nodes never run as the project's default account", async () => {
      const p = await plan("gke-eu");
      const cluster = one(p, gkeCluster);
      assert.equal(cluster.inputs.removeDefaultNodePool, true);
      assert.equal(cluster.inputs.initialNodeCount, 1);
      assert.equal((cluster.inputs.nodeConfig as Inputs).serviceAccount, one(p, "gcp:serviceaccount/account:Account", "-nodes").inputs.accountId + "@ml-platform-eu.iam.gserviceaccount.com");
      assert.deepEqual(cluster.ignoreChanges, ["nodeConfig"], "a change to the removed pool's settings must not replace the cluster");
    });
  });

  describe("secrets encryption", () => {
    it("encrypts Kubernetes secrets with its own KMS key, rotated every 90 days", async () => {
      const p = await plan("gke-eu");
      const ring = one(p, "gcp:kms/keyRing:KeyRing");
      const key = one(p, "gcp:kms/cryptoKey:CryptoKey");
      assert.equal(ring.inputs.location, region);
      assert.equal(key.inputs.rotationPeriod, "7776000s");
      const expectedKey = `projects/ml-platform-eu/locations/${region}/keyRings/${ring.name}/cryptoKeys/${key.name}`;
      assert.deepEqual(one(p, gkeCluster).inputs.databaseEncryption, { state: "ENCRYPTED", keyName: expectedKey });
    });

    it("lets GKE's service agent use the key before the cluster is created", async () => {
      const p = await plan("gke-eu");
      const grant = one(p, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
      assert.equal(grant.inputs.role, "roles/cloudkms.cryptoKeyEncrypterDecrypter");
      assert.match(String(grant.inputs.member), /^serviceAccount:service-\d{12}@container-engine-robot\.iam\.gserviceaccount\.com$/);
      assert.ok(one(p, gkeCluster).dependencies.includes(grant.urn), "the cluster must wait for the grant");
    });
  });

  describe("protection", () => {
    it("protects the cluster and its key in prod and turns on GKE deletion protection", async () => {
      const p = await plan("gke-eu", { "gpu-platform:environment": "prod" });
      const cluster = one(p, gkeCluster);
      assert.equal(cluster.protect, true);
      assert.equal(cluster.inputs.deletionProtection, true);
      assert.equal(one(p, "gcp:kms/cryptoKey:CryptoKey").protect, true);
      assert.equal(one(p, "gcp:kms/cryptoKey:CryptoKey").inputs.destroyScheduledDuration, "2592000s");
    });

    it("leaves staging unprotected so it can be torn down", async () => {
      const p = await plan("gke-eu");
      assert.equal(one(p, gkeCluster).protect, false);
      assert.equal(one(p, gkeCluster).inputs.deletionProtection, false);
      assert.equal(one(p, "gcp:kms/cryptoKey:CryptoKey").protect, false);
    });
  });

  describe("network", () => {
    it("builds a custom-mode VPC whose subnetwork carries pod and Service ranges clear of the VPC and control plane", async () => {
      const p = await plan("gke-eu");
      assert.equal(one(p, "gcp:compute/network:Network").inputs.autoCreateSubnetworks, false);
      const subnet = one(p, "gcp:compute/subnetwork:Subnetwork").inputs as Inputs;
      assert.equal(subnet.ipCidrRange, "10.44.0.0/20");
      assert.equal(subnet.region, region);
      assert.equal(subnet.privateIpGoogleAccess, true);
      assert.deepEqual(subnet.secondaryIpRanges, [{ rangeName: "pods", ipCidrRange: "10.96.0.0/14" }, { rangeName: "services", ipCidrRange: "10.100.0.0/20" }]);
    });

    it("lets private nodes reach registries through Cloud NAT", async () => {
      const p = await plan("gke-eu");
      const router = one(p, "gcp:compute/router:Router");
      const nat = one(p, "gcp:compute/routerNat:RouterNat").inputs as Inputs;
      assert.equal(nat.router, router.inputs.name);
      assert.equal(nat.region, region);
      assert.deepEqual(nat.subnetworks, [{ name: `projects/ml-platform-eu/regions/${region}/subnetworks/gpu-gke-eu-nodes`, sourceIpRangesToNats: ["ALL_IP_RANGES"] }]);
    });

    it("opens no extra firewall path: the Private Service Connect control plane reaches webhooks from the node subnetwork", async () => {
      const p = await plan("gke-eu");
      assert.deepEqual(ofType(p, "gcp:compute/firewall:Firewall"), []);
      assert.equal((one(p, gkeCluster).inputs as Inputs).privateClusterConfig.masterIpv4CidrBlock, undefined, "no peered /28 to admit");
    });
  });

  describe("nodes", () => {
    it("runs nodes as a dedicated account with only the roles nodes need", async () => {
      const p = await plan("gke-eu");
      const account = one(p, "gcp:serviceaccount/account:Account", "-nodes");
      const email = `${account.inputs.accountId}@ml-platform-eu.iam.gserviceaccount.com`;
      const roles = ofType(p, "gcp:projects/iAMMember:IAMMember").filter((m) => m.inputs.member === `serviceAccount:${email}`).map((m) => m.inputs.role);
      assert.deepEqual(roles.sort(), ["roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer"]);
      for (const pool of ofType(p, nodePool)) {
        const config = pool.inputs.nodeConfig as Inputs;
        assert.equal(config.serviceAccount, email, pool.name);
        assert.deepEqual(config.oauthScopes, ["https://www.googleapis.com/auth/cloud-platform"], pool.name);
      }
    });

    it("boots every pool with Secure Boot and integrity monitoring, and hides the node's credentials from pods", async () => {
      const p = await plan("gke-eu");
      const pools = ofType(p, nodePool);
      assert.equal(pools.length, 4);
      for (const config of [...pools.map((pool) => pool.inputs.nodeConfig), one(p, gkeCluster).inputs.nodeConfig] as Inputs[]) {
        assert.deepEqual(config.shieldedInstanceConfig, { enableSecureBoot: true, enableIntegrityMonitoring: true });
        assert.deepEqual(config.workloadMetadataConfig, { mode: "GKE_METADATA" });
      }
    });

    it("runs an untainted, on-demand system pool on COS that the autoscaler sizes within the stack's bounds", async () => {
      const system = await poolOf("-system");
      assert.equal(system.name, "system");
      assert.equal(system.nodeConfig.machineType, "n2-standard-4");
      assert.equal(system.nodeConfig.imageType, "COS_CONTAINERD");
      assert.equal(system.nodeConfig.diskType, "pd-balanced");
      assert.equal(system.nodeConfig.spot, false);
      assert.deepEqual(system.nodeConfig.taints, []);
      assert.deepEqual(system.nodeConfig.labels, { "gpu-platform.io/role": "system" });
      assert.deepEqual(system.autoscaling, { totalMinNodeCount: 2, totalMaxNodeCount: 4, locationPolicy: "BALANCED" });
      assert.deepEqual(system.management, { autoRepair: true, autoUpgrade: true });
    });

    it("never lets `pulumi up` resize or replace a pool over its node count", async () => {
      const p = await plan("gke-eu");
      for (const pool of ofType(p, nodePool)) {
        assert.equal(pool.inputs.nodeCount, undefined, `${pool.name}: the autoscaler owns the live size`);
        assert.deepEqual(pool.ignoreChanges, ["initialNodeCount"], pool.name);
      }
    });
  });

  describe("GPU node pools", () => {
    it("attaches the catalog's accelerator, as many as the machine type has, with the driver GKE installs", async () => {
      const l4 = await poolOf("-gpu-l4");
      assert.equal(l4.name, "gpu-l4");
      assert.equal(l4.nodeConfig.machineType, "g2-standard-8");
      const [accelerator] = l4.nodeConfig.guestAccelerators;
      assert.equal(accelerator.type, "nvidia-l4");
      assert.equal(accelerator.count, 1);
      assert.deepEqual(accelerator.gpuDriverInstallationConfig, { gpuDriverVersion: "DEFAULT" });
      const multi = await poolOf("-gpu-l4", { "gpu-platform:gpuPools": poolsWith("l4", { instanceTypes: ["g2-standard-24"] }) });
      assert.equal(multi.nodeConfig.guestAccelerators[0].count, 2);
      assert.equal(multi.nodeConfig.machineType, "g2-standard-24");
    });

    it("puts a T4 pool only in zones that offer the T4, not every zone with N1 machines", async () => {
      // europe-west3 has N1 machines in three zones (the mock offers every type everywhere) but the T4 in one.
      const t4 = await poolOf("-gpu-t4", {
        "gpu-platform:region": "europe-west3", "gpu-platform:teams": [],
        "gpu-platform:gpuPools": [{ name: "t4", gpu: "T4", instanceTypes: ["n1-standard-4"], maxGpus: 2, capacityTypes: ["on-demand"] }],
      });
      assert.deepEqual(t4.nodeLocations, ["europe-west3-b"]);
      const l4 = await poolOf("-gpu-l4");
      assert.deepEqual(l4.nodeLocations, ["europe-west4-a", "europe-west4-b", "europe-west4-c"], "accelerator-optimized machines exist only where their GPU does");
    });

    it("uses the smallest listed machine type, since a GKE node pool has one", async () => {
      const l4 = await poolOf("-gpu-l4", { "gpu-platform:gpuPools": poolsWith("l4", { instanceTypes: ["g2-standard-48", "g2-standard-24"] }) });
      assert.equal(l4.nodeConfig.machineType, "g2-standard-24");
    });

    it("installs the newest driver when the stack asks for it", async () => {
      const l4 = await poolOf("-gpu-l4", { "gpu-platform:gke": { project: "ml-platform-eu", securityGroup: "gke-security-groups@example.com", gpuDriverVersion: "LATEST" } });
      assert.deepEqual(l4.nodeConfig.guestAccelerators[0].gpuDriverInstallationConfig, { gpuDriverVersion: "LATEST" });
    });

    it("time-shares each GPU among as many pods as the pool's replicas", async () => {
      const [accelerator] = (await poolOf("-gpu-l4")).nodeConfig.guestAccelerators;
      assert.deepEqual(accelerator.gpuSharingConfig, { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: 4 });
      assert.equal(accelerator.gpuPartitionSize, undefined);
    });

    it("cuts MIG pools' GPUs into the profile's partition size", async () => {
      const a100 = await poolOf("-gpu-a100");
      const [accelerator] = a100.nodeConfig.guestAccelerators;
      assert.equal(accelerator.type, "nvidia-tesla-a100");
      assert.equal(accelerator.gpuPartitionSize, "1g.5gb");
      assert.equal(accelerator.gpuSharingConfig, undefined);
    });

    it("shares nothing on a pool without sharing", async () => {
      const a100 = await poolOf("-gpu-a100", { "gpu-platform:gpuPools": poolsWith("a100", { sharing: { mode: "none" } }) });
      const [accelerator] = a100.nodeConfig.guestAccelerators;
      assert.equal(accelerator.gpuSharingConfig, undefined);
      assert.equal(accelerator.gpuPartitionSize, undefined);
    });

    it("runs spot-first pools on spot VMs and on-demand pools on regular ones", async () => {
      assert.equal((await poolOf("-gpu-l4")).nodeConfig.spot, true);
      assert.equal((await poolOf("-gpu-a100")).nodeConfig.spot, false);
    });

    it("scales from the baseline up to as many machines as maxGpus holds, wherever GPUs are free", async () => {
      assert.deepEqual((await poolOf("-gpu-l4")).autoscaling, { totalMinNodeCount: 0, totalMaxNodeCount: 8, locationPolicy: "ANY" });
      const pools = poolsWith("l4", { instanceTypes: ["g2-standard-48"], maxGpus: 18, baselineNodes: 2, capacityTypes: ["on-demand"] });
      const l4 = await poolOf("-gpu-l4", { "gpu-platform:gpuPools": pools });
      assert.deepEqual(l4.autoscaling, { totalMinNodeCount: 2, totalMaxNodeCount: 4, locationPolicy: "ANY" });
      assert.equal(l4.initialNodeCount, 1, "one node per zone");
      assert.equal(l4.nodeLocations.length, 2, "in two zones, so exactly the two baseline nodes start");
    });

    it("taints every GPU pool so CPU pods never land on GPUs, and labels it for the add-ons", async () => {
      for (const suffix of ["-gpu-l4", "-gpu-a100"]) {
        const pool = await poolOf(suffix);
        assert.deepEqual(pool.nodeConfig.taints, [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
        assert.equal(pool.nodeConfig.labels["gpu-platform.io/pool"], suffix.replace("-gpu-", ""));
        assert.equal(pool.nodeConfig.labels["gpu-platform.io/role"], "gpu");
      }
    });

    it("places GPU pools in the region's zones that offer the machine type", async () => {
      const l4 = await poolOf("-gpu-l4");
      assert.equal(l4.location, region);
      assert.deepEqual(l4.nodeLocations, ["a", "b", "c"].map((zone) => `${region}-${zone}`));
    });

    it("adds GPU pools after the system pool, so GKE never sees a cluster of GPU pools only", async () => {
      const p = await plan("gke-eu");
      const system = one(p, nodePool, "-system");
      for (const suffix of ["-gpu-l4", "-gpu-a100"]) assert.ok(one(p, nodePool, suffix).dependencies.includes(system.urn), suffix);
    });
  });

  it("creates every Google Cloud resource through the stack's provider, in the stack's region", async () => {
    const p = await plan("gke-eu");
    const provider = one(p, "pulumi:providers:gcp");
    assert.equal(provider.inputs.project, "ml-platform-eu");
    assert.equal(provider.inputs.region, region);
    assert.deepEqual(JSON.parse(provider.inputs.defaultLabels as string), { owner: "ml-platform", "cost-center": "4711", environment: "staging", jurisdiction: "eu", stack: "gke-eu", "managed-by": "pulumi" });
    const gcpResources = p.resources.filter((r) => r.custom && r.type.startsWith("gcp:"));
    assert.ok(gcpResources.length > 10);
    assert.deepEqual(gcpResources.filter((r) => r.provider !== provider.urn).map((r) => r.name), []);
    for (const resource of gcpResources) {
      for (const key of ["region", "location"]) {
        if (resource.inputs[key] !== undefined) assert.equal(resource.inputs[key], region, `${resource.name}.${key}`);
      }
      for (const zone of (resource.inputs.nodeLocations ?? []) as string[]) assert.ok(zone.startsWith(`${region}-`), `${resource.name} in ${zone}`);
    }
  });

  describe("GPU Operator on GKE", () => {
    type OperatorValues = Inputs;
    const operatorValues = async (): Promise<OperatorValues> => release(await plan("gke-eu"), "gpu-operator")!.inputs.values as OperatorValues;

    it("leaves the driver to GKE and installs the toolkit where COS lets it write, reading containerd's config from its file", async () => {
      const values = await operatorValues();
      assert.equal(values.driver.enabled, false);
      // GKE 1.33+: otherwise the toolkit drops GKE's CNI bin_dir and GPU pods fail to start.
      assert.deepEqual(values.toolkit, { enabled: true, installDir: "/home/kubernetes/bin/nvidia", env: [{ name: "RUNTIME_CONFIG_SOURCE", value: "file" }] });
      assert.deepEqual(values.hostPaths, { driverInstallDir: "/home/kubernetes/bin/nvidia" });
    });

    it("leaves the device plugin and GPU sharing to GKE", async () => {
      const values = await operatorValues();
      assert.equal(values.devicePlugin.enabled, false);
      assert.equal(values.devicePlugin.config, undefined, "GKE's node pool settings share the GPUs, not a device plugin config");
      assert.equal(values.migManager.enabled, false);
    });

    it("admits the operator's system-critical pods with a quota in its namespace", async () => {
      const p = await plan("gke-eu");
      const quota = one(p, "kubernetes:core/v1:ResourceQuota", "-gpu-operator-critical-pods").inputs as Inputs;
      assert.equal(quota.metadata.namespace, "gpu-operator");
      assert.deepEqual(quota.spec.scopeSelector.matchExpressions, [{ scopeName: "PriorityClass", operator: "In", values: ["system-node-critical", "system-cluster-critical"] }]);
      assert.ok(release(p, "gpu-operator")!.dependencies.includes(one(p, "kubernetes:core/v1:ResourceQuota", "-gpu-operator-critical-pods").urn));
    });

    it("runs the operator on the system nodes", async () => {
      assert.equal((await operatorValues()).operator.nodeSelector["gpu-platform.io/role"], "system");
    });
  });

  describe("for the add-on layer", () => {
    it("keeps Prometheus on GKE's encrypted pd-balanced class, which GKE's CSI driver provides", async () => {
      const p = await plan("gke-eu");
      assert.deepEqual(one(p, gkeCluster).inputs.addonsConfig, { gcePersistentDiskCsiDriverConfig: { enabled: true } });
      const values = release(p, "kube-prometheus-stack")!.inputs.values as Inputs;
      assert.equal(values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, "standard-rwo");
      assert.equal(ofType(p, "kubernetes:storage.k8s.io/v1:StorageClass").length, 0);
    });

    it("installs add-ons after the system pool, through a server-side-apply provider", async () => {
      const p = await plan("gke-eu");
      const system = one(p, nodePool, "-system");
      assert.ok(release(p, "kueue")!.dependencies.includes(system.urn));
      const k8s = one(p, "pulumi:providers:kubernetes");
      assert.equal(k8s.inputs.enableServerSideApply, "true");
      assert.equal(k8s.inputs.kubeconfig, "[secret]");
    });

    it("exports the kubeconfig only as a secret and the endpoint and OIDC issuer of the cluster", async () => {
      const p = await plan("gke-eu");
      assert.equal(p.outputs.kubeconfig, "[secret]");
      assert.equal(p.outputs.clusterName, "gpu-gke-eu");
      assert.equal(p.outputs.clusterEndpoint, `https://gke-${shortHash("gpu-gke-eu")}.${region}.gke.goog`);
      assert.equal(p.outputs.oidcIssuer, `https://container.googleapis.com/v1/projects/ml-platform-eu/locations/${region}/clusters/gpu-gke-eu`);
    });
  });

  describe("Workload Identity grants", () => {
    /** Plans the GKE cluster of the gke-eu stack alone, plus whatever `use` does with its handle. */
    const planCluster = (use: (cluster: ReturnType<typeof buildGkeCluster>) => unknown) =>
      runProgram(readStackFile(root, "gke-eu"), async () => {
        const grant = use(buildGkeCluster("gke", { config: loadStackConfig() }, {})) as { serviceAccountAnnotations?: object } | undefined;
        return { annotations: grant?.serviceAccountAnnotations ?? {} };
      }, region);

    it("binds a Kubernetes service account to its own Google service account with the roles asked for", async () => {
      const p = await planCluster((cluster) => cluster.grantWorkloadIdentity!("gke-models", { namespace: "search", serviceAccount: "model-loader", managedPolicies: ["roles/storage.objectViewer"] }));
      const account = one(p, "gcp:serviceaccount/account:Account", "gke-models");
      const email = `${account.inputs.accountId}@ml-platform-eu.iam.gserviceaccount.com`;
      const binding = one(p, "gcp:serviceaccount/iAMMember:IAMMember", "gke-models-workload-identity");
      assert.equal(binding.inputs.role, "roles/iam.workloadIdentityUser");
      assert.equal(binding.inputs.member, "serviceAccount:ml-platform-eu.svc.id.goog[search/model-loader]");
      assert.equal(binding.inputs.serviceAccountId, `projects/ml-platform-eu/serviceAccounts/${email}`);
      const role = one(p, "gcp:projects/iAMMember:IAMMember", "gke-models-0");
      assert.deepEqual([role.inputs.role, role.inputs.member], ["roles/storage.objectViewer", `serviceAccount:${email}`]);
      assert.ok(binding.dependencies.includes(role.urn), "the pod may act only once its roles are granted");
      const provider = one(p, "pulumi:providers:gcp");
      assert.ok([account, binding, role].every((r) => r.provider === provider.urn));
      // The Kubernetes service account names its Google account, or its pods get node credentials.
      assert.deepEqual(p.outputs.annotations, { "iam.gke.io/gcp-service-account": email });
    });

    it("refuses an inline policy document, which GCP does not have", async () => {
      await assert.rejects(
        planCluster((cluster) => cluster.grantWorkloadIdentity!("gke-bad", { namespace: "search", serviceAccount: "x", policy: "{}" })),
        /GCP has no inline IAM policy documents; name predefined or custom roles in managedPolicies/,
      );
    });

    it("refuses an AWS policy ARN where a role name belongs", async () => {
      await assert.rejects(
        planCluster((cluster) => cluster.grantWorkloadIdentity!("gke-arn", { namespace: "kube-system", serviceAccount: "x", managedPolicies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] })),
        /arn:aws:iam::aws:policy\/AmazonS3ReadOnlyAccess is not an IAM role/,
      );
    });
  });
});
