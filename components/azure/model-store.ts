import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { type TeamModelStore, modelReaderServiceAccount } from "../cluster/contract";
import { AzureWorkloadIdentity, roleDefinitionId, subscriptionScopeOf } from "./workload-identity";

/** Storage Blob Data Reader: list and read blobs, nothing else (built-in, the same GUID in every tenant). */
const storageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

export interface BlobModelStoreArgs {
  readonly teams: readonly string[];
  readonly clusterName: string;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly resourceGroupId: pulumi.Input<string>;
  /** The stack's region: the account lives there, with locally redundant copies only. */
  readonly location: string;
  readonly oidcIssuer: pulumi.Input<string>;
  /** A protected stack keeps the account on destroy. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Storage account names are 3–24 lowercase letters and digits, unique across all of Azure: the
 * cluster's name without its dashes, and a digest of the resource group's id (subscription and
 * group), so two stacks, or two organisations with the same cluster name, never collide.
 */
export function modelStoreAccountName(clusterName: string, resourceGroupId: string): string {
  // ARM may return the id in another case than it was created with; the name must not follow.
  const digest = createHash("sha256").update(resourceGroupId.toLowerCase()).digest("hex").slice(0, 8);
  return `${clusterName.replace(/[^a-z0-9]/g, "").slice(0, 10)}models${digest}`;
}

/**
 * A team's container: `team-<name>`, since containers need 3 characters and no doubled hyphens,
 * which team names allow (`ml`, `a--b`); a squeezed name carries a digest of the real one.
 */
export function modelContainerName(team: string): string {
  const squeezed = team.replace(/-{2,}/g, "-");
  return squeezed === team ? `team-${team}` : `team-${squeezed}-${createHash("sha256").update(team).digest("hex").slice(0, 6)}`;
}

/**
 * One premium block-blob storage account in the stack's region (the kind the streamer's published
 * Azure figure was measured on), reachable only with Entra ID tokens: no shared keys, no public
 * blobs, TLS 1.2. Each team gets a container of its own, which its `model-reader` may read.
 */
export class BlobModelStore extends pulumi.ComponentResource {
  readonly teams = new Map<string, TeamModelStore>();

  constructor(name: string, args: BlobModelStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:ModelStore", name, {}, opts);
    const account = new storage.StorageAccount(name, {
      accountName: pulumi.output(args.resourceGroupId).apply((group) => modelStoreAccountName(args.clusterName, group)),
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      kind: "BlockBlobStorage",
      sku: { name: "Premium_LRS" },
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      tags: { ...args.tags },
    }, { parent: this, protect: args.protect });
    for (const team of args.teams) {
      const id = `${name}-${team}`;
      const container = new storage.BlobContainer(id, {
        accountName: account.name,
        resourceGroupName: args.resourceGroupName,
        containerName: modelContainerName(team),
        publicAccess: "None",
      }, { parent: this, protect: args.protect });
      const reader = new AzureWorkloadIdentity(`${id}-reader`, {
        namespace: team,
        serviceAccount: modelReaderServiceAccount,
        managedPolicies: [],
        resourceGroupName: args.resourceGroupName,
        resourceGroupId: args.resourceGroupId,
        location: args.location,
        oidcIssuer: args.oidcIssuer,
        tags: args.tags,
      }, { parent: this });
      // Under the identity, so whatever waits for the identity waits for the grant too.
      new authorization.RoleAssignment(`${id}-reader`, {
        principalId: reader.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.output(args.resourceGroupId).apply((rg) => roleDefinitionId(subscriptionScopeOf(rg), storageBlobDataReader)),
        scope: container.id,
      }, { parent: reader });
      this.teams.set(team, {
        uri: pulumi.interpolate`az://${container.name}`,
        env: { AZURE_STORAGE_ACCOUNT_NAME: account.name },
        reader: reader.grant(),
      });
    }
    this.registerOutputs({});
  }
}
