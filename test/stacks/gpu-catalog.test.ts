import { strict as assert } from "assert";
import { findMachine, gpuModels, machinesFor } from "../../stacks/gpu-catalog";
import { gpuRegions, offersGpu } from "../../stacks/gpu-regions";
import { clouds, jurisdictionOf, regionsIn } from "../../stacks/jurisdictions";

describe("GPU catalog across clouds", () => {
  it("gives every machine on every cloud a positive whole number of GPUs", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        for (const m of machinesFor(model, cloud)) assert.ok(Number.isInteger(m.gpus) && m.gpus > 0, `${cloud} ${m.name}`);
      }
    }
  });

  it("names the accelerator of every GCP machine, and only of GCP machines", () => {
    for (const model of gpuModels) {
      for (const m of machinesFor(model, "gcp")) assert.match(m.accelerator ?? "", /^nvidia-/, m.name);
      for (const cloud of ["aws", "azure"] as const) {
        for (const m of machinesFor(model, cloud)) assert.equal(m.accelerator, undefined, `${cloud} ${m.name}`);
      }
    }
  });

  it("lists each machine name once per cloud, so an override names exactly one model", () => {
    for (const cloud of clouds) {
      const names = gpuModels.flatMap((model) => machinesFor(model, cloud).map((m) => m.name));
      assert.equal(new Set(names).size, names.length, cloud);
    }
  });

  it("lists machines smallest first, as pools take the first one as their smallest", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const gpus = machinesFor(model, cloud).map((m) => m.gpus);
        assert.deepEqual(gpus, [...gpus].sort((a, b) => a - b), `${cloud} ${model}`);
      }
    }
  });

  it("finds machines on GCP and Azure by name, with their model and GPU count", () => {
    assert.deepEqual(findMachine("gcp", "g2-standard-24"), {
      model: "L4", machine: { name: "g2-standard-24", gpus: 2, accelerator: "nvidia-l4" },
    });
    assert.equal(findMachine("gcp", "a3-megagpu-8g")?.model, "H100");
    assert.equal(findMachine("gcp", "a2-ultragpu-1g")?.model, "A100-80GB");
    assert.deepEqual(findMachine("azure", "Standard_NC24ads_A100_v4"), {
      model: "A100-80GB", machine: { name: "Standard_NC24ads_A100_v4", gpus: 1 },
    });
    assert.equal(findMachine("azure", "Standard_ND96asr_v4")?.model, "A100");
    assert.equal(findMachine("azure", "Standard_NC80adis_H100_v5")?.machine.gpus, 2);
    assert.equal(findMachine("azure", "Standard_NV36ads_A10_v5"), undefined, "A10 vGPU sizes need a GRID driver the platform does not install");
    assert.equal(findMachine("azure", "g2-standard-24"), undefined, "a GCP type is not an Azure type");
    assert.equal(findMachine("aws", "p5.48xlarge")?.model, "H100", "AWS lookups keep working");
  });

  it("leaves out partial-GPU Azure sizes, whose one 'GPU' is a fraction of an A10", () => {
    for (const size of ["Standard_NV6ads_A10_v5", "Standard_NV12ads_A10_v5", "Standard_NV18ads_A10_v5"]) {
      assert.equal(findMachine("azure", size), undefined, size);
    }
  });

  it("offers no L40S on GCP or Azure and no L4 on Azure", () => {
    assert.deepEqual(machinesFor("L40S", "gcp"), []);
    assert.deepEqual(machinesFor("L40S", "azure"), []);
    assert.deepEqual(machinesFor("L4", "azure"), []);
  });
});

describe("GPU regions", () => {
  it("uses only regions that jurisdictions.ts knows for that cloud", () => {
    for (const cloud of clouds) {
      const known = new Set(regionsIn("global", cloud));
      for (const model of gpuModels) {
        for (const region of gpuRegions(cloud, model)) assert.ok(known.has(region), `${cloud} ${model}: ${region}`);
      }
    }
  });

  it("lists each region once per model", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        const regions = gpuRegions(cloud, model);
        assert.equal(new Set(regions).size, regions.length, `${cloud} ${model}`);
      }
    }
  });

  it("has regions for a model on a cloud exactly when the catalog has machines for it", () => {
    for (const cloud of clouds) {
      for (const model of gpuModels) {
        assert.equal(gpuRegions(cloud, model).length > 0, machinesFor(model, cloud).length > 0, `${cloud} ${model}`);
      }
    }
  });

  it("offers L4, A100 and H100 in at least one EU and one US region on every cloud that has them", () => {
    for (const cloud of clouds) {
      for (const model of ["L4", "A100", "H100"] as const) {
        const regions = gpuRegions(cloud, model);
        if (regions.length === 0) continue;
        assert.ok(regions.some((r) => jurisdictionOf(cloud, r) === "eu"), `${cloud} ${model} has no EU region`);
        assert.ok(regions.some((r) => jurisdictionOf(cloud, r) === "us"), `${cloud} ${model} has no US region`);
      }
    }
  });

  it("offers what the project's stacks use", () => {
    assert.ok(offersGpu("aws", "eu-central-1", "L4"), "dev stack: L4 in Frankfurt");
    assert.ok(offersGpu("aws", "us-east-1", "L4"));
    assert.ok(offersGpu("aws", "us-east-1", "H100"));
    for (const model of ["L4", "A100", "H100"] as const) assert.ok(offersGpu("gcp", "europe-west4", model), model);
    assert.ok(offersGpu("azure", "westeurope", "A100"));
    assert.ok(offersGpu("azure", "swedencentral", "A100-80GB"));
    assert.ok(offersGpu("azure", "eastus", "A100"));
    assert.ok(offersGpu("azure", "eastus", "H100"));
  });

  it("answers false for a region not listed, a model the cloud lacks, or another cloud's region", () => {
    assert.equal(offersGpu("aws", "eu-central-9", "L4"), false);
    assert.equal(offersGpu("aws", "eu-central-1", "A100-80GB"), false);
    assert.equal(offersGpu("azure", "swedencentral", "A100"), false, "swedencentral has only the 80GB A100 sizes");
    assert.equal(offersGpu("azure", "westeurope", "L4"), false);
    assert.equal(offersGpu("gcp", "eu-central-1", "L4"), false);
    assert.deepEqual(gpuRegions("gcp", "L40S"), []);
  });
});
