/**
 * The worst-case GPU bill of a stack: every pool at its upper bound, all month, at on-demand list
 * price (stacks/gpu-prices.ts). Spot, discounts, storage and egress are left out on purpose: this is
 * the ceiling a budget must survive, not a forecast.
 */
import { findMachine } from "../stacks/gpu-catalog";
import { hoursPerMonth, regionalGpuHourlyPrice } from "../stacks/gpu-prices";
import type { RegionCloud } from "../stacks/jurisdictions";
import { GpuCapacity, Resource, gpuCapacity, propsOf } from "./support";

/** Whole US dollars with thousands separators: `$12,345`, `-$80`. */
export function formatUsd(amount: number): string {
  const rounded = Math.round(amount);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${rounded < 0 ? "-" : ""}$${digits}`;
}

/** A change in dollars, with its sign: `+$1,200`, `-$80`, `$0`. */
export function formatUsdDelta(amount: number): string {
  const rounded = Math.round(amount);
  return rounded > 0 ? `+${formatUsd(rounded)}` : formatUsd(rounded);
}

export interface GpuSpendLine {
  readonly capacity: GpuCapacity;
  readonly model: string;
  readonly gpus: number;
  /** Of the dearest machine type the pool may start, in the stack's region. */
  readonly usdPerGpuHour: number;
  readonly usdPerMonth: number;
}

export interface GpuSpend {
  readonly region: string | undefined;
  readonly lines: readonly GpuSpendLine[];
  readonly usdPerMonth: number;
  /** Pools whose GPU has no price in the table; their cost is unknown, not zero. */
  readonly unpriced: readonly GpuCapacity[];
}

/** The region a stack's cloud resources run in, from their provider or location. */
export function stackRegion(resources: readonly Resource[], cloud: RegionCloud): string | undefined {
  for (const resource of resources) {
    const props = propsOf(resource);
    if (cloud === "aws" && resource.type === "pulumi:providers:aws" && typeof props.region === "string") return props.region;
    if (cloud === "gcp" && resource.type === "pulumi:providers:gcp" && typeof props.region === "string") return props.region;
    if (cloud === "azure" && resource.type === "azure-native:containerservice:ManagedCluster" && typeof props.location === "string") return props.location;
  }
  return undefined;
}

export function worstCaseGpuSpend(resources: readonly Resource[]): GpuSpend {
  const lines: GpuSpendLine[] = [];
  const unpriced: GpuCapacity[] = [];
  let region: string | undefined;
  for (const capacity of resources.map(gpuCapacity)) {
    if (!capacity || !capacity.maxGpus) continue;
    // A stack runs on one cloud, so its region is looked up once.
    region ??= stackRegion(resources, capacity.cloud);
    const prices = capacity.machines.map((machine) => {
      const model = findMachine(capacity.cloud, machine)?.model;
      const price = model && regionalGpuHourlyPrice(capacity.cloud, region, model);
      return model && price ? { model, price } : undefined;
    }).filter((p) => p !== undefined);
    if (prices.length === 0) {
      unpriced.push(capacity);
      continue;
    }
    const dearest = prices.reduce((a, b) => (b.price > a.price ? b : a));
    lines.push({
      capacity,
      model: dearest.model,
      gpus: capacity.maxGpus,
      usdPerGpuHour: dearest.price,
      usdPerMonth: capacity.maxGpus * dearest.price * hoursPerMonth,
    });
  }
  return { region, lines, unpriced, usdPerMonth: lines.reduce((sum, line) => sum + line.usdPerMonth, 0) };
}
