/**
 * On-demand list prices of GPU machines, for modelling worst-case monthly GPU spend.
 *
 * One entry per cloud and GPU model the catalog offers there (`gpu-catalog.ts`): the price of the
 * model's smallest machine type (the first of `machinesFor(model, cloud)`) in a reference region,
 * aws us-east-1, gcp us-central1, azure eastus. Where that machine has no on-demand price there, the
 * entry names the machine or US region used instead (`machine`, `region`). The price is for the
 * whole machine per hour; `gpuHourlyPrice` divides it by the machine's GPUs.
 *
 * What these numbers are: public list prices, on-demand, Linux, USD per hour. Not included: spot,
 * savings plans, reservations, committed-use or sustained-use discounts, negotiated discounts,
 * taxes, boot disks and other storage, network egress, load balancers, the Kubernetes control plane.
 * Real bills for the same hours are usually lower; a bill can be higher in a pricier region (see
 * `regionPriceFactor`) or when capacity is bought another way (AWS Capacity Blocks, GCP DWS).
 *
 * Sources (prices as the source captured them; dates are those of the captures):
 * - AWS, 2026-07-20: the AWS Price List API as snapshotted by Karpenter,
 *   aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go ("generated at
 *   2026-07-20T13:44:30Z for us-east-1"; commit 6fc13b52, "Update data from AWS APIs #9435").
 *   Cross-checked: p4d/p4de/p5/p5en are the prices after AWS's June 2025 P4/P5 price cut;
 *   p5.4xlarge and p5en.48xlarge equal skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv
 *   (commit e385a0d3), and p4d, p4de and p5.48xlarge equal datareceipts/data-receipts
 *   109-gpu-pricing/hyperscalers.json (retrieved 2026-11-09), which also has this file's Azure
 *   NC24ads A100 v4, NC40ads H100 v5 and ND96asr v4 prices.
 * - Azure, 2026-06-18: the Azure Retail Prices API (https://prices.azure.com/api/retail/prices,
 *   priceType Consumption, Windows and Low Priority meters dropped) as snapshotted in
 *   Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go ("generated at
 *   2026-06-18T03:43:41Z").
 * - Google Cloud, 2026-07-30: the Cloud Billing Catalog API as summed per machine type by
 *   Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml ("generated: Thu Jul 30 06:13:17
 *   2026", commit fd66b26f). Its machine price is the whole bill of an accelerator-optimized
 *   machine: GPUs + vCPUs + memory + bundled Local SSD, which is how Google bills them
 *   (https://cloud.google.com/compute/docs/accelerator-optimized-machines, "Pricing and consumption
 *   options"). Two pieces are not in it and come from skypilot-org/skypilot-catalog
 *   catalogs/v7|v8/gcp/vms.csv (undated snapshots, v8 at commit 8427bbff), where GPUs are rows of
 *   their own and machine rows carry vCPU + memory only: the T4 GPU attached to N1 ($0.35/GPU-hour
 *   in us-central1, $0.3675 in europe-west4) and all of a3-ultragpu-8g (H200). SkyPilot's GCP GPU
 *   rows are not reliable everywhere (several regions list half the price of others, e.g. H100,
 *   H200, A100 in europe-west4), so only its us-central1 rows that agree with the Billing Catalog
 *   structure are used.
 * - Region factors: the same sources, plus skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv
 *   (commit 001367d2) for other AWS regions' G-family prices (its us-east-1 g4dn/g5/g6/g6e prices
 *   equal the 2026-07-20 Karpenter snapshot) and P-family ratios (v7 p4d and p5.48xlarge, v8
 *   p5.4xlarge and p5en; the per-region ratios are the same before and after the 2025 price cut).
 *
 * Not verified against the providers' own price pages, which could not be read here:
 * https://aws.amazon.com/ec2/pricing/on-demand/, https://cloud.google.com/compute/gpus-pricing,
 * https://azure.microsoft.com/pricing/details/virtual-machines/linux/.
 */
import type { GpuModel } from "./gpu-catalog";
import type { RegionCloud } from "./jurisdictions";

/** The on-demand Linux price of one machine type in one region. */
export interface GpuPrice {
  readonly machine: string;
  /** USD per hour for the whole machine (for GCP: GPUs, vCPUs, memory and bundled Local SSD). */
  readonly usdPerHour: number;
  /** GPUs on the machine, as in the catalog. */
  readonly gpus: number;
  readonly region: string;
}

