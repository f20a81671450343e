import { strict as assert } from "assert";
import { one, ofType, plan } from "../helpers/plan";
import { configError, devWith, stackWith } from "../helpers/settings";

type Obj = Record<string, any>;
const on = { "gpu-platform:coldStart": { fastImagePull: true } };

describe("coldStart.fastImagePull: a faster first image pull on every cloud", () => {
  it("EKS: nodeadm's FastImagePull (SOCI parallel pull) on Karpenter and managed GPU nodes, with 1000 MiB/s gp3 volumes", async () => {
    const p = await plan("eu-prod", on);
    const nodeClass = one(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").inputs.spec as Obj;
    assert.match(nodeClass.userData, /Content-Type: application\/node\.eks\.aws\n\napiVersion: node\.eks\.aws\/v1alpha1\nkind: NodeConfig\nspec:\n  featureGates:\n    FastImagePull: true/);
    assert.deepEqual([nodeClass.blockDeviceMappings[0].ebs.throughput, nodeClass.blockDeviceMappings[0].ebs.iops], [1000, 16000]);
    const template = one(p, "aws:ec2/launchTemplate:LaunchTemplate", "gpu-l4").inputs as Obj;
    assert.match(Buffer.from(template.userData, "base64").toString(), /FastImagePull: true/);
    assert.equal(template.blockDeviceMappings[0].ebs.throughput, 1000);
    const system = one(p, "aws:ec2/launchTemplate:LaunchTemplate", "-system").inputs as Obj;
    assert.equal(system.userData, undefined, "system nodes keep the default");
    const off = one(await plan("eu-prod"), "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").inputs.spec as Obj;
    assert.equal(off.userData, undefined);
  });

  it("GKE: Image Streaming on GPU node pools only", async () => {
    const p = await plan("gke-eu", on);
    for (const pool of ofType(p, "gcp:container/nodePool:NodePool")) {
      const streaming = (pool.inputs.nodeConfig as Obj).gcfsConfig;
      if (pool.name.endsWith("-system")) assert.equal(streaming, undefined);
      else assert.deepEqual(streaming, { enabled: true }, pool.name);
    }
  });

  it("AKS: Artifact Streaming on the NAP node class", async () => {
    const p = await plan("aks-eu", on);
    assert.deepEqual((one(p, "kubernetes:karpenter.azure.com/v1alpha2:AKSNodeClass").inputs.spec as Obj).artifactStreaming, { enabled: true });
  });

  it("is refused where there is no node image of the platform's to configure", () => {
    assert.match(configError(devWith({ coldStart: { fastImagePull: true }, eks: { gpuNodeImage: "bottlerocket" }, gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8 }], teams: [] })), /coldStart\.fastImagePull = true: is nodeadm's FastImagePull, an AL2023 feature/);
  });
});

describe("coldStart.imageDisk: the serving images already on the disk of every new GPU node", () => {
  const snapshot = "snap-0123456789abcdef0";
  const bottlerocket = {
    "gpu-platform:eks": { gpuNodeImage: "bottlerocket" },
    "gpu-platform:coldStart": { imageDisk: snapshot },
    "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }, { name: "l40s", gpu: "L40S", maxGpus: 8 }],
    "gpu-platform:teams": [],
  };

  it("EKS: Bottlerocket's data volume starts from the snapshot, on Karpenter and managed GPU nodes alike", async () => {
    const p = await plan("dev", bottlerocket);
    const volumes = (one(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").inputs.spec as Obj).blockDeviceMappings as Obj[];
    assert.deepEqual(volumes.map((v) => [v.deviceName, v.ebs.snapshotID]), [["/dev/xvda", undefined], ["/dev/xvdb", snapshot]]);
    const template = one(p, "aws:ec2/launchTemplate:LaunchTemplate", "gpu-l4").inputs as Obj;
    assert.deepEqual(template.blockDeviceMappings.map((v: Obj) => [v.deviceName, v.ebs.snapshotId]), [["/dev/xvdb", snapshot]]);
    const system = one(p, "aws:ec2/launchTemplate:LaunchTemplate", "-system").inputs as Obj;
    assert.equal(system.blockDeviceMappings[0].ebs.snapshotId, undefined, "system nodes pull their own images");
  });

  it("EKS: the GPU volume is at least the snapshot's size, whatever eks.gpuNodeVolumeGiB says", async () => {
    const volumes = async (gpuNodeVolumeGiB: number) => {
      const p = await plan("dev", { ...bottlerocket, "gpu-platform:eks": { gpuNodeImage: "bottlerocket", gpuNodeVolumeGiB } });
      const nodeClass = (one(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").inputs.spec as Obj).blockDeviceMappings[1].ebs.volumeSize;
      const template = (one(p, "aws:ec2/launchTemplate:LaunchTemplate", "gpu-l4").inputs as Obj).blockDeviceMappings[0].ebs.volumeSize;
      return [nodeClass, template];
    };
    // The plan's imagined snapshot holds 120 GiB.
    assert.deepEqual(await volumes(100), ["120Gi", 120]);
    assert.deepEqual(await volumes(300), ["300Gi", 300]);
  });

  it("GKE: a secondary boot disk in CONTAINER_IMAGE_CACHE mode, with the Image Streaming it needs, on GPU pools only", async () => {
    const image = "projects/ml-images/global/images/serving-v0-24";
    const p = await plan("gke-eu", { "gpu-platform:coldStart": { imageDisk: image } });
    for (const pool of ofType(p, "gcp:container/nodePool:NodePool")) {
      const node = pool.inputs.nodeConfig as Obj;
      if (pool.name.endsWith("-system")) {
        assert.deepEqual([node.secondaryBootDisks, node.gcfsConfig], [undefined, undefined]);
      } else {
        assert.deepEqual(node.secondaryBootDisks, [{ diskImage: image, mode: "CONTAINER_IMAGE_CACHE" }], pool.name);
        assert.deepEqual(node.gcfsConfig, { enabled: true }, pool.name);
      }
    }
  });

  it("is refused, naming what to do instead, where no disk can be attached or the value is not one", () => {
    const eks = (disk: string, image = "bottlerocket") => configError(devWith({ coldStart: { imageDisk: disk }, eks: { gpuNodeImage: image }, gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8 }], teams: [] }));
    assert.match(eks(snapshot, "al2023"), /coldStart\.imageDisk = "snap-0123456789abcdef0": is a snapshot of Bottlerocket's data volume .* Set eks\.gpuNodeImage to bottlerocket/);
    assert.match(eks("snap-12"), /must be an EBS snapshot ID/);
    assert.match(eks("ami-0123456789abcdef0"), /must be an EBS snapshot ID/);
    assert.match(configError(stackWith("gke-eu", { coldStart: { imageDisk: "serving-v0-24" } })), /coldStart\.imageDisk = "serving-v0-24": must be a Compute Engine image, projects\/<project>\/global\/images\/<name>/);
    assert.match(configError(stackWith("aks-eu", { coldStart: { imageDisk: "anything" } })), /coldStart\.imageDisk = "anything": has no AKS counterpart .* use coldStart\.fastImagePull/);
    assert.match(configError(stackWith("onprem", { coldStart: { imageDisk: snapshot } })), /coldStart\.imageDisk .*an existing cluster's nodes are its own/);
  });
});
