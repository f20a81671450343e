import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import type { PlatformConfig } from "../../stacks/load";
import type { TeamSettings } from "../../stacks/schema";
import type { RbacSubject } from "../cluster/rbac";

export const clusterAdminPolicyArn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** Prefix EKS puts on the groups and user names of SSO tokens, so they never collide with IAM's. */
export const ssoPrefix = "oidc:";

/** The Kubernetes group an access entry gives the members of a team's IAM role. */
export const teamGroup = (team: string) => `gpu-platform:team:${team}`;

/**
 * A name for a principal's access entry that depends on the principal alone: reordering or removing
 * other roles never renames (and so never replaces) it. EKS holds one entry per principal and
 * refuses a second with 409, which a create-before-delete replacement would hit.
 */
export function accessEntryKey(principalArn: string): string {
  const roleName = principalArn.split("/").pop()!.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 32);
  return `${roleName}-${createHash("sha256").update(principalArn).digest("hex").slice(0, 8)}`;
}

/** The RBAC subject EKS authentication yields for a team's `group` setting. */
export function eksTeamSubject(config: PlatformConfig, team: TeamSettings & { group: string }): RbacSubject {
  return { kind: "Group", name: config.eks.identityProvider ? `${ssoPrefix}${team.group}` : teamGroup(team.name) };
}

export interface EksAccessArgs {
  readonly config: PlatformConfig;
  readonly clusterName: pulumi.Input<string>;
  /**
   * pulumi-eks' own cluster security group: attached to the control plane's interfaces only (the
   * EKS-created one is on every node too, which a 443 rule would open as well).
   */
  readonly controlPlaneSecurityGroupId: pulumi.Input<string>;
  /**
   * The pulumi-eks cluster, whose children the admin entries were before they were keyed by role:
   * aliases carry a stack's existing entries over instead of creating a second entry per role.
   */
  readonly previous: { readonly parent: pulumi.Resource; /** Its logical name. */ readonly name: string };
}

/**
 * Who reaches the EKS API and as whom: 443 from networks connected to the VPC, an access entry per
 * admin role (cluster-admin) and per team role (the team's Kubernetes group), and SSO through an
 * OIDC identity provider when the stack names one. The identity running `pulumi up` is admin as
 * the cluster's creator (pulumi-eks always asks EKS for the creator's access entry).
 */
export class EksAccess extends pulumi.ComponentResource {
  /** Must exist before anyone but the creator can act on the cluster. */
  readonly identityProvider?: aws.eks.IdentityProviderConfig;
  /** The security-group rules that let connected networks reach the private endpoint. */
  readonly privatePaths: aws.ec2.SecurityGroupRule[];

  constructor(name: string, args: EksAccessArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
    super("gpu-platform:aws:EksAccess", name, {}, { parent: opts.parent });
    const { config } = args;
    const onAws = { parent: this, provider: opts.provider };

    // aws.ec2.SecurityGroupRule, as pulumi-eks' own rules on this group are: the AWS provider
    // warns against mixing the two kinds of rule on one group.
    this.privatePaths = config.apiAccess.privateCidrs.map((cidr) =>
      new aws.ec2.SecurityGroupRule(`${name}-api-${cidr.replace(/[./]/g, "-")}`, {
        securityGroupId: args.controlPlaneSecurityGroupId,
        type: "ingress",
        description: "Kubernetes API from a network connected to the VPC (apiAccess.privateCidrs)",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: [cidr],
      }, onAws));

    // deleteBeforeReplace: a replaced entry (its type or principal changed) must be gone first.
    config.eks.adminRoleArns.forEach((principalArn, i) => {
      const key = accessEntryKey(principalArn);
      // Where pulumi-eks kept the entry at position i (authenticationMode.ts at v4.3.0).
      const previous = previousAdminEntry(args.previous.name, i);
      const entry = new aws.eks.AccessEntry(`${name}-admin-${key}`, { clusterName: args.clusterName, principalArn, type: "STANDARD" }, {
        ...onAws, deleteBeforeReplace: true, aliases: [{ name: previous.entry, parent: args.previous.parent }],
      });
      new aws.eks.AccessPolicyAssociation(`${name}-admin-${key}`, {
        clusterName: args.clusterName,
        principalArn,
        policyArn: clusterAdminPolicyArn,
        accessScope: { type: "cluster" },
      }, {
        ...onAws, dependsOn: [entry], deleteBeforeReplace: true,
        aliases: [{ name: previous.association, parent: pulumi.createUrn(previous.entry, "aws:eks/accessEntry:AccessEntry", args.previous.parent) }],
      });
    });

    const idp = config.eks.identityProvider;
    if (idp) {
      this.identityProvider = new aws.eks.IdentityProviderConfig(`${name}-sso`, {
        clusterName: args.clusterName,
        oidc: {
          identityProviderConfigName: "sso",
          issuerUrl: idp.issuerUrl,
          clientId: idp.clientId,
          usernameClaim: idp.usernameClaim,
          usernamePrefix: ssoPrefix,
          groupsClaim: idp.groupsClaim,
          groupsPrefix: ssoPrefix,
        },
      }, { ...onAws, deleteBeforeReplace: true });
    } else {
      // Teams sharing a role get one entry that carries each team's group.
      const groupsByRole = new Map<string, string[]>();
      for (const team of config.teams) {
        if (team.group) groupsByRole.set(team.group, [...(groupsByRole.get(team.group) ?? []), teamGroup(team.name)]);
      }
      for (const [principalArn, kubernetesGroups] of groupsByRole) {
        new aws.eks.AccessEntry(`${name}-team-${accessEntryKey(principalArn)}`, {
          clusterName: args.clusterName, principalArn, type: "STANDARD", kubernetesGroups,
        }, { ...onAws, deleteBeforeReplace: true });
      }
    }
    this.registerOutputs({});
  }

}

/** The names pulumi-eks gave the admin entry at position `i` of its accessEntries (`admin-<i>`). */
export function previousAdminEntry(clusterName: string, i: number): { entry: string; association: string } {
  return { entry: `${clusterName}-admin-${i}`, association: `${clusterName}-admin-${i}-clusterAdmin` };
}

/** SSO admin groups bound to cluster-admin, as EKS names them (with the SSO prefix). */
export function ssoAdminSubjects(config: PlatformConfig): RbacSubject[] {
  return (config.eks.identityProvider?.adminGroups ?? []).map((group) => ({ kind: "Group", name: `${ssoPrefix}${group}` }));
}
