/**
 * What a team can claim from the stack's DRA pools, as DeviceClasses and ResourceClaimTemplates
 * named predictably. Selectors live in the DeviceClasses, not in the templates: Kueue checks a
 * template's own CEL selectors against the devices published now (kueue v0.19.2 pkg/dra/claims.go),
 * so a template with selectors could never be admitted while its pool is at zero nodes.
 */
import { gpuCatalog } from "../../../stacks/gpu-catalog";
import type { GpuPool } from "../../../stacks/load";

/** The DRA driver's name and its own DeviceClasses (dra-driver-nvidia-gpu v0.4.1). */
export const nvidiaDriver = "gpu.nvidia.com";
export const driverClasses = { gpu: "gpu.nvidia.com", mig: "mig.nvidia.com" } as const;

export interface DraOffer {
  /** The ResourceClaimTemplate in each team namespace. */
  readonly template: string;
  /** The DeviceClass it names; the platform's own unless it is the driver's. */
  readonly deviceClass: string;
  /** CEL for the platform's own class; undefined for the driver's. */
  readonly selector?: string;
  readonly description: string;
}

/** NVML reports a little less memory than the model's nominal size (an L4 shows 23,034 MiB of 24 GiB). */
const usableMemoryFraction = 0.9;

const gpuAttribute = (name: string) => `device.attributes["${nvidiaDriver}"].${name}`;

/** The offers of the stack's DRA pools: whole GPUs and memory floors, or the MIG slices a pool is cut into. */
export function draOffers(pools: readonly GpuPool[]): DraOffer[] {
  const dra = pools.filter((pool) => pool.allocation === "dra");
  const offers = new Map<string, DraOffer>();
  for (const pool of dra) {
    if (pool.sharing.mode === "mig") {
      const profile = pool.sharing.profile.replace(/^all-/, "");
      const profiles = profile === "balanced" ? Object.keys(gpuCatalog[pool.gpu].migProfiles ?? {}) : [profile];
      for (const p of profiles) {
        const name = `mig-${p.replace(/\./g, "-")}`;
        offers.set(name, {
          template: name, deviceClass: `${name}.gpu-platform.io`,
          selector: `device.driver == "${nvidiaDriver}" && ${gpuAttribute("type")} == "mig" && ${gpuAttribute("profile")} == "${p}"`,
          description: `one MIG slice ${p}`,
        });
      }
      continue;
    }
    offers.set("gpu", { template: "gpu", deviceClass: driverClasses.gpu, description: "one whole GPU" });
    const memory = gpuCatalog[pool.gpu].memoryGiB;
    const name = `gpu-min-${memory}gb`;
    offers.set(name, {
      template: name, deviceClass: `${name}.gpu-platform.io`,
      selector: `device.driver == "${nvidiaDriver}" && ${gpuAttribute("type")} == "gpu" && device.capacity["${nvidiaDriver}"].memory.compareTo(quantity("${Math.floor(memory * 1024 * usableMemoryFraction)}Mi")) >= 0`,
      description: `one whole GPU with at least ${memory} GB`,
    });
  }
  return [...offers.values()].sort((a, b) => a.template.localeCompare(b.template));
}

/** ResourceQuota key capping the devices a namespace may claim from one DeviceClass (Kubernetes 1.34+). */
export const deviceQuotaKey = (deviceClass: string) => `${deviceClass}.deviceclass.resource.k8s.io/devices`;
