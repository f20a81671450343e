import { strict as assert } from "assert";
import { one, ofType, plan } from "../helpers/plan";
import { configError, devWith } from "../helpers/settings";

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
