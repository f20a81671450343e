import type { StackValidationPolicy } from "@pulumi/policy";
import { propsOf } from "../support";

const s3Bucket = "aws:s3/bucket:Bucket";
const s3PublicAccessBlock = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const blockSettings = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Model weights are the teams' data: no bucket or storage account the stack creates may be read
 * without an identity. S3 blocks public access with a resource of its own; the rule counts them,
 * since which bucket a block names is not known before the bucket exists.
 */
export const objectStoragePrivate: StackValidationPolicy = {
  name: "object-storage-private",
  description: "Buckets and storage accounts admit no anonymous access: S3 public access blocked in full, Cloud Storage with uniform access and public access prevention enforced, Azure storage without public blobs or shared keys, HTTPS only.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const buckets = args.resources.filter((r) => r.type === s3Bucket);
    const blocks = args.resources.filter((r) => r.type === s3PublicAccessBlock);
    for (const block of blocks) {
      const open = blockSettings.filter((key) => propsOf(block)[key] !== true);
      if (open.length > 0) reportViolation(`S3 public access block "${block.name}" leaves ${open.join(", ")} off; set all four to true.`, block.urn);
    }
    if (blocks.length < buckets.length) {
      reportViolation(`${buckets.length} S3 bucket(s) but ${blocks.length} public access block(s): give every bucket a BucketPublicAccessBlock with all four settings true (${buckets.map((b) => b.name).join(", ")}).`);
    }
    for (const resource of args.resources) {
      const props = propsOf(resource);
      if (resource.type === "gcp:storage/bucket:Bucket") {
        if (props.publicAccessPrevention !== "enforced") reportViolation(`Cloud Storage bucket "${resource.name}" does not enforce public access prevention (publicAccessPrevention: "enforced").`, resource.urn);
        if (props.uniformBucketLevelAccess !== true) reportViolation(`Cloud Storage bucket "${resource.name}" allows object ACLs; set uniformBucketLevelAccess: true so IAM alone decides who reads.`, resource.urn);
      }
      if (resource.type === "azure-native:storage:StorageAccount") {
        const open = [
          props.allowBlobPublicAccess !== false && "allowBlobPublicAccess is not false",
          props.allowSharedKeyAccess !== false && "allowSharedKeyAccess is not false (account keys bypass Entra ID)",
          props.enableHttpsTrafficOnly === false && "enableHttpsTrafficOnly is false",
        ].filter(Boolean);
        if (open.length > 0) reportViolation(`Storage account "${resource.name}": ${open.join("; ")}.`, resource.urn);
      }
    }
  },
};
