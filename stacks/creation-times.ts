/**
 * Typical time to create each kind of resource, in seconds, for modelling how long a first
 * `pulumi up` takes. A model, not a measurement: real times vary with region, quota and load.
 *
 * Sources and basis (2026-11-22):
 * - EKS control plane about 10 minutes: Amazon EKS user guide, "Create a cluster" ("Cluster
 *   provisioning takes several minutes"), and eksctl's documented ~10-15 min for a cluster with nodes.
 * - EKS managed node group about 3 minutes; EKS add-ons about 1 minute (they wait for ACTIVE).
 * - NAT gateway about 2 minutes (it waits for "available").
 * - GKE regional cluster about 6 minutes, node pool about 3: GKE docs ("Creating a cluster can take
 *   several minutes").
 * - AKS cluster about 8 minutes, agent pool about 4: AKS quickstarts ("takes a few minutes").
 * - Helm releases wait until their workloads are ready (Pulumi's Release waits by default); the
 *   durations per chart are typical for images pulled from a nearby registry.
 * - IAM, KMS, log groups, queues, Kubernetes objects: seconds.
 * - The API access gate (first access review that says yes): under a minute on EKS and GKE once the
 *   endpoint's name resolves; on AKS role assignments "can take up to five minutes to propagate"
 *   (Microsoft, "Use Azure RBAC for Kubernetes authorization"). Modelled at 90 s everywhere.
 */
export const creationTimesAsOf = "2026-11-22";

const byType: Record<string, number> = {
  "eks:index:Cluster": 600,
  "aws:eks/nodeGroup:NodeGroup": 180,
  "aws:eks/addon:Addon": 60,
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": 10,
  "aws:eks/accessEntry:AccessEntry": 5,
  "aws:ec2/natGateway:NatGateway": 120,
  "aws:ec2/vpc:Vpc": 5,
  "aws:ec2/subnet:Subnet": 5,
  "aws:ec2/eip:Eip": 3,
  "aws:kms/key:Key": 5,
  "aws:iam/role:Role": 5,
  "aws:sqs/queue:Queue": 5,
  "gcp:container/cluster:Cluster": 360,
  "gcp:container/nodePool:NodePool": 180,
  "gcp:compute/network:Network": 20,
  "gcp:compute/subnetwork:Subnetwork": 15,
  "gcp:compute/routerNat:RouterNat": 20,
  "gcp:kms/keyRing:KeyRing": 5,
  "gcp:kms/cryptoKey:CryptoKey": 5,
  "azure-native:containerservice:ManagedCluster": 480,
  "azure-native:containerservice:AgentPool": 240,
  "azure-native:network:VirtualNetwork": 10,
  "azure-native:authorization:RoleAssignment": 15,
  "azure-native:operationalinsights:Workspace": 30,
  "pulumi-nodejs:dynamic/cluster:ApiAccessGate": 90,
  "pulumi-nodejs:dynamic/aws:LeftoverCapacity": 0,
  "pulumi-nodejs:dynamic/aws:LeftoverVolumes": 0,
};

/** Helm releases by release name: chart install plus waiting for its workloads to be ready. */
const helmReleases: Record<string, number> = {
  "karpenter-crd": 15,
  karpenter: 60,
  "cert-manager": 90,
  "gpu-operator": 150,
  kueue: 60,
  "kserve-crd": 20,
  kserve: 90,
  "kserve-runtimes": 20,
  "kube-prometheus-stack": 180,
  argocd: 120,
  // CRD-only charts apply in seconds; controllers wait for one small pod each.
  "gateway-crds": 15,
  "envoy-gateway": 60,
  "ai-gateway-crds": 10,
  "ai-gateway": 60,
  keda: 60,
  "keda-add-ons-http": 45,
};

/** Seconds to create a resource of this type (and, for Helm releases, this release name). */
export function creationSeconds(type: string, releaseName?: string): number {
  if (type === "kubernetes:helm.sh/v3:Release") return helmReleases[releaseName ?? ""] ?? 90;
  if (type in byType) return byType[type];
  // Providers, components and random values cost nothing; other cloud and Kubernetes objects seconds.
  if (type.startsWith("pulumi:") || type.startsWith("gpu-platform:") || type.startsWith("random:") || type.startsWith("tls:")) return 0;
  if (type.startsWith("kubernetes:")) return 2;
  return 5;
}
