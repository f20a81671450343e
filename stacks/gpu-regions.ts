/**
 * Where each GPU model can be had, per cloud: the regions in which at least one of the model's
 * machine types in `gpu-catalog.ts` is offered. Only regions listed in `jurisdictions.ts` appear.
 * Offered is not the same as available to you: quotas, capacity and (for some sizes) access
 * requests still apply, and a region may hold the model in only some of its zones.
 *
 * A region is listed only when a source below shows it; a region missing here may still offer the
 * model, it is just not confirmed. Add it with its source when one shows it.
 *
 * Sources, transcribed 2026-11-22:
 * - AWS: EC2 instance type availability per region (DescribeInstanceTypeOfferings), as captured
 *   per availability zone in skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv (2026 snapshot).
 *   That capture lacks regions that must be opted into and opened after 2022 (eu-central-2,
 *   eu-south-2, ap-south-2, ap-southeast-4, ca-west-1, il-central-1, mx-central-1, …), so those
 *   are left out for every model. The one addition from another source is marked where it is used.
 * - Google Cloud: "GPU regions and zones",
 *   https://cloud.google.com/compute/docs/gpus/gpu-regions-zones. The page itself could not be
 *   read here; the zones per machine type and accelerator come from the Compute Engine API as
 *   captured in skypilot-org/skypilot-catalog catalogs/v7/gcp/vms.csv (2026 snapshot).
 * - Azure: "Products available by region",
 *   https://azure.microsoft.com/explore/global-infrastructure/products-by-region/. That page could
 *   not be read here either; a size counts as offered in a region when the Azure Retail Prices API
 *   prices it there on demand, per the snapshot generated 2026-06-18 in
 *   Azure/karpenter-provider-azure pkg/providers/pricing/zz_generated.pricing.go.
 */
import type { GpuModel } from "./gpu-catalog";
import type { RegionCloud } from "./jurisdictions";

type GpuRegionTable = Partial<Record<GpuModel, readonly string[]>>;

const aws: GpuRegionTable = {
  // g4dn
  T4: [
    "eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-west-2",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "ap-northeast-1", "ap-northeast-3", "ap-southeast-2", "ap-south-1",
    "ap-east-1", "ap-northeast-2", "ap-southeast-1", "me-south-1", "af-south-1",
  ],
  // g6
  L4: [
    "eu-central-1", "eu-west-3", "eu-north-1", "eu-west-2",
    "us-east-1", "us-east-2", "us-west-2", "ca-central-1",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2",
  ],
  // g5
  A10G: [
    "eu-central-1", "eu-west-1", "eu-north-1", "eu-west-2",
    "us-east-1", "us-east-2", "us-west-2", "ca-central-1",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2", "ap-southeast-3", "me-central-1",
  ],
  // g6e
  L40S: ["eu-central-1", "eu-north-1", "us-east-1", "us-east-2", "us-west-2", "ap-northeast-1", "ap-northeast-2"],
  // p4d
  A100: [
    "eu-central-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-2",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2",
  ],
  // p4de
  "A100-80GB": ["us-east-1", "us-west-2"],
  // p5.48xlarge; the capture has no p5.4xlarge rows, so its own regions are unconfirmed.
  // Not eu-central-1: the capture shows no P5 in Frankfurt, and no other source here did.
  H100: [
    "eu-north-1", "eu-west-2", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1",
  ],
  // p5e (capture lists it without an on-demand price: Capacity Blocks) and p5en. eu-north-1 for
  // p5en also from dstackai/dstack pull request #4110 (2026-08).
  H200: [
    "eu-north-1", "eu-west-2", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "ap-northeast-1", "ap-southeast-2", "ap-south-1", "ap-northeast-2", "ap-southeast-3",
  ],
};