/** The date of the oldest price snapshot below (Azure's); per cloud in `cloudPricesAsOf`. */
export const pricesAsOf = "2026-06-18";

/** Date of each cloud's main price snapshot (see the header for what each one covers). */
export const cloudPricesAsOf: Readonly<Record<RegionCloud, string>> = {
  aws: "2026-07-20",
  gcp: "2026-07-30",
  azure: "2026-06-18",
};

/** Hours in the average month (8760 / 12), the convention AWS, Azure and Google price months with. */
export const hoursPerMonth = 730;

/** The region each cloud's prices are quoted in unless an entry says otherwise. */
export const referenceRegions: Readonly<Record<RegionCloud, string>> = {
  aws: "us-east-1",
  gcp: "us-central1",
  azure: "eastus",
};

export const gpuPrices: Record<RegionCloud, Partial<Record<GpuModel, GpuPrice>>> = {
  aws: {
    T4: { machine: "g4dn.xlarge", usdPerHour: 0.526, gpus: 1, region: "us-east-1" },
    L4: { machine: "g6.xlarge", usdPerHour: 0.8048, gpus: 1, region: "us-east-1" },
    A10G: { machine: "g5.xlarge", usdPerHour: 1.006, gpus: 1, region: "us-east-1" },
    L40S: { machine: "g6e.xlarge", usdPerHour: 1.861, gpus: 1, region: "us-east-1" },
    A100: { machine: "p4d.24xlarge", usdPerHour: 21.957642, gpus: 8, region: "us-east-1" },
    "A100-80GB": { machine: "p4de.24xlarge", usdPerHour: 27.44705, gpus: 8, region: "us-east-1" },
    H100: { machine: "p5.4xlarge", usdPerHour: 6.88, gpus: 1, region: "us-east-1" },
    // p5e.48xlarge, the catalog's first H200 type, has no on-demand price (EC2 Capacity Blocks only:
    // absent from the Karpenter snapshot, priceless in SkyPilot's), so this is the next type.
    H200: { machine: "p5en.48xlarge", usdPerHour: 63.296, gpus: 8, region: "us-east-1" },
  },
  gcp: {
    // n1-standard-4 $0.189999 (Cyclenerd) + one T4 $0.35 (SkyPilot).
    T4: { machine: "n1-standard-4", usdPerHour: 0.539999, gpus: 1, region: "us-central1" },
    L4: { machine: "g2-standard-4", usdPerHour: 0.706832, gpus: 1, region: "us-central1" },
    A100: { machine: "a2-highgpu-1g", usdPerHour: 3.673385, gpus: 1, region: "us-central1" },
    "A100-80GB": { machine: "a2-ultragpu-1g", usdPerHour: 5.068798, gpus: 1, region: "us-central1" },
    // a3-highgpu-1g is sold as Spot or Flex-start (DWS) only, but has this list price, and it is the
    // same per GPU as a3-highgpu-8g ($88.49 for 8).
    H100: { machine: "a3-highgpu-1g", usdPerHour: 11.06125, gpus: 1, region: "us-central1" },
    // SkyPilot: 8 x H200 $74.49392 + vCPU and memory $12.266. Bundled Local SSD is not in that
    // figure (about 1.5% more); a third-party Billing Catalog extract (Hugging Face dataset
    // tanod/cloud-gpu-list-prices, 2026-10-13) gives $10.4365 per GPU, 4% below this one.
    H200: { machine: "a3-ultragpu-8g", usdPerHour: 86.75992, gpus: 8, region: "us-central1" },
  },
  azure: {
    T4: { machine: "Standard_NC4as_T4_v3", usdPerHour: 0.526, gpus: 1, region: "eastus" },
    A100: { machine: "Standard_ND96asr_v4", usdPerHour: 27.197, gpus: 8, region: "eastus" },
    "A100-80GB": { machine: "Standard_NC24ads_A100_v4", usdPerHour: 3.673, gpus: 1, region: "eastus" },
    // H100 NVL (94 GB) on PCIe; the 8-GPU SXM size ND96isr_H100_v5 is $98.32, $12.29 per GPU.
    H100: { machine: "Standard_NC40ads_H100_v5", usdPerHour: 6.98, gpus: 1, region: "eastus" },
    // Not priced in eastus; eastus2 (also westus2, westus3) lists it at this price.
    H200: { machine: "Standard_ND96isr_H200_v5", usdPerHour: 84.8, gpus: 8, region: "eastus2" },
  },
};

