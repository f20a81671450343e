import { strict as assert } from "assert";
import * as path from "path";
import { AksCluster } from "../../../components/azure/aks-cluster";
import { assignmentName, deployerPrincipalType } from "../../../components/azure/cluster-access";
import { mockSubscriptionId, mockUuid } from "../../../plan/mocks/azure";
import { AzureWorkloadIdentity } from "../../../components/azure/workload-identity";
import type { WorkloadIdentityRequest } from "../../../components/cluster/contract";
import { Plan, PlannedResource, runProgram } from "../../../plan/program";
import { readStackFile } from "../../../plan/stack-files";
import { loadStackConfig } from "../../../stacks/load";
import { one, ofType, plan, release } from "../../helpers/plan";
import { configError, parse, stackSettings } from "../../helpers/settings";
import { customResourceProblems } from "../../helpers/reference";

const root = path.resolve(__dirname, "../../..");
const stack = "aks-eu";
const region = "swedencentral";

const managedCluster = "azure-native:containerservice:ManagedCluster";
const agentPool = "azure-native:containerservice:AgentPool";
const roleAssignment = "azure-native:authorization:RoleAssignment";
const nodePoolType = "kubernetes:karpenter.sh/v1:NodePool";
const nodeClassType = "kubernetes:karpenter.azure.com/v1alpha2:AKSNodeClass";

const expectedTags = { owner: "ml-platform", "cost-center": "4711", environment: "dev", jurisdiction: "eu", stack, "managed-by": "pulumi" };

/** The stack's A100 pool with changes applied. */
const a100Pool = (changes: Record<string, unknown>) => [{
  name: "a100", gpu: "A100-80GB", instanceTypes: ["Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4"],
  maxGpus: 8, capacityTypes: ["spot", "on-demand"], ...changes,
}];

type Inputs = Record<string, any>;
const cluster = (p: Plan): Inputs => one(p, managedCluster).inputs;
const systemPool = (p: Plan): Inputs => (cluster(p).agentPoolProfiles as Inputs[])[0];

/** Builds only the AKS cluster of the stack and asks it for one workload identity. */
async function planIdentity(request: WorkloadIdentityRequest): Promise<Plan> {
  return runProgram(readStackFile(root, stack), async () => {
    const config = loadStackConfig();
    const aks = new AksCluster(config.clusterName, { config }, {});
    const grant = aks.grantWorkloadIdentity(`${config.clusterName}-reader`, request);
    return { annotations: grant.serviceAccountAnnotations, podLabels: grant.podLabels };
  }, region);
}

