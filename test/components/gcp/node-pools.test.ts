import { strict as assert } from "assert";
import * as path from "path";
import { bootDiskType, gpuAccelerator, gpuNodeBounds, partitionSize, zonesForFloor } from "../../../components/gcp/node-pools";
import { readStackFile } from "../../../plan/stack-files";
import { GpuPool, parseStackConfig } from "../../../stacks/load";

const root = path.resolve(__dirname, "../../..");

/** The gke-eu stack's settings with these GPU pools and no teams, resolved as the program would. */
function pools(gpuPools: unknown[]): readonly GpuPool[] {
  const { config } = readStackFile(root, "gke-eu");
  delete config["gpu-platform:teams"];
  return parseStackConfig("gke-eu", { ...config, "gpu-platform:gpuPools": JSON.stringify(gpuPools) }).gpuPools;
}
const pool = (settings: Record<string, unknown>) => pools([{ name: "p", maxGpus: 16, ...settings }])[0];

describe("GKE node pool settings", () => {
  it("turns a MIG profile into GKE's partition size, and all-disabled into none", () => {
    assert.equal(partitionSize("all-1g.10gb"), "1g.10gb");
    assert.equal(partitionSize("all-3g.40gb"), "3g.40gb");
    assert.equal(partitionSize("all-disabled"), undefined);
  });

  it("attaches every GPU of the machine type, of the catalog's accelerator type", () => {
    assert.deepEqual(gpuAccelerator(pool({ gpu: "H100", instanceTypes: ["a3-highgpu-8g"] }), "DEFAULT"), {
      type: "nvidia-h100-80gb", count: 8, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" },
    });
    assert.equal(gpuAccelerator(pool({ gpu: "H100", instanceTypes: ["a3-megagpu-8g"] }), "LATEST").type, "nvidia-h100-mega-80gb");
    assert.equal(gpuAccelerator(pool({ gpu: "T4" }), "DEFAULT").type, "nvidia-tesla-t4");
  });

  it("time-shares with the pool's replicas and partitions MIG pools, never both", () => {
    const shared = gpuAccelerator(pool({ gpu: "L4", sharing: { mode: "time-slicing", replicas: 8 } }), "DEFAULT");
    assert.deepEqual(shared.gpuSharingConfig, { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: 8 });
    assert.equal(shared.gpuPartitionSize, undefined);
    const mig = gpuAccelerator(pool({ gpu: "A100-80GB", sharing: { mode: "mig", profile: "all-2g.20gb" } }), "DEFAULT");
    assert.equal(mig.gpuPartitionSize, "2g.20gb");
    assert.equal(mig.gpuSharingConfig, undefined);
  });

  it("bounds a pool from its baseline to the machines its GPU ceiling holds, rounding down", () => {
    assert.deepEqual(gpuNodeBounds(pool({ gpu: "A100", instanceTypes: ["a2-highgpu-4g"], maxGpus: 14, baselineNodes: 1, capacityTypes: ["on-demand"] })), { min: 1, max: 3 });
    assert.deepEqual(gpuNodeBounds(pool({ gpu: "L4", maxGpus: 5 })), { min: 0, max: 5 });
  });

  it("boots A3 Ultra from Hyperdisk, which is all it takes, and the rest from pd-balanced", () => {
    assert.equal(bootDiskType("a3-ultragpu-8g"), "hyperdisk-balanced");
    assert.equal(bootDiskType("a3-highgpu-8g"), "pd-balanced");
    assert.equal(bootDiskType("g2-standard-8"), "pd-balanced");
  });

  it("knows the accelerator of every GPU machine type the catalog offers on gcp", () => {
    // Guards the catalog: a pool of a type without an accelerator could not be built.
    for (const gpu of ["T4", "L4", "A100", "A100-80GB", "H100", "H200"]) {
      for (const machine of pool({ gpu }).machines) assert.ok(machine.accelerator, `${gpu} ${machine.name}`);
    }
  });
});

describe("zones for always-on GPU nodes", () => {
  const zones = ["europe-west4-a", "europe-west4-b", "europe-west4-c"];
  it("starts exactly the floor: as many zones as divide it evenly", () => {
    for (const floor of [0, 1, 2, 3, 4, 5, 6]) {
      const chosen = zonesForFloor(zones, floor);
      const started = floor === 0 ? 0 : (floor / chosen.length) * chosen.length;
      assert.equal(started, floor, `floor ${floor}`);
      assert.ok(Number.isInteger(floor / chosen.length) || floor === 0, `floor ${floor} over ${chosen.length} zones`);
    }
    assert.equal(zonesForFloor(zones, 0).length, 3, "a pool without a floor may use every zone");
  });
});