/** USD per GPU-hour of a model on a cloud at its reference price; undefined where not offered. */
export function gpuHourlyPrice(cloud: RegionCloud, model: GpuModel): number | undefined {
  const price = gpuPrices[cloud][model];
  return price ? price.usdPerHour / price.gpus : undefined;
}

/**
 * How much pricier than the reference region a region is, as a multiplier on `gpuPrices`.
 *
 * For each region, the highest ratio (region price / reference price) over the catalog's machine
 * types that both regions price, rounded to 0.01. The highest, not a mean, because the table models
 * worst-case spend: ratios differ by family, e.g. AWS eu-west-2 is 1.17x for g4dn but 1.30x for p5,
 * GCP europe-west4 is 1.02x for A2 but 1.27x for A3, Azure swedencentral is 1.06x for T4 but 1.30x
 * for A100/H100/H200. A region priced like the reference, or with no data here, gets 1: for regions
 * missing below that is an approximation, not a finding.
 */
export const regionPriceFactors: Readonly<Record<RegionCloud, Readonly<Record<string, number>>>> = {
  // vs us-east-1. G-family: g4dn/g5/g6/g6e .xlarge, SkyPilot v7. P-family: p4d, p5.48xlarge (v7),
  // p5.4xlarge, p5en.48xlarge (v8). us-east-2 and us-west-2 price every catalogued type as us-east-1.
  aws: {
    "eu-central-1": 1.25, // g4dn 0.658/0.526, g5 1.258/1.006, g6 1.0064/0.8048 (g6.2xlarge 1.22249/0.9776), g6e, p4d: all 1.25
    "eu-west-1": 1.12, // g4dn, g5 1.12; p4d 1.08
    "eu-west-2": 1.3, // g4dn 1.17, g5 and g6 1.27, p5 1.30
    "eu-west-3": 1.27, // g4dn 1.17, g6 1.27
    "eu-north-1": 1.07, // g4dn, g5, g6, g6e 1.06; p5, p5en 1.07
    "eu-south-1": 1.17, // g4dn
    "eu-south-2": 1.08, // p5en
    "us-west-1": 1.25, // g4dn 1.20, p5 and p5en 1.25
    "ca-central-1": 1.15, // g4dn, g5, g6 1.11; p5 1.15
    "ap-northeast-1": 1.45, // g4dn 1.35, g5, g6, g6e 1.45; p4d 1.37, p5 and p5en 1.25
    "ap-northeast-3": 1.35, // g4dn
    "ap-southeast-2": 1.3, // g4dn, g5, g6, p4d, p5: 1.30
    "ap-south-1": 1.2, // g4dn 1.10; g5, g6, p4d, p5, p5en 1.20
    "ap-northeast-2": 1.38, // g4dn, g5, g6, g6e 1.23; p4d, p5en 1.38
    "ap-southeast-1": 1.4, // g4dn
    "ap-southeast-3": 1.4, // g5 1.40, p5 and p5en 1.38
    "ap-east-1": 1.54, // g4dn
    "me-south-1": 1.23, // g4dn
    "me-central-1": 1.23, // g5
    "af-south-1": 1.33, // g4dn
  },
  // vs us-central1, Cyclenerd 2026-07-30: g2-standard-*, a2-highgpu/megagpu/ultragpu-*, a3-highgpu-*,
  // and the n1-standard machines without their T4 (whose own price is 1.05x in europe-west4).
  // Cyclenerd prices each type in every region from that region's SKU rates, whether the type is
  // offered there or not. The comment is the range of ratios over those types. us-east1 and
  // us-west1 equal us-central1.
  gcp: {
    "europe-west1": 1.1, // 1.02-1.10
    "europe-west2": 1.29, // 1.14-1.29
    "europe-west3": 1.29, // 1.18-1.29
    "europe-west4": 1.27, // a2-highgpu 1.02, G2 1.05, N1 and a2-ultragpu 1.10, A3 1.27
    "europe-west6": 1.4, // 1.30-1.40
    "europe-west8": 1.16, // every type alike
    "europe-west9": 1.16, // every type alike
    "europe-west10": 1.54, // 1.29-1.54
    "europe-west12": 1.29, // every type alike
    "europe-north1": 1.1, // 1.02-1.10
    "europe-central2": 1.29, // 1.19-1.29
    "europe-southwest1": 1.18, // every type alike
    "us-east4": 1.13, // 1.00-1.13
    "us-east5": 1.13, // 1.00-1.13
    "us-south1": 1.18, // every type alike
    "us-west2": 1.2, // 1.18-1.20
    "us-west3": 1.2, // 1.18-1.20
    "us-west4": 1.13, // 1.07-1.13
    "northamerica-northeast1": 1.1, // 1.06-1.10
    "northamerica-northeast2": 1.1, // every type alike
    "asia-northeast1": 1.43, // 1.09-1.43
    "asia-northeast2": 1.28, // 1.09-1.28
    "asia-northeast3": 1.28, // 1.09-1.28
    "australia-southeast1": 1.42, // 1.25-1.42
    "australia-southeast2": 1.42, // 1.30-1.42
    "asia-south1": 1.2, // 1.04-1.20
    "asia-south2": 1.2, // 1.09-1.20
    "asia-east1": 1.16, // 1.02-1.16
    "asia-east2": 1.4, // 1.28-1.40
    "asia-southeast1": 1.29, // 1.08-1.29
    "asia-southeast2": 1.34, // 1.18-1.34
    "me-central1": 1.22, // every type alike
    "me-central2": 1.6, // every type alike
    "me-west1": 1.1, // every type alike
    "southamerica-east1": 1.59, // 1.41-1.59
    "southamerica-west1": 1.43, // every type alike
    "africa-south1": 1.31, // 1.10-1.31
  },
  // vs eastus (eastus2 for ND H200 v5), Azure retail 2026-06-18, over every catalogued size the
  // region prices; the comment is the range. eastus2, westus2 and westus3 equal eastus.
  azure: {
    westeurope: 1.3, // 1.25 (T4, NDm A100) - 1.30 (ND A100, NC A100, H100)
    northeurope: 1.2, // 1.11-1.20
    germanywestcentral: 1.3, // 1.25-1.30
    germanynorth: 1.69, // NDm A100 only
    francecentral: 1.25, // 1.17-1.25
    swedencentral: 1.3, // 1.06 (T4) - 1.30 (NC A100, NC/ND H100, ND H200)
    italynorth: 1.3, // 1.17-1.30
    polandcentral: 1.54, // 1.24-1.54
    spaincentral: 1.3, // 1.25-1.30
    norwayeast: 1.43, // NDm A100, ND H200
    uksouth: 1.25, // 1.17-1.25
    ukwest: 1.31, // NDm A100, ND H200
    switzerlandnorth: 1.43, // every A100 80GB and H100 size
    switzerlandwest: 1.86, // NDm A100 only
    centralus: 1.23, // 1.13-1.23
    northcentralus: 1.2, // 1.00-1.20
    southcentralus: 1.2,
    westcentralus: 1.2, // ND H100 only
    westus: 1.3, // 1.20-1.30
    canadacentral: 1.23, // 1.11-1.23
    canadaeast: 1.2, // NDm A100 only
    japaneast: 1.45, // 1.25-1.45
    japanwest: 1.55, // 1.46-1.55
    australiaeast: 1.45, // 1.30-1.45
    australiasoutheast: 1.3, // ND H200 only
    australiacentral: 1.3, // T4 only
    australiacentral2: 1.3, // T4 only
    centralindia: 1.4, // 1.10-1.40
    southindia: 1.51, // 1.41-1.51
    southeastasia: 1.4, // 1.30-1.40
    koreacentral: 1.35, // 1.23-1.35
    koreasouth: 1.25, // NC H100, ND H200
    brazilsouth: 2.0, // 1.70-2.00
    southafricanorth: 1.72, // 1.46-1.72
    uaenorth: 1.43, // NDm A100, NC/ND H100, ND H200
    israelcentral: 1.38, // T4 only
    mexicocentral: 1.1, // ND H200 only
    indonesiacentral: 1.17, // NC H100, ND H200
    malaysiawest: 1.2, // 1.17-1.20
  },
};

/** Multiplier from a cloud's reference-region prices to a region's; 1 where none is known. */
export function regionPriceFactor(cloud: RegionCloud, region: string): number {
  const factors = regionPriceFactors[cloud];
  return Object.hasOwn(factors, region) ? factors[region] : 1;
}

/**
 * USD per GPU-hour of a model in a region: the reference price times the region's factor. What the
 * plan's cost model, the pack's budget rule and the in-cluster cost rules all price GPUs at.
 */
export function regionalGpuHourlyPrice(cloud: RegionCloud, region: string | undefined, model: GpuModel): number | undefined {
  const price = gpuHourlyPrice(cloud, model);
  return price === undefined ? undefined : price * (region === undefined ? 1 : regionPriceFactor(cloud, region));
}