describe("AKS cluster (azure)", () => {
  it("refuses a shared pool that NAP would scale, and accepts one held by always-on agent pools", () => {
    const shared = { sharing: { mode: "time-slicing", replicas: 2 } };
    const settings = (pools: unknown) => ({ ...stackSettings(stack), gpuPools: pools, teams: [] });
    assert.match(configError(settings(a100Pool(shared))), /gpuPools\[0\]\.sharing\.mode = "time-slicing": Node Auto Provisioning sizes GPU nodes by their physical GPUs/);
    assert.equal(parse(settings(a100Pool({ ...shared, instanceTypes: ["Standard_NC24ads_A100_v4"], maxGpus: 2, baselineNodes: 2, capacityTypes: ["on-demand"] })), stack).gpuPools[0].unitsPerGpu, 2);
  });


  describe("control plane", () => {
    it("turns on Node Auto Provisioning with only the platform's own NodePools", async () => {
      assert.deepEqual(cluster(await plan(stack)).nodeProvisioningProfile, { mode: "Auto", defaultNodePools: "None" });
    });

    it("runs Azure CNI Overlay with the Cilium dataplane and network policy, pods and services outside the VNet", async () => {
      const network = cluster(await plan(stack)).networkProfile;
      assert.deepEqual(network, {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataplane: "cilium",
        networkPolicy: "cilium",
        podCidr: "100.64.0.0/14",
        serviceCidr: "100.72.0.0/16",
        dnsServiceIP: "100.72.0.10",
        outboundType: "loadBalancer",
        loadBalancerSku: "standard",
      });
    });

    it("signs in through Entra ID with Azure RBAC and makes the configured groups admins", async () => {
      const aad = cluster(await plan(stack)).aadProfile;
      assert.deepEqual(aad, { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ["0f3c2b8e-6d4a-4c1f-9e7b-2a5d8c6e4f10"] });
    });

    it("disables local accounts so no static admin credential exists", async () => {
      const inputs = cluster(await plan(stack));
      assert.equal(inputs.disableLocalAccounts, true);
      assert.equal(inputs.enableRBAC, true);
    });

    it("publishes an OIDC issuer and turns on workload identity", async () => {
      const p = await plan(stack);
      const inputs = cluster(p);
      assert.deepEqual(inputs.oidcIssuerProfile, { enabled: true });
      assert.deepEqual(inputs.securityProfile, { workloadIdentity: { enabled: true } });
      assert.match(String(p.outputs.oidcIssuer), /^https:\/\/swedencentral\.oic\.prod-aks\.azure\.com\/[0-9a-f-]{36}\/[0-9a-f-]{36}\/$/);
    });

    it("opens the API server only to the networks in apiAccess", async () => {
      const p = await plan(stack, { "gpu-platform:apiAccess": { publicCidrs: ["198.51.100.0/24", "203.0.113.0/24"] } });
      assert.deepEqual(cluster(p).apiServerAccessProfile, { authorizedIPRanges: ["198.51.100.0/24", "203.0.113.0/24"] });
    });

    it("uses a system-assigned identity, the Base SKU and patch and node-image auto-upgrades", async () => {
      const inputs = cluster(await plan(stack));
      assert.deepEqual(inputs.identity, { type: "SystemAssigned" });
      assert.deepEqual(inputs.sku, { name: "Base", tier: "Free" });
      assert.deepEqual(inputs.autoUpgradeProfile, { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
      assert.equal(inputs.kubernetesVersion, "1.35");
      assert.equal(inputs.resourceName, "gpu-aks-eu");
      assert.equal(inputs.dnsPrefix, "gpu-aks-eu");
    });

    it("lets NAP put node NICs into the subnet through the cluster identity", async () => {
      const p = await plan(stack);
      const access = one(p, roleAssignment, "-subnet-access");
      const subnet = one(p, "azure-native:network:Subnet");
      assert.match(String(access.inputs.roleDefinitionId), /\/providers\/Microsoft\.Authorization\/roleDefinitions\/4d97b98b-1d4f-4787-a291-c67834d212e7$/);
      assert.equal(access.inputs.scope, (cluster(p).agentPoolProfiles as Inputs[])[0].vnetSubnetID);
      assert.match(String(access.inputs.scope), /\/virtualNetworks\/gpu-aks-eu-vnet\/subnets\/nodes$/);
      assert.ok(access.dependencies.includes(one(p, managedCluster).urn));
      assert.ok(access.dependencies.includes(subnet.urn));
    });
  });

  describe("who gets in (Azure RBAC)", () => {
    const clusterId = `/subscriptions/${mockSubscriptionId}/resourceGroups/gpu-aks-eu-rg/providers/Microsoft.ContainerService/managedClusters/gpu-aks-eu`;
    const role = (guid: string) => `/subscriptions/${mockSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const grants = (p: Plan) => ofType(p, roleAssignment).filter((r) => r.name.includes("-access-"))
      .map((r) => [r.name.replace(/^gpu-aks-eu-access-/, ""), r.inputs.principalId, r.inputs.principalType, r.inputs.roleDefinitionId, r.inputs.scope]);

    it("makes the identity running pulumi up and the admin groups RBAC Cluster Admins of the cluster", async () => {
      const p = await plan(stack);
      const admin = "0f3c2b8e-6d4a-4c1f-9e7b-2a5d8c6e4f10";
      const clusterAdmin = role("b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b");
      assert.deepEqual(grants(p).filter(([name]) => name === "deployer" || String(name).startsWith("admin-")), [
        ["deployer", mockUuid("deployer"), "ServicePrincipal", clusterAdmin, clusterId],
        [`admin-${admin}`, admin, "Group", clusterAdmin, clusterId],
      ]);
    });

    it("tells a person signed in with az login from CI's service principal, as Azure insists", () => {
      assert.equal(deployerPrincipalType("04b07795-8ddb-461a-bbee-02f9e1bf7b46"), "User");
      assert.equal(deployerPrincipalType(mockUuid("ci-app")), "ServicePrincipal");
    });

    it("lets each team's group fetch the kubeconfig and edit its own namespace only", async () => {
      const p = await plan(stack);
      const search = "5b2e8c1d-3f4a-4e6b-9c7d-1a2b3c4d5e6f";
      assert.deepEqual(grants(p).filter(([name]) => String(name).startsWith("team-search")), [
        ["team-search-user", search, "Group", role("4abbcc35-e782-43d8-92c5-2d3f1bd2253f"), clusterId],
        ["team-search-edit", search, "Group", role("a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"), `${clusterId}/namespaces/search`],
      ]);
    });

    it("names each assignment after what it grants, so a re-run never collides and a change replaces cleanly", async () => {
      const p = await plan(stack);
      const assignments = ofType(p, roleAssignment).filter((r) => r.name.includes("-access-"));
      for (const r of assignments) {
        assert.equal(r.inputs.roleAssignmentName, assignmentName(String(r.inputs.scope), String(r.inputs.principalId), String(r.inputs.roleDefinitionId).split("/").pop()!));
        assert.equal(r.deleteBeforeReplace, true);
      }
      assert.equal(new Set(assignments.map((r) => r.inputs.roleAssignmentName)).size, assignments.length);
    });

    it("holds every Kubernetes object back until the deployer's and admins' assignments have propagated", async () => {
      const p = await plan(stack);
      const gate = one(p, "pulumi-nodejs:dynamic/cluster:ApiAccessGate");
      for (const r of ofType(p, roleAssignment).filter((a) => /-access-(deployer|admin-)/.test(a.name))) assert.ok(gate.dependencies.includes(r.urn), r.name);
      assert.equal(gate.inputs.waitSeconds, 900, "Microsoft: up to five minutes to propagate, and denials may be cached");
      assert.ok(one(p, "pulumi:providers:kubernetes").dependencies.includes(gate.urn));
    });
  });

  describe("network and placement", () => {
    it("puts every Azure resource in the stack's region and tags everything that takes tags", async () => {
      const p = await plan(stack, { "gpu-platform:gpuPools": a100Pool({ baselineNodes: 1 }) });
      // Children of another Azure resource take their parent's location; these take no tags either.
      const diagnostics = "azure-native:monitor:DiagnosticSetting";
      const childTypes = new Set(["azure-native:network:Subnet", agentPool, roleAssignment, "azure-native:managedidentity:FederatedIdentityCredential", diagnostics]);
      const untagged = new Set(["azure-native:network:Subnet", roleAssignment, "azure-native:managedidentity:FederatedIdentityCredential", diagnostics]);
      const azure = p.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
      assert.ok(azure.some((r) => r.type === agentPool));
      for (const resource of azure) {
        if (!childTypes.has(resource.type)) assert.equal(resource.inputs.location, region, `${resource.type} ${resource.name}`);
        if (!untagged.has(resource.type)) assert.deepEqual(resource.inputs.tags, expectedTags, `${resource.type} ${resource.name}`);
      }
      assert.deepEqual(systemPool(p).tags, expectedTags);
    });

    it("builds the VNet from network.vpcCidr with nodes in its lower half, as a private subnet", async () => {
      const p = await plan(stack);
      assert.deepEqual(one(p, "azure-native:network:VirtualNetwork").inputs.addressSpace, { addressPrefixes: ["10.42.0.0/16"] });
      const subnet = one(p, "azure-native:network:Subnet").inputs;
      assert.equal(subnet.addressPrefix, "10.42.0.0/17");
      assert.equal(subnet.defaultOutboundAccess, false);
    });

    it("keeps one resource group named after the cluster", async () => {
      const [group] = ofType(await plan(stack), "azure-native:resources:ResourceGroup");
      assert.equal(group.inputs.resourceGroupName, "gpu-aks-eu-rg");
    });
  });

  describe("system pool", () => {
    it("runs a fixed-size, labelled system pool of the configured size on Ubuntu in the node subnet", async () => {
      const pool = systemPool(await plan(stack));
      assert.equal(pool.mode, "System");
      assert.equal(pool.vmSize, "Standard_D4s_v5");
      assert.equal(pool.count, 3);
      assert.equal(pool.enableAutoScaling, false, "NAP clusters may not have autoscaling agent pools");
      assert.equal(pool.osSKU, "Ubuntu");
      assert.deepEqual(pool.nodeLabels, { "gpu-platform.io/role": "system" });
      assert.deepEqual(pool.nodeTaints ?? [], []);
      assert.match(String(pool.vnetSubnetID), /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/gpu-aks-eu-rg\/providers\/Microsoft\.Network\/virtualNetworks\/gpu-aks-eu-vnet\/subnets\/nodes$/);
    });

    it("spreads the system pool over the configured availability zones", async () => {
      assert.deepEqual(systemPool(await plan(stack)).availabilityZones, ["1", "2", "3"]);
      const two = await plan(stack, { "gpu-platform:network": { vpcCidr: "10.42.0.0/16", availabilityZones: 2 } });
      assert.deepEqual(systemPool(two).availabilityZones, ["1", "2"]);
      // Unset, nothing is pinned: some Azure regions have no availability zones at all.
      const unset = await plan(stack, { "gpu-platform:network": { vpcCidr: "10.42.0.0/16" } });
      assert.equal(systemPool(unset).availabilityZones, undefined);
    });

    it("leaves the system pool's live size alone on update, so a manual scale is not undone", async () => {
      assert.deepEqual(one(await plan(stack), managedCluster).ignoreChanges, ["agentPoolProfiles[0].count"]);
    });

    it("takes the system pool's size from systemNodes.min", async () => {
      const p = await plan(stack, { "gpu-platform:systemNodes": { instanceType: "Standard_D8s_v5", min: 2, max: 2 } });
      assert.equal(systemPool(p).count, 2);
      assert.equal(systemPool(p).vmSize, "Standard_D8s_v5");
    });
  });

  describe("GPU capacity through NAP", () => {
    it("creates one NodePool per GPU pool and one shared AKSNodeClass, both valid against the upstream CRDs", async () => {
      const p = await plan(stack, {
        "gpu-platform:gpuPools": [...a100Pool({}), { name: "t4", gpu: "T4", maxGpus: 4, capacityTypes: ["on-demand"] }],
        "gpu-platform:teams": [],
      });
      const pools = ofType(p, nodePoolType);
      assert.deepEqual(pools.map((r) => (r.inputs.metadata as Inputs).name).sort(), ["gpu-a100", "gpu-t4"]);
      const classes = ofType(p, nodeClassType);
      assert.equal(classes.length, 1);
      for (const resource of [...pools, ...classes]) {
        assert.deepEqual(customResourceProblems(resource.inputs as { apiVersion: string; kind: string }), [], resource.name);
      }
    });

    it("leaves the GPU driver to the GPU Operator on NAP nodes, in the node subnet, tagged", async () => {
      const p = await plan(stack);
      const spec = one(p, nodeClassType).inputs.spec as Inputs;
      assert.deepEqual(spec.gpu, { mode: "None" });
      assert.equal(spec.imageFamily, "Ubuntu");
      assert.equal(spec.osDiskSizeGB, 200);
      assert.equal(spec.vnetSubnetID, systemPool(p).vnetSubnetID);
      assert.deepEqual(spec.tags, expectedTags);
    });

    it("launches only the pool's catalog VM sizes, spot first with on-demand fallback", async () => {
      const spec = one(await plan(stack), nodePoolType).inputs.spec as Inputs;
      const requirement = (key: string) => (spec.template.spec.requirements as { key: string; values: string[] }[]).find((r) => r.key === key)?.values;
      assert.deepEqual(requirement("node.kubernetes.io/instance-type"), ["Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4"]);
      assert.deepEqual(requirement("karpenter.sh/capacity-type"), ["spot", "on-demand"]);
      assert.deepEqual(spec.template.spec.nodeClassRef, { group: "karpenter.azure.com", kind: "AKSNodeClass", name: "gpu" });
    });

    it("uses every catalog size of the model when the pool names none", async () => {
      const p = await plan(stack, { "gpu-platform:gpuPools": [{ name: "t4", gpu: "T4", maxGpus: 4 }], "gpu-platform:teams": [] });
      const spec = one(p, nodePoolType).inputs.spec as Inputs;
      assert.deepEqual(spec.template.spec.requirements[0].values, ["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3"]);
    });

    it("taints GPU nodes, labels them for Kueue and the GPU Operator, and bounds the pool at its GPUs", async () => {
      const spec = one(await plan(stack), nodePoolType).inputs.spec as Inputs;
      assert.deepEqual(spec.template.spec.taints, [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }]);
      assert.deepEqual(spec.template.metadata.labels, {
        "gpu-platform.io/role": "gpu", "gpu-platform.io/pool": "a100", "gpu-platform.io/gpu": "a100-80gb",
      });
      assert.deepEqual(spec.limits, { "nvidia.com/gpu": "4" });
    });

    it("creates NodePools and the AKSNodeClass after the cluster, its system pool and NAP's subnet access", async () => {
      const p = await plan(stack);
      const aks = one(p, managedCluster);
      const access = one(p, roleAssignment, "-subnet-access");
      const nodeClass = one(p, nodeClassType);
      for (const dependency of [aks, access]) assert.ok(nodeClass.dependencies.includes(dependency.urn), `AKSNodeClass must wait for ${dependency.name}`);
      for (const pool of ofType(p, nodePoolType)) {
        for (const dependency of [aks, nodeClass]) assert.ok(pool.dependencies.includes(dependency.urn), `${pool.name} must wait for ${dependency.name}`);
        assert.equal(pool.provider?.endsWith("::gpu-aks-eu-k8s"), true);
      }
    });
  });

  describe("baseline GPU nodes", () => {
    const withBaseline = () => plan(stack, { "gpu-platform:gpuPools": a100Pool({ baselineNodes: 1 }) });

    it("adds no agent pool to a pool that scales to zero", async () => {
      assert.deepEqual(ofType(await plan(stack), agentPool), []);
    });

    it("keeps baseline nodes in a fixed-size, tainted, on-demand agent pool that skips AKS' GPU driver", async () => {
      const pool = one(await withBaseline(), agentPool, "-gpu-a100").inputs as Inputs;
      assert.deepEqual(pool.gpuProfile, { driver: "None" });
      assert.equal(pool.mode, "User");
      assert.equal(pool.vmSize, "Standard_NC24ads_A100_v4");
      assert.equal(pool.count, 1);
      assert.equal(pool.enableAutoScaling, false);
      assert.equal(pool.scaleSetPriority, "Regular");
      assert.equal(pool.osSKU, "Ubuntu");
      assert.equal(pool.agentPoolName, "gpua100");
      assert.equal(pool.resourceName, "gpu-aks-eu");
      assert.deepEqual(pool.nodeTaints, ["nvidia.com/gpu=present:NoSchedule"]);
      assert.equal(pool.nodeLabels["gpu-platform.io/pool"], "a100");
      assert.equal(pool.nodeLabels["nvidia.com/device-plugin.config"], undefined, "whole GPUs: no sharing config to pick");
    });

    it("subtracts the baseline GPUs from the NodePool bound so the pool never exceeds maxGpus", async () => {
      const spec = one(await withBaseline(), nodePoolType).inputs.spec as Inputs;
      assert.deepEqual(spec.limits, { "nvidia.com/gpu": "7" });
    });
  });

  describe("protection", () => {
    it("protects the cluster and its resource group in prod and buys the Standard tier", async () => {
      const p = await plan(stack, { "gpu-platform:environment": "prod" });
      assert.equal(one(p, managedCluster).protect, true);
      assert.equal(one(p, "azure-native:resources:ResourceGroup").protect, true);
      assert.equal(cluster(p).sku.tier, "Standard");
    });

    it("leaves dev stacks unprotected so they can be torn down", async () => {
      const p = await plan(stack);
      assert.equal(one(p, managedCluster).protect, false);
      assert.equal(one(p, "azure-native:resources:ResourceGroup").protect, false);
    });
  });

  describe("what the add-on layer gets", () => {
    it("has the GPU Operator install driver, toolkit and device plugin, with a time-sliced pool's config where only agent pools hold it", async () => {
      // Two always-on one-GPU nodes and nothing for NAP to scale: the shape AKS can share.
      const values = release(await plan(stack, { "gpu-platform:gpuPools": a100Pool({ instanceTypes: ["Standard_NC24ads_A100_v4"], maxGpus: 2, baselineNodes: 2, capacityTypes: ["on-demand"], sharing: { mode: "time-slicing", replicas: 2 } }), "gpu-platform:teams": [] }), "gpu-operator")!.inputs.values as Inputs;
      assert.equal(values.driver.enabled, true);
      assert.equal(values.toolkit.enabled, true);
      assert.equal(values.devicePlugin.enabled, true);
      assert.match(values.devicePlugin.config.data.a100, /timeSlicing:[\s\S]*replicas: 2/);
      assert.deepEqual(values.operator.nodeSelector, { "kubernetes.io/os": "linux", "gpu-platform.io/role": "system" });
    });

    it("puts controllers on the system pool and Prometheus on AKS' managed-csi class", async () => {
      const p = await plan(stack);
      const prometheus = release(p, "kube-prometheus-stack")!.inputs.values as Inputs;
      assert.equal(prometheus.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, "managed-csi");
      assert.equal(ofType(p, "kubernetes:storage.k8s.io/v1:StorageClass").length, 0, "AKS already has the class");
    });

    it("hands the add-ons a server-side-apply provider whose kubeconfig stays secret", async () => {
      const p = await plan(stack);
      const provider = one(p, "pulumi:providers:kubernetes").inputs;
      assert.equal(provider.kubeconfig, "[secret]");
      assert.equal(provider.enableServerSideApply, "true");
      assert.equal(p.outputs.kubeconfig, "[secret]");
      assert.equal(p.outputs.clusterName, "gpu-aks-eu");
      assert.match(String(p.outputs.clusterEndpoint), /^https:\/\/gpu-aks-eu-[0-9a-f]+\.hcp\.swedencentral\.azmk8s\.io$/);
    });
  });

  describe("workload identity", () => {
    const request = { namespace: "monitoring", serviceAccount: "reader", managedPolicies: ["acdd72a7-3385-48ef-bd42-f606fba81ae7"] };
    let p: Plan;
    before(async () => {
      p = await planIdentity(request);
    });
    const byType = (type: string) => p.resources.filter((r) => r.type === type);
    const named = (type: string, suffix: string): PlannedResource => byType(type).find((r) => r.name.endsWith(suffix))!;

    it("gives the service account its own managed identity in the cluster's region and resource group", () => {
      const identity = named("azure-native:managedidentity:UserAssignedIdentity", "-reader").inputs;
      assert.equal(identity.location, region);
      assert.equal(identity.resourceGroupName, "gpu-aks-eu-rg");
      assert.deepEqual(identity.tags, expectedTags);
    });

    it("tells the service account and its pods which identity to use", () => {
      const annotations = p.outputs.annotations as Record<string, string>;
      assert.ok(annotations["azure.workload.identity/client-id"]?.length > 0, "the client id of the identity created");
      assert.deepEqual(p.outputs.podLabels, { "azure.workload.identity/use": "true" });
    });

    it("trusts only that service account's tokens from the cluster's OIDC issuer", () => {
      const credential = named("azure-native:managedidentity:FederatedIdentityCredential", "-reader").inputs;
      assert.equal(credential.subject, "system:serviceaccount:monitoring:reader");
      assert.deepEqual(credential.audiences, ["api://AzureADTokenExchange"]);
      assert.match(String(credential.issuer), /^https:\/\/swedencentral\.oic\.prod-aks\.azure\.com\//);
    });

    it("assigns the requested built-in roles at the resource group", () => {
      const assignment = named(roleAssignment, "-reader-0").inputs;
      assert.match(String(assignment.roleDefinitionId), /^\/subscriptions\/[0-9a-f-]{36}\/providers\/Microsoft\.Authorization\/roleDefinitions\/acdd72a7-3385-48ef-bd42-f606fba81ae7$/);
      assert.match(String(assignment.scope), /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/gpu-aks-eu-rg$/);
      assert.equal(assignment.principalType, "ServicePrincipal");
      assert.match(String(assignment.principalId), /^[0-9a-f-]{36}$/);
    });

    it("refuses an inline policy document, which Azure does not have", () => {
      const args = { ...request, policy: "{}", resourceGroupName: "rg", resourceGroupId: "/subscriptions/x/resourceGroups/rg", location: region, oidcIssuer: "https://issuer", tags: {} };
      assert.throws(() => new AzureWorkloadIdentity("x", args), /no inline policy documents; grant built-in roles through managedPolicies/);
    });

    it("refuses a role that is neither a GUID nor a role definition id", () => {
      const args = { ...request, managedPolicies: ["Reader"], resourceGroupName: "rg", resourceGroupId: "/subscriptions/x/resourceGroups/rg", location: region, oidcIssuer: "https://issuer", tags: {} };
      assert.throws(() => new AzureWorkloadIdentity("x", args), /"Reader" is not an Azure role definition/);
    });
  });
});
