/**
 * Inputs whose change makes the cloud replace a cluster, a node group or an access grant, from each
 * provider's schema (`forceNew` / replaceOnChanges): pulumi-eks Cluster, aws.eks.NodeGroup,
 * AccessEntry, AccessPolicyAssociation and IdentityProviderConfig (terraform-provider-aws
 * internal/service/eks), gcp.container.Cluster and NodePool (a Private Service Connect control
 * plane switches its endpoint and private nodes in place; its ranges are fixed), azure-native
 * ManagedCluster, AgentPool and RoleAssignment (principal and scope; the name is a path parameter),
 * and gcp.storage.Bucket (google/services/storage/resource_storage_bucket.go: name and location).
 * Paths are dotted into the inputs.
 */
export const replacingInputs: Readonly<Record<string, readonly string[]>> = {
  "eks:index:Cluster": ["name", "vpcId", "privateSubnetIds", "encryptionConfigKeyArn"],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ["clusterName", "principalArn", "policyArn", "accessScope"],
  // An SSO association cannot change: a new one takes minutes to become active, and logins wait.
  "aws:eks/identityProviderConfig:IdentityProviderConfig": ["clusterName", "oidc"],
  "aws:eks/nodeGroup:NodeGroup": ["clusterName", "nodeGroupName", "nodeRoleArn", "subnetIds", "instanceTypes", "amiType", "capacityType", "diskSize"],
  "gcp:container/cluster:Cluster": ["name", "location", "network", "subnetwork", "privateClusterConfig.masterIpv4CidrBlock", "privateClusterConfig.privateEndpointSubnetwork", "ipAllocationPolicy"],
  "gcp:container/nodePool:NodePool": ["name", "cluster", "location", "nodeConfig.machineType", "nodeConfig.guestAccelerators", "nodeConfig.diskSizeGb", "nodeConfig.serviceAccount", "nodeConfig.oauthScopes", "nodeConfig.spot", "nodeConfig.secondaryBootDisks"],
  // The model store's buckets: a new name or place is a new, empty bucket.
  "gcp:storage/bucket:Bucket": ["name", "location"],
  "azure-native:containerservice:ManagedCluster": ["resourceName", "location", "resourceGroupName", "dnsPrefix", "networkProfile"],
  "azure-native:authorization:RoleAssignment": ["principalId", "scope", "roleAssignmentName"],
  "azure-native:containerservice:AgentPool": ["agentPoolName", "resourceName", "vmSize", "osSKU", "vnetSubnetID", "osDiskSizeGB"],
};

const at = (inputs: Record<string, unknown>, path: string) => path.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], inputs);

/** The replacing inputs that differ between two versions of a resource's inputs. */
export function replacingChanges(type: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return (replacingInputs[type] ?? []).filter((path) => JSON.stringify(at(before, path)) !== JSON.stringify(at(after, path)));
}
