import { strict as assert } from "assert";
import { ofType, plan } from "../helpers/plan";
import { messages, violations } from "../helpers/policy";
import { configError, devWith } from "../helpers/settings";

type Obj = Record<string, any>;
const testPool = { name: "conformance", gpu: "L4", instanceTypes: ["g6.xlarge"], maxGpus: 2, baselineNodes: 1, conformanceTest: true };
const withTestPool = (stack: string, pool: Obj) => plan(stack, { "gpu-platform:gpuPools": [...(stack === "dev" ? [{ name: "l4", gpu: "L4", instanceTypes: ["g6.2xlarge"], maxGpus: 8, sharing: { mode: "time-slicing", replicas: 2 } }] : []), pool] });

describe("gpuPools[].conformanceTest: the AI Conformance suite's autoscaling pool", () => {
  it("starts untainted, always-on nodes with a stable label, and no other pool changes (EKS)", async () => {
    const p = await withTestPool("dev", testPool);
    const group = ofType(p, "aws:eks/nodeGroup:NodeGroup").find((g) => g.name.endsWith("gpu-conformance"))!;
    assert.deepEqual(group.inputs.taints, []);
    assert.equal((group.inputs.labels as Obj)["gpu-platform.io/conformance-test"], "true");
    for (const pool of ofType(p, "kubernetes:karpenter.sh/v1:NodePool")) {
      const spec = pool.inputs.spec as Obj;
      const isTest = spec.template.metadata.labels["gpu-platform.io/pool"] === "conformance";
      assert.equal(spec.template.spec.taints.length, isTest ? 0 : 1, String((pool.inputs.metadata as Obj).name));
    }
  });

  it("passes the pack's taint and scale-to-zero rules, which still hold every other pool", async () => {
    const p = await withTestPool("dev", testPool);
    assert.equal(messages(await violations("gpu-nodes-tainted", p)), "");
    assert.equal(messages(await violations("gpu-capacity-scales-to-zero-outside-prod", p)), "");
    const notMarked = await withTestPool("dev", { ...testPool, conformanceTest: false, name: "always-on" });
    assert.match(messages(await violations("gpu-capacity-scales-to-zero-outside-prod", notMarked)), /keeps 1 GPUs running while idle/);
  });

  it("is untainted on GKE and AKS too", async () => {
    const gke = await plan("gke-eu", { "gpu-platform:gpuPools": [{ name: "conformance", gpu: "L4", instanceTypes: ["g2-standard-8"], maxGpus: 2, baselineNodes: 1, capacityTypes: ["on-demand"], conformanceTest: true }], "gpu-platform:teams": [] });
    assert.deepEqual((ofType(gke, "gcp:container/nodePool:NodePool").find((n) => n.name.endsWith("gpu-conformance"))!.inputs.nodeConfig as Obj).taints, []);
    const aks = await plan("aks-eu", { "gpu-platform:gpuPools": [{ name: "conformance", gpu: "T4", instanceTypes: ["Standard_NC4as_T4_v3"], maxGpus: 2, baselineNodes: 1, capacityTypes: ["on-demand"], conformanceTest: true }], "gpu-platform:teams": [] });
    const pools = ofType(aks, "azure-native:containerservice:AgentPool").filter((a) => a.name.includes("conformance"));
    for (const pool of pools) assert.deepEqual(pool.inputs.nodeTaints, []);
  });

  it("is refused unless it fits the suite: one single-GPU type, a floor and room above it, no team quota", () => {
    assert.match(configError(devWith({ gpuPools: [{ ...testPool, instanceTypes: ["g6.12xlarge"], maxGpus: 8 }], teams: [] })), /list exactly one single-GPU machine type/);
    assert.match(configError(devWith({ gpuPools: [{ ...testPool, maxGpus: 1 }], teams: [] })), /baselineNodes ≥ 1 and maxGpus ≥ baselineNodes \+ 1/);
    assert.match(configError(devWith({ gpuPools: [testPool], teams: [{ name: "a", gpus: { conformance: 1 }, cpu: "1", memory: "1Gi" }] })), /must hold nothing but the suite's pods/);
  });
});
