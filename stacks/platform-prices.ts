/**
 * What a cluster costs before any GPU: its control plane and its default system machines, at
 * on-demand list price in each cloud's reference region (the one `gpu-prices.ts` uses), USD per hour.
 *
 * Sources, as published list prices (not re-read offline on 2026-11-22; check before relying on them):
 * - EKS: $0.10 per cluster-hour in standard Kubernetes support ($0.60 in extended support),
 *   https://aws.amazon.com/eks/pricing/.
 * - GKE: cluster management fee $0.10 per cluster-hour for Standard clusters (a monthly credit
 *   covers one zonal or Autopilot cluster per billing account; regional clusters pay),
 *   https://cloud.google.com/kubernetes-engine/pricing.
 * - AKS: Free tier $0; Standard tier $0.10 per cluster-hour, https://azure.microsoft.com/pricing/details/kubernetes-service/.
 * - m7i.xlarge us-east-1 $0.2016: the same Karpenter price snapshot as gpu-prices.ts (2026-07-20).
 * - n2-standard-4 us-central1 $0.194236 and Standard_D4s_v5 eastus $0.192: GCP and Azure list prices.
 * Other system machine types are priced by vCPU at the default type's rate, an approximation the
 * report says it makes.
 */
import type { RegionCloud } from "./jurisdictions";

export const platformPricesAsOf = "2026-07-20";

export function controlPlaneHourly(cloud: RegionCloud, aksTier: "Free" | "Standard"): number {
  if (cloud === "azure") return aksTier === "Standard" ? 0.1 : 0;
  return 0.1;
}

/** The default system machine per cloud, its vCPUs and hourly price. */
export const systemMachinePrices: Record<RegionCloud, { machine: string; vcpus: number; usdPerHour: number }> = {
  aws: { machine: "m7i.xlarge", vcpus: 4, usdPerHour: 0.2016 },
  gcp: { machine: "n2-standard-4", vcpus: 4, usdPerHour: 0.194236 },
  azure: { machine: "Standard_D4s_v5", vcpus: 4, usdPerHour: 0.192 },
};

/** vCPUs of a machine type from its name, where the name says (`m7i.2xlarge`, `n2-standard-8`, `Standard_D8s_v5`). */
export function vcpusOf(cloud: RegionCloud, machine: string): number | undefined {
  if (cloud === "aws") {
    const size = machine.split(".")[1] ?? "";
    if (size === "large") return 2;
    if (size === "xlarge") return 4;
    const match = /^(\d+)xlarge$/.exec(size);
    return match ? Number(match[1]) * 4 : undefined;
  }
  const match = cloud === "gcp" ? /-(\d+)$/.exec(machine) : /^Standard_[A-Z]+(\d+)/.exec(machine);
  return match ? Number(match[1]) : undefined;
}

/** Hourly price of a system machine in the reference region: exact for the default type, by vCPU otherwise. */
export function systemMachineHourly(cloud: RegionCloud, machine: string): { usdPerHour: number; exact: boolean } {
  const reference = systemMachinePrices[cloud];
  if (machine === reference.machine) return { usdPerHour: reference.usdPerHour, exact: true };
  const vcpus = vcpusOf(cloud, machine) ?? reference.vcpus;
  return { usdPerHour: (reference.usdPerHour / reference.vcpus) * vcpus, exact: false };
}
