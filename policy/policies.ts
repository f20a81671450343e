/**
 * Every rule of the pack, in the order README.md lists them. The pack (index.ts), the offline plan
 * and the tests all take the rules from here, so none can drift from the others.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { aiConformanceMustsMet } from "./rules/ai-conformance-musts-met";
import { aksLocalAccountsDisabled } from "./rules/aks-local-accounts-disabled";
import { cloudResourcesInJurisdiction } from "./rules/cloud-resources-in-jurisdiction";
import { clusterApiEndpointRestricted } from "./rules/cluster-api-endpoint-restricted";
import { clusterApiReachableByDeployer } from "./rules/cluster-api-reachable-by-deployer";
import { clusterAuditLogsEnabled } from "./rules/cluster-audit-logs-enabled";
import { clusterSecretsEncrypted } from "./rules/cluster-secrets-encrypted";
import { containerImagesFromApprovedRegistries } from "./rules/container-images-from-approved-registries";
import { gkeLegacyAuthDisabled } from "./rules/gke-legacy-auth-disabled";
import { gpuCapacityHasUpperBound } from "./rules/gpu-capacity-has-upper-bound";
import { gpuCapacityPrefersSpotOutsideProd } from "./rules/gpu-capacity-prefers-spot-outside-prod";
import { gpuCapacityScalesToZeroOutsideProd } from "./rules/gpu-capacity-scales-to-zero-outside-prod";
import { gpuNodesTainted } from "./rules/gpu-nodes-tainted";
import { gpuSpendWithinBudget } from "./rules/gpu-spend-within-budget";
import { draDeviceClassesAllowed } from "./rules/dra-device-classes-allowed";
import { inferenceGatewayPrivate } from "./rules/inference-gateway-private";
import { teamsRateLimitedAtGateway } from "./rules/teams-rate-limited-at-gateway";
import { helmChartsPinnedAndApproved } from "./rules/helm-charts-pinned-and-approved";
import { kubernetesVersionSupported } from "./rules/kubernetes-version-supported";
import { noCrossRegionReplication } from "./rules/no-cross-region-replication";
import { objectStoragePrivate } from "./rules/object-storage-private";
import { noPublicLoadBalancers } from "./rules/no-public-load-balancers";
import { nodeMetadataProtected } from "./rules/node-metadata-protected";
import { onlyGpuOperatorNamespacePrivileged } from "./rules/only-gpu-operator-namespace-privileged";
import { prodClustersProtected } from "./rules/prod-clusters-protected";
import { requiredTagsPresent } from "./rules/required-tags-present";
import { stackGpuCeiling } from "./rules/stack-gpu-ceiling";
import { teamGpuQuotasFitCapacity } from "./rules/team-gpu-quotas-fit-capacity";
import { teamNamespaceHasGpuQuotaAndQueue } from "./rules/team-namespace-has-gpu-quota-and-queue";
import { teamNamespacesEnforceRestricted } from "./rules/team-namespaces-enforce-restricted";
import { workloadIdentityEnabled } from "./rules/workload-identity-enabled";

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  // Data sovereignty
  cloudResourcesInJurisdiction,
  noCrossRegionReplication,
  // Quotas
  gpuCapacityHasUpperBound,
  stackGpuCeiling,
  teamNamespaceHasGpuQuotaAndQueue,
  teamGpuQuotasFitCapacity,
  teamsRateLimitedAtGateway,
  draDeviceClassesAllowed,
  // Cost
  gpuSpendWithinBudget,
  gpuCapacityScalesToZeroOutsideProd,
  gpuCapacityPrefersSpotOutsideProd,
  // Security
  clusterApiEndpointRestricted,
  clusterApiReachableByDeployer,
  clusterSecretsEncrypted,
  clusterAuditLogsEnabled,
  nodeMetadataProtected,
  workloadIdentityEnabled,
  noPublicLoadBalancers,
  inferenceGatewayPrivate,
  objectStoragePrivate,
  teamNamespacesEnforceRestricted,
  onlyGpuOperatorNamespacePrivileged,
  aksLocalAccountsDisabled,
  gkeLegacyAuthDisabled,
  // Supply chain
  helmChartsPinnedAndApproved,
  containerImagesFromApprovedRegistries,
  // Hygiene
  requiredTagsPresent,
  gpuNodesTainted,
  prodClustersProtected,
  kubernetesVersionSupported,
  aiConformanceMustsMet,
];
