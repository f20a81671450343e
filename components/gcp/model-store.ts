import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type TeamModelStore, modelReaderServiceAccount } from "../cluster/contract";
import { fittedName } from "../cluster/names";
import { GkeWorkloadIdentity } from "./iam";

export interface GcsModelStoreArgs {
  readonly teams: readonly string[];
  readonly project: string;
  readonly clusterName: string;
  /** The stack's region: each bucket lives there and nowhere else. */
  readonly region: string;
  /** A protected stack keeps its buckets, and a bucket with objects in it, on destroy. */
  readonly protect: boolean;
  readonly provider: gcp.Provider;
}

/**
 * One private Cloud Storage bucket per team in the stack's region (a single region, not a
 * multi-region): uniform bucket-level access, public access prevented, Google-managed
 * encryption. The team's `model-reader` acts as a Google service account of its own that may
 * read that bucket and nothing else.
 */
export class GcsModelStore extends pulumi.ComponentResource {
  readonly teams = new Map<string, TeamModelStore>();

  constructor(name: string, args: GcsModelStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:gcp:ModelStore", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    for (const team of args.teams) {
      const id = `${name}-${team}`;
      const bucket = new gcp.storage.Bucket(fittedName(id, 63), {
        location: args.region,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        // Outside protected stacks `pulumi destroy` empties it: weights can be uploaded again.
        forceDestroy: !args.protect,
        labels: { "gpu-platform-team": team },
      }, { ...child, protect: args.protect });
      const reader = new GkeWorkloadIdentity(`${id}-reader`, {
        project: args.project,
        clusterName: args.clusterName,
        request: { namespace: team, serviceAccount: modelReaderServiceAccount, managedPolicies: [] },
        provider: args.provider,
      }, { parent: this });
      // Under the identity, so whatever waits for the identity waits for the grants too. The
      // streamer's Cloud Storage client opens the bucket itself (storage.buckets.get), which
      // objectViewer lacks (runai-model-streamer 0.15.9, runai_model_streamer_gcs files.py).
      for (const [suffix, role] of [["reader", "roles/storage.objectViewer"], ["bucket-reader", "roles/storage.legacyBucketReader"]]) {
        new gcp.storage.BucketIAMMember(`${id}-${suffix}`, {
          bucket: bucket.name,
          role,
          member: pulumi.interpolate`serviceAccount:${reader.email}`,
        }, { parent: reader, provider: args.provider });
      }
      this.teams.set(team, {
        uri: pulumi.interpolate`gs://${bucket.name}`,
        env: {},
        reader: reader.grant(),
      });
    }
    this.registerOutputs({});
  }
}
