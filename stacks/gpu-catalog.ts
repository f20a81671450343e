/**
 * GPU models and the machine types that carry them, per cloud.
 *
 * A pool names a GPU model; the platform turns it into instance types here unless the pool lists
 * its own. `gpus` is the number of GPUs one machine of that type exposes as `nvidia.com/gpu`,
 * which is what bounds, quotas and costs are counted in. Where a model is offered (which regions)
 * is in `gpu-regions.ts`.
 *
 * Sources, transcribed 2026-11-22:
 * - AWS: https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html (accelerated computing,
 *   "GPUs" column) and the family pages for G4dn, G5, G6, G6e, P4d/P4de, P5/P5e/P5en.
 * - Google Cloud: https://cloud.google.com/compute/docs/accelerator-optimized-machines (G2 table:
 *   GPUs per g2-standard type; A2/A3 types carry the count in their name, `-1g` … `-16g`) and
 *   https://cloud.google.com/compute/docs/gpus (accelerator type per series, T4 on N1). Accelerator
 *   names cross-checked against the Compute Engine API names used by dstackai/gpuhunt
 *   (src/gpuhunt/providers/gcp.py). L40S is not offered on Compute Engine (no L40S accelerator type).
 * - Azure: https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ (NCasT4_v3,
 *   NVadsA10 v5, NC A100 v4, ND A100 v4, NDm A100 v4, NC H100 v5, ND H100 v5, ND H200 v5 series);
 *   GPU counts as the resource-SKU "GPUs" capability reports them (transcribed in
 *   microsoft/aspire src/Aspire.Hosting.Azure.Kubernetes/AksNodeVmSizes.cs). Azure has no L4 or
 *   L40S size (none in the Azure retail price list, 2026-06-18 snapshot).
 */
import type { RegionCloud } from "./jurisdictions";

export const gpuModels = ["T4", "L4", "A10G", "L40S", "A100", "A100-80GB", "H100", "H200"] as const;
export type GpuModel = (typeof gpuModels)[number];

export interface GpuMachineType {
  readonly name: string;
  readonly gpus: number;
  /**
   * GCP only: the accelerator type name (`guestAccelerators[].acceleratorType`, e.g. `nvidia-l4`).
   * Accelerator-optimized types (A2, A3, G2) come with it attached; N1 types get it attached.
   */
  readonly accelerator?: string;
  /**
   * AWS only: vCPUs, which Karpenter counts alike for a node it launches and one it runs (a GPU
   * limit it does not: see components/karpenter/gpu-node-pool.ts).
   */
  readonly vcpus?: number;
}

/**
 * vCPUs of an EC2 size in the GPU families catalogued here: 4 per "xlarge" (g4dn, g5, g6, g6e,
 * p4d, p4de, p5, p5e, p5en: EC2 "Accelerated computing instance specifications"), and g4dn.metal 96.
 */
export function awsVcpus(instanceType: string): number {
  const size = instanceType.split(".")[1] ?? "";
  if (size === "metal") return 96;
  const multiple = /^(\d*)xlarge$/.exec(size);
  if (!multiple) throw new Error(`no vCPU count for ${instanceType}`);
  return 4 * Number(multiple[1] || 1);
}

const awsMachine = (name: string, gpus: number): GpuMachineType => ({ name, gpus, vcpus: awsVcpus(name) });

export interface GpuModelFacts {
  readonly memoryGiB: number;
  /**
   * MIG instance profiles the model supports, with how many instances of each one GPU holds;
   * none for models without MIG. From NVIDIA's MIG User Guide, "Supported MIG Profiles"
   * (A100 40GB/80GB, H100 80GB, H200), 2026-11-22.
   */
  readonly migProfiles?: Readonly<Record<string, number>>;
  /** Machine types per cloud, smallest first; a cloud that lacks the model has none. */
  readonly machines: Partial<Record<RegionCloud, readonly GpuMachineType[]>>;
}

/** One GPU per machine for the listed sizes, `multi` GPUs for the rest: the usual AWS layout. */
function awsFamily(family: string, single: string[], multi: Record<string, number>): GpuMachineType[] {
  return [
    ...single.map((size) => awsMachine(`${family}.${size}`, 1)),
    ...Object.entries(multi).map(([size, gpus]) => awsMachine(`${family}.${size}`, gpus)),
  ];
}

/** GCP machine types that all carry the same accelerator, with the GPUs each one gets. */
function gcpMachines(accelerator: string, machines: Record<string, number>): GpuMachineType[] {
  return Object.entries(machines).map(([name, gpus]) => ({ name, gpus, accelerator }));
}

/** Azure VM sizes (names as the API spells them) with the GPUs each one exposes. */
function azureSizes(sizes: Record<string, number>): GpuMachineType[] {
  return Object.entries(sizes).map(([name, gpus]) => ({ name, gpus }));
}

