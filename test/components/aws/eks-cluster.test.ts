import { strict as assert } from "assert";
import { eksAddonVersions, eksAddons } from "../../../stacks/eks-addon-versions";
import { kubernetesVersions } from "../../../stacks/kubernetes-versions";
import { one, ofType, plan, prerequisites } from "../../helpers/plan";

const eksCluster = "eks:index:Cluster";
const nodeGroup = "aws:eks/nodeGroup:NodeGroup";
const launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate";

const devPools = (changes: Record<string, unknown>) => [{
  name: "l4", gpu: "L4", instanceTypes: ["g6.xlarge"], maxGpus: 8,
  capacityTypes: ["spot", "on-demand"], sharing: { mode: "time-slicing", replicas: 2 }, ...changes,
}];

describe("EKS cluster (aws)", () => {
  it("keeps the API endpoint private unless the stack lists public networks", async () => {
    const cluster = one(await plan("dev", { "gpu-platform:apiAccess": { privateCidrs: ["10.200.0.0/20"] } }), eksCluster).inputs;
    assert.equal(cluster.endpointPrivateAccess, true);
    assert.equal(cluster.endpointPublicAccess, false);
    assert.equal(cluster.publicAccessCidrs, undefined);
  });

  it("opens the public endpoint only to the allow-listed networks", async () => {
    const cluster = one(await plan("dev", { "gpu-platform:apiAccess": { publicCidrs: ["203.0.113.0/24"] } }), eksCluster).inputs;
    assert.equal(cluster.endpointPublicAccess, true);
    assert.deepEqual(cluster.publicAccessCidrs, ["203.0.113.0/24"]);
  });

  it("encrypts Kubernetes secrets with its own rotating KMS key", async () => {
    const p = await plan("dev");
    const key = one(p, "aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(one(p, eksCluster).inputs.encryptionConfigKeyArn, `arn:aws:kms:eu-central-1:123456789012:${key.name}`);
  });

  it("sends api, audit and authenticator logs to a log group with a retention period", async () => {
    const p = await plan("dev");
    const cluster = one(p, eksCluster);
    assert.deepEqual(cluster.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
    const logs = one(p, "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(logs.inputs.name, "/aws/eks/gpu-dev/cluster");
    assert.equal(logs.inputs.retentionInDays, 90);
    assert.ok(cluster.dependencies.includes(logs.urn), "the log group must exist before EKS starts writing");
  });

  it("authenticates with access entries only and creates no default node group", async () => {
    const cluster = one(await plan("dev"), eksCluster).inputs;
    assert.equal(cluster.authenticationMode, "API");
    assert.equal(cluster.skipDefaultNodeGroup, true);
    assert.equal(cluster.name, "gpu-dev");
    assert.equal(cluster.version, "1.35");
  });

  it("pins the AWS provider to the stack's region and tags everything it creates", async () => {
    const provider = one(await plan("dev"), "pulumi:providers:aws").inputs;
    assert.equal(provider.region, "eu-central-1");
    // Provider inputs travel JSON-encoded, as the engine passes them.
    const tags = JSON.parse(provider.defaultTags as string).tags;
    assert.deepEqual(tags, { owner: "ml-platform", "cost-center": "4711", environment: "dev", jurisdiction: "eu", stack: "dev", "managed-by": "pulumi" });
  });

  it("creates every AWS resource through the stack's regional provider", async () => {
    const p = await plan("dev");
    const provider = one(p, "pulumi:providers:aws");
    const strays = p.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.provider !== provider.urn);
    assert.deepEqual(strays.map((r) => r.name), []);
  });

  it("builds a VPC with private subnets in three zones and one NAT gateway outside prod", async () => {
    const p = await plan("dev");
    const subnets = ofType(p, "aws:ec2/subnet:Subnet");
    const privateSubnets = subnets.filter((s) => s.name.includes("private"));
    assert.equal(privateSubnets.length, 3);
    // Cut as for six zones, so a zone's subnet never moves when the count changes.
    assert.deepEqual(privateSubnets.map((s) => s.inputs.cidrBlock), ["10.40.0.0/19", "10.40.32.0/19", "10.40.64.0/19"]);
    assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch !== true), "no subnet hands out public addresses");
    assert.equal(ofType(p, "aws:ec2/natGateway:NatGateway").length, 1);
  });

  it("uses existing subnets instead of creating a network when given", async () => {
    const p = await plan("dev", { "gpu-platform:network": { vpcId: "vpc-0abc123", subnetIds: ["subnet-0a1", "subnet-0b2"] } });
    assert.equal(ofType(p, "aws:ec2/vpc:Vpc").length, 0);
    const cluster = one(p, eksCluster).inputs;
    assert.equal(cluster.vpcId, "vpc-0abc123");
    assert.deepEqual(cluster.privateSubnetIds, ["subnet-0a1", "subnet-0b2"]);
  });

  it("runs an untainted, on-demand system node group that keeps its live size on update", async () => {
    const p = await plan("dev");
    const system = one(p, nodeGroup, "-system");
    assert.equal(system.inputs.capacityType, "ON_DEMAND");
    assert.deepEqual(system.inputs.taints ?? [], []);
    assert.deepEqual(system.inputs.labels, { "gpu-platform.io/role": "system" });
    assert.deepEqual(system.inputs.scalingConfig, { minSize: 2, maxSize: 3, desiredSize: 2 });
    assert.deepEqual(system.ignoreChanges, ["scalingConfig.desiredSize"]);
  });

  it("requires IMDSv2 with a hop limit of one and encrypted volumes on managed nodes", async () => {
    const template = one(await plan("dev"), launchTemplate, "-system").inputs;
    assert.deepEqual(template.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    const [volume] = template.blockDeviceMappings as { ebs: { encrypted: string } }[];
    assert.equal(volume.ebs.encrypted, "true");
  });

  it("keeps managed node groups on the cluster's Kubernetes version, so they follow each upgrade", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": devPools({ baselineNodes: 1 }) });
    for (const group of ofType(p, nodeGroup)) assert.equal(group.inputs.version, "1.35", group.name);
    const upgraded = await plan("dev", { "gpu-platform:gpuPools": devPools({ baselineNodes: 1 }), "gpu-platform:kubernetesVersion": "1.36" });
    for (const group of ofType(upgraded, nodeGroup)) assert.equal(group.inputs.version, "1.36", group.name);
  });

  it("updates GPU node groups one node at a time without surging extra GPU machines, tag edits included", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": devPools({ baselineNodes: 1 }) });
    assert.deepEqual(one(p, nodeGroup, "-gpu-l4").inputs.updateConfig, { maxUnavailable: 1, updateStrategy: "MINIMAL" });
    assert.deepEqual(one(p, nodeGroup, "-system").inputs.updateConfig, { maxUnavailable: 1, updateStrategy: "DEFAULT" });
    // Tags are template data: an edit rolls nodes (one at a time on GPU groups) so instances carry them.
    for (const template of ofType(p, launchTemplate)) assert.deepEqual(template.ignoreChanges, [], template.name);
  });

  it("leaves out zones EKS refuses for cluster subnets (use1-az3 in us-east-1)", async () => {
    const p = await plan("us-prod");
    const zones = ofType(p, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private")).map((s) => s.inputs.availabilityZone);
    // The offline AWS gives us-east-1 four zones, us-east-1c being use1-az3.
    assert.deepEqual(zones, ["us-east-1a", "us-east-1b", "us-east-1d"]);
  });

  it("keeps the earlier subnet cut for stacks built with it, since a new cut would re-create every subnet over its old range", async () => {
    const p = await plan("dev", { "gpu-platform:network": { vpcCidr: "10.40.0.0/16", availabilityZones: 3, subnetLayout: "byZoneCount" } });
    const ranges = ofType(p, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private")).map((s) => s.inputs.cidrBlock);
    assert.deepEqual(ranges, ["10.40.0.0/18", "10.40.64.0/18", "10.40.128.0/18"]);
  });

  it("refuses more zones than the region has for EKS, naming the setting", async () => {
    await assert.rejects(plan("dev", { "gpu-platform:network": { vpcCidr: "10.40.0.0/16", availabilityZones: 5 } }),
      /gpu-platform:network\.availabilityZones = 5: eu-central-1 has 4 Availability Zones that can hold EKS subnets/);
  });

  it("adds no managed GPU node group to a pool that scales to zero", async () => {
    const groups = ofType(await plan("dev"), nodeGroup);
    assert.deepEqual(groups.map((g) => g.name), ["gpu-dev-system"]);
  });

  it("keeps baseline GPU nodes in a tainted, fixed-size NVIDIA node group", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": devPools({ baselineNodes: 1 }) });
    const gpu = one(p, nodeGroup, "-gpu-l4");
    assert.equal(gpu.inputs.amiType, "AL2023_x86_64_NVIDIA");
    assert.equal(gpu.inputs.capacityType, "ON_DEMAND");
    assert.deepEqual(gpu.inputs.instanceTypes, ["g6.xlarge"]);
    assert.deepEqual(gpu.inputs.taints, [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(gpu.inputs.scalingConfig, { minSize: 1, maxSize: 1, desiredSize: 1 });
    assert.deepEqual(gpu.ignoreChanges, ["scalingConfig.desiredSize"]);
    assert.equal((gpu.inputs.labels as Record<string, string>)["gpu-platform.io/pool"], "l4");
  });

  it("puts Bottlerocket GPU nodes' images on the data volume", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": devPools({ baselineNodes: 1, sharing: { mode: "none" } }), "gpu-platform:eks": { gpuNodeImage: "bottlerocket" } });
    assert.equal(one(p, nodeGroup, "-gpu-l4").inputs.amiType, "BOTTLEROCKET_x86_64_NVIDIA");
    const [volume] = one(p, launchTemplate, "-gpu-l4").inputs.blockDeviceMappings as { deviceName: string }[];
    assert.equal(volume.deviceName, "/dev/xvdb");
  });

  it("protects the cluster and its key in prod and turns on EKS deletion protection", async () => {
    const p = await plan("dev", { "gpu-platform:environment": "prod" });
    const cluster = one(p, eksCluster);
    assert.equal(cluster.protect, true);
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(one(p, "aws:kms/key:Key").protect, true);
    assert.equal(ofType(p, "aws:ec2/natGateway:NatGateway").length, 3);
  });

  it("leaves dev stacks unprotected so they can be torn down", async () => {
    const cluster = one(await plan("dev"), eksCluster);
    assert.equal(cluster.protect, false);
    assert.equal(cluster.inputs.deletionProtection, false);
  });

  it("gives add-ons Pod Identity instead of node credentials", async () => {
    const p = await plan("dev");
    assert.equal(one(p, "aws:eks/addon:Addon", "-pod-identity").inputs.addonName, "eks-pod-identity-agent");
    assert.equal(one(p, eksCluster).inputs.createOidcProvider, false);
  });

  describe("persistent storage", () => {
    it("installs the EBS CSI driver with its own role, after the system nodes it runs on", async () => {
      const p = await plan("dev");
      const driver = one(p, "aws:eks/addon:Addon", "-storage-csi");
      assert.equal(driver.inputs.addonName, "aws-ebs-csi-driver");
      const identity = one(p, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "-storage-csi");
      assert.deepEqual([identity.inputs.namespace, identity.inputs.serviceAccount], ["kube-system", "ebs-csi-controller-sa"]);
      const policies = ofType(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === identity.inputs.roleArn?.toString().split("/").pop());
      assert.deepEqual(policies.map((a) => a.inputs.policyArn), ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
      for (const dependency of [identity, one(p, "aws:eks/nodeGroup:NodeGroup", "-system")]) {
        assert.ok(driver.dependencies.includes(dependency.urn), `driver must wait for ${dependency.name}`);
      }
    });

    it("makes an encrypted gp3 class the default, bound in the zone the pod lands in", async () => {
      const storageClass = one(await plan("dev"), "kubernetes:storage.k8s.io/v1:StorageClass").inputs as Record<string, any>;
      assert.equal(storageClass.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
      assert.equal(storageClass.provisioner, "ebs.csi.aws.com");
      assert.deepEqual(storageClass.parameters, { type: "gp3", encrypted: "true", tagSpecification_1: "gpu-platform.io/cluster=gpu-dev" });
      assert.equal(storageClass.volumeBindingMode, "WaitForFirstConsumer");
    });
  });

  it("exports the kubeconfig only as a secret", async () => {
    const p = await plan("dev");
    assert.equal(p.outputs.kubeconfig, "[secret]");
    assert.equal(p.outputs.clusterName, "gpu-dev");
  });
});

describe("EKS support window (aws)", () => {
  it("stays in standard support instead of drifting into billed extended support", async () => {
    const cluster = one(await plan("dev"), "eks:index:Cluster").inputs;
    assert.deepEqual(cluster.upgradePolicy, { supportType: "STANDARD" });
  });
});

describe("EKS add-ons (aws)", () => {
  it("pins every managed add-on per Kubernetes minor, and moves them with the minor only", async () => {
    for (const version of ["1.35", "1.36"] as const) {
      const p = await plan("dev", { "gpu-platform:kubernetesVersion": version });
      const pinned = eksAddonVersions[version];
      const cluster = one(p, "eks:index:Cluster").inputs as Record<string, Record<string, unknown>>;
      assert.equal(cluster.vpcCniOptions.addonVersion, pinned["vpc-cni"]);
      assert.equal(cluster.kubeProxyAddonOptions.version, pinned["kube-proxy"]);
      // Not inside pulumi-eks: there it would wait, degraded, for nodes that wait for it.
      assert.equal(cluster.corednsAddonOptions.enabled, false);
      const addons = ofType(p, "aws:eks/addon:Addon");
      assert.deepEqual(Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion])), {
        "eks-pod-identity-agent": pinned["eks-pod-identity-agent"], "aws-ebs-csi-driver": pinned["aws-ebs-csi-driver"], coredns: pinned.coredns,
      });
      const coredns = addons.find((a) => a.inputs.addonName === "coredns")!;
      assert.ok(coredns.dependencies.includes(one(p, nodeGroup, "-system").urn), "CoreDNS waits for nodes to run on");
      assert.equal(coredns.inputs.resolveConflictsOnCreate, "OVERWRITE", "it adopts the copy EKS bootstrapped");
      assert.equal(coredns.inputs.preserve, true, "deleting the add-on leaves DNS running");
      const karpenter = p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "karpenter")!;
      assert.ok(prerequisites(p)(karpenter).has(coredns.urn), "on destroy Karpenter is gone before DNS, which it drains nodes with");
    }
  });

  it("has every add-on's version for every accepted minor, each of that minor", () => {
    for (const version of kubernetesVersions) {
      for (const addon of eksAddons) assert.match(eksAddonVersions[version][addon], /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${version} ${addon}`);
      assert.ok(eksAddonVersions[version]["kube-proxy"].startsWith(`v${version}.`), "kube-proxy follows the control plane's minor");
    }
  });
});
