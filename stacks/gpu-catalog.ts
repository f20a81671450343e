/**
 * GPU models and the machine types that carry them, per cloud.
 *
 * A pool names a GPU model; the platform turns it into instance types here unless the pool lists
 * its own. `gpus` is the number of GPUs one machine of that type exposes as `nvidia.com/gpu`,
 * which is what bounds, quotas and costs are counted in.
 *
 * Sources, transcribed 2026-11-22:
 * - AWS: https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html (accelerated computing,
 *   "GPUs" column) and the family pages for G4dn, G5, G6, G6e, P4d/P4de, P5/P5e/P5en.
 */
import type { RegionCloud } from "./jurisdictions";

export const gpuModels = ["T4", "L4", "A10G", "L40S", "A100", "A100-80GB", "H100", "H200"] as const;
export type GpuModel = (typeof gpuModels)[number];

export interface GpuMachineType {
  readonly name: string;
  readonly gpus: number;
}

export interface GpuModelFacts {
  readonly memoryGiB: number;
  /** Machine types per cloud, smallest first; a cloud that lacks the model has none. */
  readonly machines: Partial<Record<RegionCloud, readonly GpuMachineType[]>>;
}

/** One GPU per machine for the listed sizes, `multi` GPUs for the rest: the usual AWS layout. */
function awsFamily(family: string, single: string[], multi: Record<string, number>): GpuMachineType[] {
  return [
    ...single.map((size) => ({ name: `${family}.${size}`, gpus: 1 })),
    ...Object.entries(multi).map(([size, gpus]) => ({ name: `${family}.${size}`, gpus })),
  ];
}

const singleGpuSizes = ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"];
const multiGpuSizes = { "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 };

export const gpuCatalog: Record<GpuModel, GpuModelFacts> = {
  T4: {
    memoryGiB: 16,
    machines: { aws: awsFamily("g4dn", singleGpuSizes, { "12xlarge": 4, metal: 8 }) },
  },
  L4: {
    memoryGiB: 24,
    machines: { aws: awsFamily("g6", singleGpuSizes, multiGpuSizes) },
  },
  A10G: {
    memoryGiB: 24,
    machines: { aws: awsFamily("g5", singleGpuSizes, multiGpuSizes) },
  },
  L40S: {
    memoryGiB: 48,
    machines: { aws: awsFamily("g6e", singleGpuSizes, multiGpuSizes) },
  },
  A100: {
    memoryGiB: 40,
    machines: { aws: [{ name: "p4d.24xlarge", gpus: 8 }] },
  },
  "A100-80GB": {
    memoryGiB: 80,
    machines: { aws: [{ name: "p4de.24xlarge", gpus: 8 }] },
  },
  H100: {
    memoryGiB: 80,
    machines: { aws: [{ name: "p5.4xlarge", gpus: 1 }, { name: "p5.48xlarge", gpus: 8 }] },
  },
  H200: {
    memoryGiB: 141,
    machines: { aws: [{ name: "p5e.48xlarge", gpus: 8 }, { name: "p5en.48xlarge", gpus: 8 }] },
  },
};

/** Machine types of a model on a cloud; empty when the cloud does not offer it. */
export function machinesFor(model: GpuModel, cloud: RegionCloud): readonly GpuMachineType[] {
  return gpuCatalog[model].machines[cloud] ?? [];
}

/** Every machine type the catalog knows on a cloud, with its model, for override lookups. */
export function findMachine(
  cloud: RegionCloud,
  name: string,
): { model: GpuModel; machine: GpuMachineType } | undefined {
  for (const model of gpuModels) {
    const machine = machinesFor(model, cloud).find((m) => m.name === name);
    if (machine) return { model, machine };
  }
  return undefined;
}
