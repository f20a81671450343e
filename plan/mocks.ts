/**
 * The cloud as the offline plan imagines it: every resource is created with its inputs as its
 * state, plus the outputs the program reads (ids, ARNs, the cluster's kubeconfig). Values are
 * deterministic, so two plans of the same config are identical and can be diffed.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export const mockAccountId = "123456789012";

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 17);
}

/** EC2-style ids where a resource's id has a documented shape that CRDs validate. */
const idPrefixes: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
};

/** `aws:sqs/queue:Queue` → `sqs`. */
function awsService(type: string): string {
  return type.split(":")[1]?.split("/")[0] ?? "unknown";
}

export class PlanMocks implements pulumi.runtime.Mocks {
  constructor(private readonly region: string) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const { type, name, inputs } = args;
    const prefix = idPrefixes[type];
    const id = prefix ? `${prefix}-${shortHash(name)}` : `${name}-id`;
    const physicalName = (inputs.name as string | undefined) ?? name;
    const state: Record<string, unknown> = { ...inputs, name: physicalName };
    if (type.startsWith("aws:")) {
      state.arn = `arn:aws:${awsService(type)}:${this.region}:${mockAccountId}:${physicalName}`;
    }
    switch (type) {
      case "aws:iam/role:Role":
        state.arn = `arn:aws:iam::${mockAccountId}:role/${physicalName}`;
        break;
      case "aws:sqs/queue:Queue":
        state.url = `https://sqs.${this.region}.amazonaws.com/${mockAccountId}/${physicalName}`;
        break;
      case "aws:ec2/launchTemplate:LaunchTemplate":
        state.latestVersion = 1;
        break;
      case "eks:index:Cluster":
        Object.assign(state, this.eksCluster(physicalName));
        break;
      case "random:index/randomPassword:RandomPassword": {
        // Stand-ins with the real shapes; the plan prints secrets redacted either way.
        const length = Number(inputs.length ?? 16);
        state.result = shortHash(name).padEnd(length, "x").slice(0, length);
        state.bcryptHash = `$2a$10$${shortHash(`${name}-bcrypt`).padEnd(53, "x")}`;
        break;
      }
    }
    return { id, state };
  }

  private eksCluster(clusterName: string): Record<string, unknown> {
    const endpoint = `https://${shortHash(clusterName).toUpperCase()}.gr7.${this.region}.eks.amazonaws.com`;
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "bW9jaw==" } }],
      contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
      "current-context": "aws",
      users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", this.region] } } }],
    };
    const issuer = `https://oidc.eks.${this.region}.amazonaws.com/id/${shortHash(clusterName).toUpperCase()}`;
    return {
      kubeconfig,
      kubeconfigJson: JSON.stringify(kubeconfig),
      clusterSecurityGroupId: `sg-${shortHash(`${clusterName}-pulumi`)}`,
      eksCluster: {
        name: clusterName,
        arn: `arn:aws:eks:${this.region}:${mockAccountId}:cluster/${clusterName}`,
        endpoint,
        vpcConfig: { clusterSecurityGroupId: `sg-${shortHash(`${clusterName}-eks`)}` },
        identities: [{ oidcs: [{ issuer }] }],
      },
      oidcIssuer: issuer,
    };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: ["a", "b", "c", "d"].map((zone) => `${this.region}${zone}`), zoneIds: [], id: this.region };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: mockAccountId, arn: `arn:aws:iam::${mockAccountId}:user/plan`, userId: "plan", id: mockAccountId };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
      default:
        throw new Error(`the offline plan has no answer for the data source ${args.token}; add one to plan/mocks.ts`);
    }
  }
}
