/**
 * How `pulumi up` reaches a stack's Kubernetes API and as whom, read from the resources the program
 * registers (never from settings): the policy rule that refuses a stack with no way in and the
 * plan report both read it here.
 */
import { Resource, asList, asRecord, propsOf } from "./support";

/** One way to the API server. */
export interface ApiPath {
  readonly kind: "public-endpoint" | "connected-networks" | "dns-endpoint" | "kubeconfig";
  /** Networks admitted; empty for the DNS endpoint (any network, IAM decides) and a kubeconfig. */
  readonly networks: readonly string[];
  readonly description: string;
}

export interface ApiReach {
  readonly cloud: "aws" | "gcp" | "azure" | "existing";
  /** The cluster resource, for violations. */
  readonly urn?: string;
  readonly paths: readonly ApiPath[];
  /** Why the deployer is cluster admin once it gets there; undefined where nothing makes it so. */
  readonly deployerAdmin?: string;
  /** What it takes to add a way in, for messages. */
  readonly remedy: string;
}

/** Azure Kubernetes Service RBAC Cluster Admin (built-in role, the same id in every tenant). */
const aksRbacClusterAdmin = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

const ofType = (resources: readonly Resource[], type: string) => resources.filter((r) => r.type === type);
const strings = (value: unknown) => asList(value).filter((v): v is string => typeof v === "string");

function eksReach(cluster: Resource, resources: readonly Resource[]): ApiReach {
  const props = propsOf(cluster);
  const paths: ApiPath[] = [];
  if (props.endpointPublicAccess === true) {
    const networks = strings(props.publicAccessCidrs);
    paths.push({ kind: "public-endpoint", networks, description: `public endpoint, admitting ${networks.length > 0 ? networks.join(", ") : "every address"}` });
  }
  // Ingress rules on 443, either kind of rule resource (the platform writes aws.ec2.SecurityGroupRule).
  const rules: { fromPort: unknown; toPort: unknown; cidrs: string[] }[] = [
    ...ofType(resources, "aws:ec2/securityGroupRule:SecurityGroupRule").map(propsOf).filter((rule) => rule.type === "ingress")
      .map((rule) => ({ fromPort: rule.fromPort, toPort: rule.toPort, cidrs: strings(rule.cidrBlocks) })),
    ...ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(propsOf)
      .map((rule) => ({ fromPort: rule.fromPort, toPort: rule.toPort, cidrs: strings([rule.cidrIpv4]) })),
  ];
  const connected = rules.filter((rule) => Number(rule.fromPort) <= 443 && Number(rule.toPort) >= 443).flatMap((rule) => rule.cidrs);
  // With the public endpoint on, connected networks resolve the endpoint to public addresses.
  if (props.endpointPrivateAccess === true && props.endpointPublicAccess !== true && connected.length > 0) {
    paths.push({ kind: "connected-networks", networks: connected, description: `private endpoint, from ${connected.join(", ")} (443 on the control plane's security group)` });
  }
  const admins = ofType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").length;
  return {
    cloud: "aws",
    urn: cluster.urn,
    paths,
    deployerAdmin: props.authenticationMode === "API" || props.authenticationMode === "API_AND_CONFIG_MAP"
      ? `the IAM role that creates the cluster (EKS creator access entry)${admins > 0 ? `; ${admins} admin role(s) through access entries` : ""}`
      : undefined,
    remedy: "set apiAccess.publicCidrs to the deploy runners' egress addresses, or apiAccess.privateCidrs to networks connected to the VPC",
  };
}

function gkeReach(cluster: Resource): ApiReach {
  const props = propsOf(cluster);
  const paths: ApiPath[] = [];
  if (asRecord(asRecord(props.controlPlaneEndpointsConfig).dnsEndpointConfig).allowExternalTraffic === true) {
    paths.push({ kind: "dns-endpoint", networks: [], description: "DNS endpoint, from any network, for Google identities holding container.clusters.connect" });
  }
  const ipEndpoints = asRecord(asRecord(props.controlPlaneEndpointsConfig).ipEndpointsConfig).enabled !== false;
  if (ipEndpoints && asRecord(props.privateClusterConfig).enablePrivateEndpoint !== true) {
    const networks = asList(asRecord(props.masterAuthorizedNetworksConfig).cidrBlocks).map((block) => String(asRecord(block).cidrBlock));
    paths.push({ kind: "public-endpoint", networks, description: `public IP endpoint, admitting ${networks.length > 0 ? networks.join(", ") : "every address"}` });
  }
  return {
    cloud: "gcp",
    urn: cluster.urn,
    paths,
    deployerAdmin: "IAM: roles/container.admin on the project, which the deploying identity must hold",
    remedy: "turn on the DNS endpoint (controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic), or list networks in apiAccess.publicCidrs",
  };
}

function aksReach(cluster: Resource, resources: readonly Resource[]): ApiReach {
  const access = asRecord(propsOf(cluster).apiServerAccessProfile);
  const paths: ApiPath[] = [];
  if (access.enablePrivateCluster !== true) {
    const networks = strings(access.authorizedIPRanges);
    paths.push({ kind: "public-endpoint", networks, description: `public endpoint, admitting ${networks.length > 0 ? networks.join(", ") : "every address"}` });
  }
  const deployer = ofType(resources, "azure-native:authorization:RoleAssignment")
    .map(propsOf)
    .some((grant) => String(grant.roleDefinitionId ?? "").endsWith(`/${aksRbacClusterAdmin}`) && grant.principalType !== "Group");
  return {
    cloud: "azure",
    urn: cluster.urn,
    paths,
    deployerAdmin: deployer ? "Azure RBAC Cluster Admin, assigned to the deploying identity by the stack" : undefined,
    remedy: "list the deploy runners' egress addresses in apiAccess.publicCidrs",
  };
}

/** How the stack's cluster is reached, or undefined when the plan holds no cluster at all. */
export function apiReach(resources: readonly Resource[]): ApiReach | undefined {
  const [eks] = ofType(resources, "eks:index:Cluster");
  if (eks) return eksReach(eks, resources);
  const [gke] = ofType(resources, "gcp:container/cluster:Cluster");
  if (gke) return gkeReach(gke);
  const [aks] = ofType(resources, "azure-native:containerservice:ManagedCluster");
  if (aks) return aksReach(aks, resources);
  if (resources.some((r) => r.type === "pulumi:providers:kubernetes")) {
    return {
      cloud: "existing",
      paths: [{ kind: "kubeconfig", networks: [], description: "the stack's kubeconfig (existing cluster)" }],
      deployerAdmin: "whoever the kubeconfig authenticates as",
      remedy: "set existing.kubeconfigPath or existing.kubeconfig",
    };
  }
  return undefined;
}

/** One line for people: how pulumi up gets in, and as whom. */
export function describeReach(reach: ApiReach): string {
  const ways = reach.paths.length > 0 ? reach.paths.map((p) => p.description).join("; or ") : "no way in from outside the cluster's own network";
  return `${ways}. Admin: ${reach.deployerAdmin ?? "nothing makes the deployer admin"}.`;
}
