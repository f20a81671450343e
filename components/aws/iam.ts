import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A trust policy letting one AWS service assume a role. */
export function trustPolicyFor(service: string, actions: string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/** What every EKS node needs: join the cluster, run the VPC CNI, pull images, be reachable by SSM. */
const nodePolicies = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
].map((policy) => `arn:aws:iam::aws:policy/${policy}`);

/** An IAM role for EC2 nodes with the managed policies nodes need. */
export function nodeRole(name: string, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const role = new aws.iam.Role(name, { assumeRolePolicy: trustPolicyFor("ec2.amazonaws.com") }, opts);
  nodePolicies.forEach((policyArn, i) => {
    new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, opts);
  });
  return role;
}

export interface PodIdentityArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inline policy document. */
  readonly policy?: pulumi.Input<string>;
  /** AWS-managed policies, attached as they are so AWS keeps them current. */
  readonly managedPolicies?: readonly string[];
}

/**
 * An IAM role that one service account assumes through EKS Pod Identity: no node credentials and
 * no OIDC trust to maintain. Returns the association, which must exist before the pods start.
 */
export function podIdentity(name: string, args: PodIdentityArgs, opts: pulumi.CustomResourceOptions): aws.eks.PodIdentityAssociation {
  const role = new aws.iam.Role(name, {
    assumeRolePolicy: trustPolicyFor("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
  }, opts);
  const grants: pulumi.Resource[] = [];
  if (args.policy !== undefined) grants.push(new aws.iam.RolePolicy(name, { role: role.id, policy: args.policy }, opts));
  (args.managedPolicies ?? []).forEach((policyArn, i) => {
    grants.push(new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, opts));
  });
  return new aws.eks.PodIdentityAssociation(name, {
    clusterName: args.clusterName,
    namespace: args.namespace,
    serviceAccount: args.serviceAccount,
    roleArn: role.arn,
  }, { ...opts, dependsOn: grants });
}