const singleGpuSizes = ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"];
const multiGpuSizes = { "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 };

export const gpuCatalog: Record<GpuModel, GpuModelFacts> = {
  T4: {
    memoryGiB: 16,
    machines: {
      aws: awsFamily("g4dn", singleGpuSizes, { "12xlarge": 4, metal: 8 }),
      // T4 is attached to N1 machines, so the GPU count is our choice, not the type's: one T4
      // each on these three sizes (N1 takes up to 4 T4s; larger pairings are not catalogued).
      gcp: gcpMachines("nvidia-tesla-t4", { "n1-standard-4": 1, "n1-standard-8": 1, "n1-standard-16": 1 }),
      azure: azureSizes({
        Standard_NC4as_T4_v3: 1, Standard_NC8as_T4_v3: 1, Standard_NC16as_T4_v3: 1, Standard_NC64as_T4_v3: 4,
      }),
    },
  },
  L4: {
    memoryGiB: 24,
    machines: {
      aws: awsFamily("g6", singleGpuSizes, multiGpuSizes),
      gcp: gcpMachines("nvidia-l4", {
        "g2-standard-4": 1, "g2-standard-8": 1, "g2-standard-12": 1, "g2-standard-16": 1, "g2-standard-32": 1,
        "g2-standard-24": 2, "g2-standard-48": 4, "g2-standard-96": 8,
      }),
    },
  },
  A10G: {
    memoryGiB: 24,
    machines: {
      aws: awsFamily("g5", singleGpuSizes, multiGpuSizes),
      // Not on Azure: its A10 sizes (NVadsA10 v5) are vGPU machines that need NVIDIA's licensed GRID
      // driver (AKS docs, "GPU health monitoring"), which the GPU Operator's driver is not, and the
      // platform leaves the driver to the operator on AKS.
    },
  },
  L40S: {
    memoryGiB: 48,
    machines: { aws: awsFamily("g6e", singleGpuSizes, multiGpuSizes) },
  },
  A100: {
    memoryGiB: 40,
    migProfiles: { "1g.5gb": 7, "1g.10gb": 4, "2g.10gb": 3, "3g.20gb": 2, "4g.20gb": 1, "7g.40gb": 1 },
    machines: {
      aws: [awsMachine("p4d.24xlarge", 8)],
      gcp: gcpMachines("nvidia-tesla-a100", {
        "a2-highgpu-1g": 1, "a2-highgpu-2g": 2, "a2-highgpu-4g": 4, "a2-highgpu-8g": 8, "a2-megagpu-16g": 16,
      }),
      azure: azureSizes({ Standard_ND96asr_v4: 8 }),
    },
  },
  "A100-80GB": {
    memoryGiB: 80,
    migProfiles: { "1g.10gb": 7, "1g.20gb": 4, "2g.20gb": 3, "3g.40gb": 2, "4g.40gb": 1, "7g.80gb": 1 },
    machines: {
      aws: [awsMachine("p4de.24xlarge", 8)],
      gcp: gcpMachines("nvidia-a100-80gb", {
        "a2-ultragpu-1g": 1, "a2-ultragpu-2g": 2, "a2-ultragpu-4g": 4, "a2-ultragpu-8g": 8,
      }),
      azure: azureSizes({
        Standard_NC24ads_A100_v4: 1, Standard_NC48ads_A100_v4: 2, Standard_NC96ads_A100_v4: 4,
        Standard_ND96amsr_A100_v4: 8,
      }),
    },
  },
  H100: {
    // 80 GB is the floor: Azure's NC H100 v5 carries the H100 NVL with 94 GB.
    memoryGiB: 80,
    migProfiles: { "1g.10gb": 7, "1g.20gb": 4, "2g.20gb": 3, "3g.40gb": 2, "4g.40gb": 1, "7g.80gb": 1 },
    machines: {
      aws: [awsMachine("p5.4xlarge", 1), awsMachine("p5.48xlarge", 8)],
      gcp: [
        ...gcpMachines("nvidia-h100-80gb", {
          "a3-highgpu-1g": 1, "a3-highgpu-2g": 2, "a3-highgpu-4g": 4, "a3-highgpu-8g": 8,
        }),
        // A3 Mega has its own accelerator type for the same H100 80GB.
        ...gcpMachines("nvidia-h100-mega-80gb", { "a3-megagpu-8g": 8 }),
      ],
      azure: azureSizes({ Standard_NC40ads_H100_v5: 1, Standard_NC80adis_H100_v5: 2, Standard_ND96isr_H100_v5: 8 }),
    },
  },
  H200: {
    memoryGiB: 141,
    migProfiles: { "1g.18gb": 7, "1g.35gb": 4, "2g.35gb": 3, "3g.71gb": 2, "4g.71gb": 1, "7g.141gb": 1 },
    machines: {
      aws: [awsMachine("p5e.48xlarge", 8), awsMachine("p5en.48xlarge", 8)],
      gcp: gcpMachines("nvidia-h200-141gb", { "a3-ultragpu-8g": 8 }),
      azure: azureSizes({ Standard_ND96isr_H200_v5: 8 }),
    },
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
