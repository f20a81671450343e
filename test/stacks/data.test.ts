import { strict as assert } from "assert";
import { gpuCatalog, gpuModels, machinesFor } from "../../stacks/gpu-catalog";
import { clouds, jurisdictionIds, jurisdictionOf, regionsIn } from "../../stacks/jurisdictions";
import { defaultKubernetesVersion, kubernetesVersions } from "../../stacks/kubernetes-versions";

describe("data tables", () => {
  describe("jurisdictions", () => {
    it("lists regions for every jurisdiction on every cloud", () => {
      for (const jurisdiction of jurisdictionIds) {
        for (const cloud of clouds) assert.ok(regionsIn(jurisdiction, cloud).length > 0, `${jurisdiction} on ${cloud}`);
      }
    });

    it("puts each region in exactly one sovereign zone, so a region can never satisfy two laws at once", () => {
      for (const cloud of clouds) {
        const sovereign = jurisdictionIds.filter((j) => j !== "global").flatMap((j) => regionsIn(j, cloud));
        assert.equal(new Set(sovereign).size, sovereign.length, `${cloud} has a region in two zones`);
      }
    });

    it("keeps London and Zurich out of the EU zone", () => {
      assert.equal(jurisdictionOf("aws", "eu-west-2"), "uk");
      assert.equal(jurisdictionOf("aws", "eu-central-2"), "ch");
      assert.ok(!regionsIn("eu", "aws").includes("eu-west-2"));
    });

    it("lets a global stack use every region any zone lists", () => {
      for (const cloud of clouds) {
        const global = new Set(regionsIn("global", cloud));
        for (const j of jurisdictionIds) for (const region of regionsIn(j, cloud)) assert.ok(global.has(region));
      }
    });
  });

  describe("GPU catalog", () => {
    it("offers every model the schema accepts on AWS", () => {
      for (const model of gpuModels) assert.ok(machinesFor(model, "aws").length > 0, model);
    });

    it("gives every machine type a positive GPU count and lists each type once", () => {
      const names = gpuModels.flatMap((model) => machinesFor(model, "aws").map((m) => m.name));
      assert.equal(new Set(names).size, names.length);
      for (const model of gpuModels) for (const m of machinesFor(model, "aws")) assert.ok(Number.isInteger(m.gpus) && m.gpus > 0, m.name);
    });

    it("records the L4 family as one GPU up to 16xlarge, four at 12 and 24xlarge, eight at 48xlarge", () => {
      const g6 = Object.fromEntries(machinesFor("L4", "aws").map((m) => [m.name, m.gpus]));
      assert.deepEqual([g6["g6.xlarge"], g6["g6.16xlarge"], g6["g6.12xlarge"], g6["g6.24xlarge"], g6["g6.48xlarge"]], [1, 1, 4, 4, 8]);
      assert.equal(gpuCatalog.L4.memoryGiB, 24);
    });
  });

  it("defaults to a Kubernetes version it supports", () => {
    assert.ok((kubernetesVersions as readonly string[]).includes(defaultKubernetesVersion));
  });
});
