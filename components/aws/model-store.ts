import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type TeamModelStore, type WorkloadIdentityGrant, modelReaderServiceAccount } from "../cluster/contract";
import { fittedName } from "../cluster/names";

export interface S3ModelStoreArgs {
  readonly teams: readonly string[];
  /** Grants the team's `model-reader` an IAM role through Pod Identity. */
  readonly grantReader: (name: string, team: string, policy: pulumi.Input<string>) => WorkloadIdentityGrant;
  /** A protected stack keeps its buckets, and a bucket with objects in it, on destroy. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One private S3 bucket per team in the provider's region (the stack's): public access blocked,
 * plain HTTP refused, objects encrypted with S3's own keys (the default for every new bucket
 * since January 2023). The team's `model-reader` may list and read its bucket and nothing else.
 */
export class S3ModelStore extends pulumi.ComponentResource {
  readonly teams = new Map<string, TeamModelStore>();

  constructor(name: string, args: S3ModelStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:aws:ModelStore", name, {}, opts);
    const child = { parent: this };
    for (const team of args.teams) {
      const id = `${name}-${team}`;
      const bucket = new aws.s3.Bucket(fittedName(id, 63), {
        // Outside protected stacks `pulumi destroy` empties it: weights can be uploaded again.
        forceDestroy: !args.protect,
        tags: { ...args.tags, "gpu-platform.io/team": team },
      }, { ...child, protect: args.protect });
      const blocked = new aws.s3.BucketPublicAccessBlock(id, {
        bucket: bucket.id,
        blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      }, child);
      new aws.s3.BucketPolicy(id, {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [{
            Sid: "RefusePlainHttp", Effect: "Deny", Principal: "*", Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }],
        }),
      }, { ...child, dependsOn: [blocked] });
      const readPolicy = pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucket.arn },
          { Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${bucket.arn}/*` },
        ],
      });
      this.teams.set(team, {
        uri: pulumi.interpolate`s3://${bucket.bucket}`,
        env: {},
        reader: args.grantReader(fittedName(`${id}-reader`, 64), team, readPolicy),
      });
    }
    this.registerOutputs({});
  }
}

/** The Pod Identity request for a team's reader: the role reads the bucket, nothing else. */
export function modelReaderRequest(team: string, policy: pulumi.Input<string>) {
  return { namespace: team, serviceAccount: modelReaderServiceAccount, policy };
}
