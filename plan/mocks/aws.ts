import { CloudMock, mockAccountId, shortHash } from "./cloud";

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

function eksCluster(region: string, clusterName: string): Record<string, unknown> {
  const endpoint = `https://${shortHash(clusterName).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": "bW9jaw==" } }],
    contexts: [{ name: "aws", context: { cluster: clusterName, user: "aws" } }],
    "current-context": "aws",
    users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region] } } }],
  };
  const issuer = `https://oidc.eks.${region}.amazonaws.com/id/${shortHash(clusterName).toUpperCase()}`;
  return {
    kubeconfig,
    kubeconfigJson: JSON.stringify(kubeconfig),
    clusterSecurityGroupId: `sg-${shortHash(`${clusterName}-pulumi`)}`,
    eksCluster: {
      name: clusterName,
      arn: `arn:aws:eks:${region}:${mockAccountId}:cluster/${clusterName}`,
      endpoint,
      vpcConfig: { clusterSecurityGroupId: `sg-${shortHash(`${clusterName}-eks`)}` },
      identities: [{ oidcs: [{ issuer }] }],
    },
    oidcIssuer: issuer,
  };
}

export function awsMock(region: string): CloudMock {
  return {
    id: (type, name) => (idPrefixes[type] ? `${idPrefixes[type]}-${shortHash(name)}` : undefined),
    state(type, _name, _inputs, physicalName) {
      if (type === "eks:index:Cluster") return eksCluster(region, physicalName);
      if (!type.startsWith("aws:")) return undefined;
      const state: Record<string, unknown> = { arn: `arn:aws:${awsService(type)}:${region}:${mockAccountId}:${physicalName}` };
      switch (type) {
        case "aws:iam/role:Role":
          state.arn = `arn:aws:iam::${mockAccountId}:role/${physicalName}`;
          break;
        case "aws:sqs/queue:Queue":
          state.url = `https://sqs.${region}.amazonaws.com/${mockAccountId}/${physicalName}`;
          break;
        case "aws:ec2/launchTemplate:LaunchTemplate":
          state.latestVersion = 1;
          break;
        case "aws:s3/bucket:Bucket":
          // Bucket ARNs carry neither region nor account.
          Object.assign(state, { bucket: physicalName, arn: `arn:aws:s3:::${physicalName}` });
          break;
      }
      return state;
    },
    call(token, args) {
      switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
          // Four zones per region, with ids as AWS spells them (us-east-1 → use1-az1 …); the
          // zones EKS refuses are left out when the program asks, as the API does.
          const prefix = region.replace(/^([a-z]{2})-([a-z]+)-(\d+)$/, (_m, area: string, dir: string, n: string) => `${area}${dir[0]}${n}`);
          const zones = ["a", "b", "c", "d"].map((letter, i) => ({ name: `${region}${letter}`, id: `${prefix}-az${i + 1}` }));
          const excluded = (args.excludeZoneIds as string[] | undefined) ?? [];
          const kept = zones.filter((zone) => !excluded.includes(zone.id));
          return { names: kept.map((z) => z.name), zoneIds: kept.map((z) => z.id), id: region };
        }
        case "aws:ebs/getSnapshot:getSnapshot": {
          // Every image-disk snapshot the plan imagines holds 120 GiB of pulled images.
          const id = String((args.snapshotIds as string[] | undefined)?.[0] ?? "snap-mock");
          return { id, snapshotId: id, snapshotIds: [id], volumeSize: 120, state: "completed", encrypted: true };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return { accountId: mockAccountId, arn: `arn:aws:iam::${mockAccountId}:user/plan`, userId: "plan", id: mockAccountId };
        case "aws:index/getPartition:getPartition":
          return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        default:
          return undefined;
      }
    },
  };
}
