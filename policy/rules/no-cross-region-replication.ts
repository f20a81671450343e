import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asList, propsOf } from "../support";

/** Resources whose purpose is to copy data to another region. */
const replicationTypes = new Set([
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  "aws:dynamodb/tableReplica:TableReplica",
  "aws:kms/replicaKey:ReplicaKey",
]);

export const noCrossRegionReplication: ResourceValidationPolicy = {
  name: "no-cross-region-replication",
  description: "Nothing copies data or keys out of the stack's region: no replication configurations, multi-Region KMS keys, or global tables.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = propsOf(args);
    if (replicationTypes.has(args.type)) {
      reportViolation(`${args.type} "${args.name}" replicates data to another region; remove it, or replicate only within the stack's jurisdiction through a stack of that region.`);
    }
    if (args.type === "aws:kms/key:Key" && props.multiRegion === true) {
      reportViolation(`KMS key "${args.name}" is multi-Region (multiRegion: true), so its key material can be used outside the stack's region; make it single-Region.`);
    }
    if (args.type === "aws:dynamodb/table:Table" && asList(props.replicas).length > 0) {
      reportViolation(`DynamoDB table "${args.name}" has replicas in other regions; remove them.`);
    }
    if (args.type === "gcp:kms/keyRing:KeyRing" && typeof props.location === "string" && ["global", "europe", "us", "asia", "nam4", "eur4"].includes(props.location)) {
      reportViolation(`KMS key ring "${args.name}" is in the multi-region location "${props.location}"; use the stack's region.`);
    }
  },
};