const gcp: GpuRegionTable = {
  // nvidia-tesla-t4 on N1
  T4: [
    "europe-west1", "europe-west3", "europe-west4", "europe-central2", "europe-west2",
    "us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "us-west3", "us-west4",
    "northamerica-northeast1", "asia-northeast1", "australia-southeast1", "asia-south1",
    "asia-east1", "asia-east2", "asia-northeast3", "asia-southeast1", "asia-southeast2", "me-west1",
    "southamerica-east1",
  ],
  // G2
  L4: [
    "europe-west1", "europe-west3", "europe-west4", "europe-west2", "europe-west6",
    "us-central1", "us-east1", "us-east4", "us-west1", "us-west4",
    "northamerica-northeast1", "northamerica-northeast2", "asia-northeast1", "asia-south1",
    "asia-east1", "asia-northeast3", "asia-southeast1", "me-central2",
  ],
  // A2 standard (a2-highgpu-*, a2-megagpu-16g)
  A100: [
    "europe-west4", "us-central1", "us-east1", "us-west1", "us-west3", "us-west4",
    "asia-northeast1", "asia-northeast3", "asia-southeast1", "me-west1",
  ],
  // A2 ultra
  "A100-80GB": ["europe-west4", "us-central1", "us-east4", "us-east5", "asia-southeast1"],
  // A3 high and A3 mega (A3 edge, not catalogued, also reaches europe-west2, europe-west9 and others)
  H100: [
    "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-north1",
    "us-central1", "us-east4", "us-east5", "us-west1", "us-west4",
    "asia-northeast1", "australia-southeast1", "asia-south1", "asia-east1", "asia-southeast1",
  ],
  // A3 ultra
  H200: [
    "europe-west1", "europe-west4", "us-central1", "us-east4", "us-east5", "us-south1", "us-west1",
    "asia-south1", "asia-south2",
  ],
};

const azure: GpuRegionTable = {
  // NCasT4_v3
  T4: [
    "westeurope", "northeurope", "germanywestcentral", "francecentral", "swedencentral", "italynorth",
    "polandcentral", "uksouth",
    "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westus", "westus2", "westus3",
    "canadacentral", "japaneast", "japanwest", "australiaeast", "australiacentral", "australiacentral2",
    "centralindia", "southindia", "southeastasia", "koreacentral", "brazilsouth", "israelcentral", "malaysiawest",
  ],
  // ND A100 v4 (A100 40GB) only: westeurope and italynorth in the EU; swedencentral has the 80GB
  // sizes (below) but not this one.
  A100: ["westeurope", "italynorth", "eastus", "southcentralus", "westus2"],
  // NC A100 v4 and NDm A100 v4
  "A100-80GB": [
    "westeurope", "northeurope", "germanywestcentral", "germanynorth", "francecentral", "swedencentral",
    "italynorth", "polandcentral", "spaincentral", "norwayeast", "uksouth", "ukwest",
    "switzerlandnorth", "switzerlandwest",
    "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westus", "westus2", "westus3",
    "canadacentral", "canadaeast", "japaneast", "japanwest", "australiaeast", "centralindia", "southindia",
    "southeastasia", "koreacentral", "brazilsouth", "southafricanorth", "uaenorth",
  ],
  // NC H100 v5 and ND H100 v5
  H100: [
    "westeurope", "northeurope", "germanywestcentral", "swedencentral", "polandcentral", "spaincentral",
    "uksouth", "switzerlandnorth",
    "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus", "westus",
    "westus2", "westus3",
    "canadacentral", "japaneast", "japanwest", "australiaeast", "centralindia", "southeastasia",
    "koreacentral", "koreasouth", "southafricanorth", "uaenorth", "indonesiacentral", "malaysiawest",
  ],
  // ND H200 v5 (not eastus: eastus2 is the East US region that prices it)
  H200: [
    "northeurope", "germanywestcentral", "francecentral", "swedencentral", "italynorth", "polandcentral",
    "spaincentral", "norwayeast", "uksouth", "ukwest",
    "eastus2", "centralus", "northcentralus", "westus", "westus2", "westus3",
    "japaneast", "japanwest", "australiaeast", "australiasoutheast", "southeastasia", "koreasouth",
    "brazilsouth", "southafricanorth", "uaenorth", "mexicocentral", "indonesiacentral", "malaysiawest",
  ],
};

const gpuRegionTable: Record<RegionCloud, GpuRegionTable> = { aws, gcp, azure };

/** Regions of a cloud where the model is offered; empty when the cloud does not offer it. */
export function gpuRegions(cloud: RegionCloud, model: GpuModel): readonly string[] {
  return gpuRegionTable[cloud][model] ?? [];
}

/** Whether the model is offered in this region of the cloud (false for regions not listed). */
export function offersGpu(cloud: RegionCloud, region: string, model: GpuModel): boolean {
  return gpuRegions(cloud, model).includes(region);
}
