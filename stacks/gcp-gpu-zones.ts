/**
 * Zones of a Google Cloud region that offer a GPU, for GPUs attached to general-purpose machines
 * (the T4 on N1), where the machine type exists in more zones than the GPU does. Accelerator-
 * optimized types (G2 for L4, A2 for A100, A3 for H100 and H200) exist only where their GPU does,
 * so their zones come from the machine-type lookup alone.
 *
 * Source: the Compute Engine API's accelerator offerings per zone, as captured in
 * skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (rows with AcceleratorName
 * nvidia-tesla-t4), transcribed 2026-12-03; Google's "GPU regions and zones" page could not be
 * read here. Regions not listed fall back to where the machine type is, with a warning.
 */
import type { GpuModel } from "./gpu-catalog";

export const gcpGpuZonesAsOf = "2026-12-03";

export const gcpAttachedGpuZones: Partial<Record<GpuModel, Readonly<Record<string, readonly string[]>>>> = {
  T4: {
    "europe-west1": ["b", "c", "d"],
    "europe-west2": ["a", "b"],
    "europe-west3": ["b"],
    "europe-west4": ["a", "b", "c"],
    "us-central1": ["a", "b", "c", "f"],
    "us-east1": ["b", "c", "d"],
    "us-east4": ["a", "b", "c"],
    "us-west1": ["a", "b"],
    "us-west4": ["a", "b"],
  },
};

/** The zone names (`europe-west4-a`) that offer an attached GPU in a region, or undefined when not known. */
export function attachedGpuZones(gpu: GpuModel, region: string): string[] | undefined {
  const letters = gcpAttachedGpuZones[gpu]?.[region];
  return letters?.map((letter) => `${region}-${letter}`);
}

/**
 * A3 High machines with fewer than eight GPUs are not offered on demand: "you must create instances
 * by using Spot VMs or Flex-start VMs" (Compute Engine, "Accelerator-optimized machine family",
 * updated 2026-04-13).
 */
export const spotOrFlexOnly = ["a3-highgpu-1g", "a3-highgpu-2g", "a3-highgpu-4g"];
