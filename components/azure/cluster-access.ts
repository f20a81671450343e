import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { PlatformConfig } from "../../stacks/load";
import { builtInRoles, roleDefinitionId, subscriptionScopeOf } from "./workload-identity";

/**
 * A role assignment's name (a GUID) from what it grants: the same grant always has the same name,
 * so a re-run never collides with itself and a changed grant is a clean replacement.
 */
export function assignmentName(scope: string, principalId: string, role: string): string {
  const hex = createHash("sha256").update(`${scope}|${principalId}|${role}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Azure CLI's application id: a token issued to it belongs to a person signed in with `az login`. */
export const azureCliAppId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/**
 * The deployer's principal type, from the application its token was issued to. It must be right:
 * Azure refuses an assignment whose type does not match the principal (UnmatchedPrincipalType),
 * and azure-native fills in "User" when none is given.
 */
export function deployerPrincipalType(clientId: string): "User" | "ServicePrincipal" {
  return clientId.toLowerCase() === azureCliAppId ? "User" : "ServicePrincipal";
}

export interface AksAccessArgs {
  readonly config: PlatformConfig;
  readonly clusterId: pulumi.Output<string>;
}

/**
 * With Azure RBAC for Kubernetes, Entra ID identities get in through Azure role assignments, not
 * Kubernetes bindings: RBAC Cluster Admin for the identity running `pulumi up` and the admin
 * groups, and for each team's group the cluster user role (to fetch the kubeconfig) plus RBAC
 * Writer (`edit`) on its namespace. Assignments take up to five minutes to reach the API server.
 */
export class AksAccess extends pulumi.ComponentResource {
  /** What the deployer's first Kubernetes call needs in place (then waits to propagate). */
  readonly deployerAccess: pulumi.Resource[];
  /** The object id of the identity running pulumi up. */
  readonly deployer: pulumi.Output<string>;

  constructor(name: string, args: AksAccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:azure:AksAccess", name, {}, opts);
    const { config, clusterId } = args;
    const grant = (grantName: string, principalId: pulumi.Input<string>, principalType: pulumi.Input<string>, role: string, scope: pulumi.Input<string>) =>
      new authorization.RoleAssignment(grantName, {
        principalId,
        principalType,
        scope,
        roleDefinitionId: clusterId.apply((id) => roleDefinitionId(subscriptionScopeOf(id), role)),
        roleAssignmentName: pulumi.all([scope, principalId]).apply(([s, p]) => assignmentName(s, p, role)),
      }, { parent: this, deleteBeforeReplace: true });

    // Whoever runs pulumi up: a person, or CI's federated service principal.
    const deployer = authorization.getClientConfigOutput({ parent: this });
    this.deployer = deployer.objectId;
    this.deployerAccess = [
      grant(`${name}-deployer`, deployer.objectId, deployer.clientId.apply(deployerPrincipalType), builtInRoles.aksRbacClusterAdmin, clusterId),
      ...config.aks.adminGroupObjectIds.map((group) => grant(`${name}-admin-${group}`, group, "Group", builtInRoles.aksRbacClusterAdmin, clusterId)),
    ];
    for (const team of config.teams) {
      if (!team.group) continue;
      grant(`${name}-team-${team.name}-user`, team.group, "Group", builtInRoles.aksClusterUser, clusterId);
      grant(`${name}-team-${team.name}-edit`, team.group, "Group", builtInRoles.aksRbacWriter, pulumi.interpolate`${clusterId}/namespaces/${team.name}`);
    }
    this.registerOutputs({});
  }
}
