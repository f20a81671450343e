/**
 * Data-sovereignty zones and the cloud regions inside each.
 *
 * A stack names one jurisdiction; its region must be listed under it. A region missing here is
 * refused rather than assumed: add it with its source when a provider opens it.
 *
 * Sources (region ids and their cities), transcribed 2026-11-22:
 * - AWS: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html and
 *   botocore's partitions.json (the region ids)
 *   (commercial partition only; GovCloud, China and the European Sovereign Cloud are separate
 *   partitions with their own accounts and are not modelled)
 * - Google Cloud: https://cloud.google.com/compute/docs/regions-zones
 * - Azure: https://learn.microsoft.com/azure/reliability/regions-list
 *
 * Zone boundaries: `eu` is the EU/EEA, where the GDPR applies directly; the UK and Switzerland
 * have their own data-protection law and are zones of their own. `global` allows every region
 * known here.
 */

export const clouds = ["aws", "gcp", "azure"] as const;
export type RegionCloud = (typeof clouds)[number];

export const jurisdictionIds = ["eu", "uk", "ch", "us", "ca", "jp", "au", "in", "global"] as const;
export type Jurisdiction = (typeof jurisdictionIds)[number];

type RegionTable = Record<RegionCloud, readonly string[]>;

const sovereignZones: Record<Exclude<Jurisdiction, "global">, RegionTable> = {
  eu: {
    aws: ["eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2"],
    gcp: [
      "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-west9",
      "europe-west10", "europe-west12", "europe-north1", "europe-north2", "europe-central2",
      "europe-southwest1",
    ],
    azure: [
      "westeurope", "northeurope", "germanywestcentral", "germanynorth", "francecentral",
      "francesouth", "swedencentral", "swedensouth", "italynorth", "polandcentral", "spaincentral",
      "norwayeast", "norwaywest", "austriaeast", "belgiumcentral",
    ],
  },
  uk: {
    aws: ["eu-west-2"],
    gcp: ["europe-west2"],
    azure: ["uksouth", "ukwest"],
  },
  ch: {
    aws: ["eu-central-2"],
    gcp: ["europe-west6"],
    azure: ["switzerlandnorth", "switzerlandwest"],
  },
  us: {
    aws: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
    gcp: [
      "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2",
      "us-west3", "us-west4",
    ],
    azure: [
      "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus",
      "westus", "westus2", "westus3",
    ],
  },
  ca: {
    aws: ["ca-central-1", "ca-west-1"],
    gcp: ["northamerica-northeast1", "northamerica-northeast2"],
    azure: ["canadacentral", "canadaeast"],
  },
  jp: {
    aws: ["ap-northeast-1", "ap-northeast-3"],
    gcp: ["asia-northeast1", "asia-northeast2"],
    azure: ["japaneast", "japanwest"],
  },
  au: {
    aws: ["ap-southeast-2", "ap-southeast-4"],
    gcp: ["australia-southeast1", "australia-southeast2"],
    azure: ["australiaeast", "australiasoutheast", "australiacentral", "australiacentral2"],
  },
  in: {
    aws: ["ap-south-1", "ap-south-2"],
    gcp: ["asia-south1", "asia-south2"],
    azure: ["centralindia", "southindia", "westindia"],
  },
};

/** Regions outside every sovereign zone above; only a `global` stack may use them. */
const otherRegions: RegionTable = {
  aws: [
    "ap-east-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-3", "ap-southeast-5",
    "ap-southeast-6", "ap-southeast-7", "ap-east-2", "il-central-1", "me-central-1", "me-south-1", "sa-east-1", "af-south-1",
    "mx-central-1",
  ],
  gcp: [
    "asia-east1", "asia-east2", "asia-northeast3", "asia-southeast1", "asia-southeast2", "asia-southeast3",
    "me-central1", "me-central2", "me-west1", "southamerica-east1", "southamerica-west1",
    "africa-south1", "northamerica-south1",
  ],
  azure: [
    "eastasia", "southeastasia", "koreacentral", "koreasouth", "brazilsouth", "southafricanorth",
    "uaenorth", "qatarcentral", "israelcentral", "mexicocentral", "newzealandnorth",
    "indonesiacentral", "malaysiawest",
  ],
};

/** Regions of one cloud that a jurisdiction allows. */
export function regionsIn(jurisdiction: Jurisdiction, cloud: RegionCloud): readonly string[] {
  if (jurisdiction !== "global") return sovereignZones[jurisdiction][cloud];
  return [...Object.values(sovereignZones).flatMap((zone) => zone[cloud]), ...otherRegions[cloud]];
}

/** The sovereign zone a region lies in, or undefined for regions only `global` allows. */
export function jurisdictionOf(cloud: RegionCloud, region: string): Jurisdiction | undefined {
  for (const [zone, table] of Object.entries(sovereignZones)) {
    if (table[cloud].includes(region)) return zone as Jurisdiction;
  }
  return otherRegions[cloud].includes(region) ? "global" : undefined;
}
