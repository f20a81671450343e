import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadIdentityGrant, WorkloadIdentityRequest } from "../cluster/contract";

/** Built-in Azure role definitions the platform assigns itself (ids are the same in every tenant). */
export const builtInRoles = {
  /** Read and join the node subnet: what NAP needs to put node NICs there. */
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Azure Kubernetes Service RBAC Cluster Admin: every Kubernetes action, cluster-wide (also lists user credentials). */
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  /** Azure Kubernetes Service RBAC Writer: Kubernetes `edit`, here scoped to one namespace. */
  aksRbacWriter: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
  /** Azure Kubernetes Service Cluster User Role: fetch the (kubelogin) kubeconfig, nothing inside. */
  aksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
} as const;

/** The audience Entra ID expects in a Kubernetes token exchanged for an Azure one. */
export const tokenExchangeAudience = "api://AzureADTokenExchange";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws unless `role` is a role definition GUID or a full role definition resource id. */
export function checkRoleDefinition(role: string): void {
  if (!guid.test(role) && !/^\/.*\/providers\/Microsoft\.Authorization\/roleDefinitions\/[^/]+$/i.test(role)) {
    throw new Error(`"${role}" is not an Azure role definition: give a built-in role's GUID (e.g. ${builtInRoles.networkContributor}) or its full resource id`);
  }
}

/**
 * A role definition's full id from a built-in role's GUID, or the id itself when already full.
 * `subscriptionScope` is `/subscriptions/<id>`.
 */
export function roleDefinitionId(subscriptionScope: string, role: string): string {
  checkRoleDefinition(role);
  return role.startsWith("/") ? role : `${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/** `/subscriptions/<id>/resourceGroups/<name>` → `/subscriptions/<id>`. */
export function subscriptionScopeOf(resourceGroupId: string): string {
  return resourceGroupId.split("/").slice(0, 3).join("/");
}

export interface AzureWorkloadIdentityArgs extends WorkloadIdentityRequest {
  readonly resourceGroupName: pulumi.Input<string>;
  /** Scope of the role assignments: the cluster's resource group. */
  readonly resourceGroupId: pulumi.Input<string>;
  readonly location: string;
  readonly oidcIssuer: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Entra Workload ID for one Kubernetes service account: a user-assigned managed identity that
 * trusts tokens the cluster's OIDC issuer signs for exactly that service account, with built-in
 * roles on the cluster's resource group. Pods use it when their service account carries the
 * annotation `azure.workload.identity/client-id: <clientId>` and the pod the label
 * `azure.workload.identity/use: "true"`.
 */
export class AzureWorkloadIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: AzureWorkloadIdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    // Checked before anything is registered, so a wrong request stops the run instead of failing an apply.
    if (args.policy !== undefined) {
      throw new Error(`workload identity ${name} (${args.namespace}/${args.serviceAccount}): Azure has no inline policy documents; grant built-in roles through managedPolicies (role definition GUIDs)`);
    }
    const roles = args.managedPolicies ?? [];
    roles.forEach(checkRoleDefinition);
    super("gpu-platform:azure:WorkloadIdentity", name, {}, opts);
    const identity = new managedidentity.UserAssignedIdentity(name, {
      resourceName: name,
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: { ...args.tags },
    }, { parent: this });
    new managedidentity.FederatedIdentityCredential(name, {
      federatedIdentityCredentialResourceName: "kubernetes",
      resourceName: identity.name,
      resourceGroupName: args.resourceGroupName,
      issuer: args.oidcIssuer,
      subject: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
      audiences: [tokenExchangeAudience],
    }, { parent: this });
    roles.forEach((role, i) => {
      new authorization.RoleAssignment(`${name}-${i}`, {
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: pulumi.output(args.resourceGroupId).apply((id) => roleDefinitionId(subscriptionScopeOf(id), role)),
        scope: args.resourceGroupId,
      }, { parent: this });
    });
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
  }

  /** What the Kubernetes service account and its pods carry to act as this identity. */
  grant(): WorkloadIdentityGrant {
    return {
      ready: this,
      serviceAccountAnnotations: { "azure.workload.identity/client-id": this.clientId },
      podLabels: { "azure.workload.identity/use": "true" },
    };
  }
}
