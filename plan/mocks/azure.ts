import { stringify } from "yaml";
import { CloudMock, shortHash } from "./cloud";

/** A stable UUID from a seed: the shape Azure uses for subscription, tenant and principal ids. */
export function mockUuid(seed: string): string {
  const hex = `${shortHash(`${seed}-a`)}${shortHash(`${seed}-b`)}`.slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const mockSubscriptionId = mockUuid("subscription");
export const mockTenantId = mockUuid("tenant");

/** The AKS server application every AKS API server accepts Entra ID tokens for. */
const aksServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";
/** The Azure CLI's public client, which AKS puts in device-code kubeconfigs. */
const azureCliClientId = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

type Inputs = Record<string, unknown>;

const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

function resourceGroupId(inputs: Inputs, name: string): string {
  return `/subscriptions/${mockSubscriptionId}/resourceGroups/${text(inputs.resourceGroupName, name)}`;
}

/** The Azure name each resource type takes from its inputs (the rest use the Pulumi name). */
const nameKeys: Record<string, string> = {
  "azure-native:resources:ResourceGroup": "resourceGroupName",
  "azure-native:network:VirtualNetwork": "virtualNetworkName",
  "azure-native:network:Subnet": "subnetName",
  "azure-native:containerservice:ManagedCluster": "resourceName",
  "azure-native:containerservice:AgentPool": "agentPoolName",
  "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
  "azure-native:managedidentity:FederatedIdentityCredential": "federatedIdentityCredentialResourceName",
  "azure-native:storage:StorageAccount": "accountName",
  "azure-native:storage:BlobContainer": "containerName",
};

/** Azure resource ids, `/subscriptions/<uuid>/resourceGroups/<rg>/providers/...`, as ARM returns them. */
function azureId(type: string, name: string, inputs: Inputs): string | undefined {
  const own = text(inputs[nameKeys[type]], name);
  const group = resourceGroupId(inputs, name);
  switch (type) {
    case "azure-native:resources:ResourceGroup":
      return `/subscriptions/${mockSubscriptionId}/resourceGroups/${own}`;
    case "azure-native:network:VirtualNetwork":
      return `${group}/providers/Microsoft.Network/virtualNetworks/${own}`;
    case "azure-native:network:Subnet":
      return `${group}/providers/Microsoft.Network/virtualNetworks/${text(inputs.virtualNetworkName, "vnet")}/subnets/${own}`;
    case "azure-native:containerservice:ManagedCluster":
      return `${group}/providers/Microsoft.ContainerService/managedClusters/${own}`;
    case "azure-native:containerservice:AgentPool":
      return `${group}/providers/Microsoft.ContainerService/managedClusters/${text(inputs.resourceName, "cluster")}/agentPools/${own}`;
    case "azure-native:managedidentity:UserAssignedIdentity":
      return `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${own}`;
    case "azure-native:managedidentity:FederatedIdentityCredential":
      return `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${text(inputs.resourceName, "identity")}/federatedIdentityCredentials/${own}`;
    case "azure-native:storage:StorageAccount":
      return `${group}/providers/Microsoft.Storage/storageAccounts/${own}`;
    case "azure-native:storage:BlobContainer":
      return `${group}/providers/Microsoft.Storage/storageAccounts/${text(inputs.accountName, "account")}/blobServices/default/containers/${own}`;
    case "azure-native:authorization:RoleAssignment":
      return `${text(inputs.scope, `/subscriptions/${mockSubscriptionId}`)}/providers/Microsoft.Authorization/roleAssignments/${mockUuid(name)}`;
    default:
      return type.startsWith("azure-native:") ? `${group}/providers/${type.split(":")[1]}/${own}` : undefined;
  }
}

function managedCluster(region: string, name: string, inputs: Inputs): Inputs {
  const clusterName = text(inputs.resourceName, name);
  const fqdn = `${text(inputs.dnsPrefix, clusterName)}-${shortHash(clusterName).slice(0, 8)}.hcp.${region}.azmk8s.io`;
  return {
    fqdn,
    azurePortalFQDN: `${text(inputs.dnsPrefix, clusterName)}-${shortHash(`${clusterName}-portal`).slice(0, 8)}.portal.hcp.${region}.azmk8s.io`,
    currentKubernetesVersion: `${text(inputs.kubernetesVersion, "1.35")}.4`,
    nodeResourceGroup: `MC_${text(inputs.resourceGroupName, "rg")}_${clusterName}_${region}`,
    identity: { ...(inputs.identity as Inputs | undefined), principalId: mockUuid(`${clusterName}-identity`), tenantId: mockTenantId },
    oidcIssuerProfile: {
      ...(inputs.oidcIssuerProfile as Inputs | undefined),
      issuerURL: `https://${region}.oic.prod-aks.azure.com/${mockTenantId}/${mockUuid(`${clusterName}-issuer`)}/`,
    },
    provisioningState: "Succeeded",
  };
}

/**
 * What `listManagedClusterUserCredentials` with format `exec` returns for an Entra ID cluster: a
 * kubeconfig calling kubelogin with a device-code sign-in, base64-encoded.
 */
function userCredentials(region: string, inputs: Inputs): Inputs {
  const clusterName = text(inputs.resourceName, "cluster");
  const user = `clusterUser_${text(inputs.resourceGroupName, "rg")}_${clusterName}`;
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server: `https://${clusterName}-${shortHash(clusterName).slice(0, 8)}.hcp.${region}.azmk8s.io:443`, "certificate-authority-data": "bW9jaw==" } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user } }],
    "current-context": clusterName,
    preferences: {},
    users: [{
      name: user,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "kubelogin",
          args: ["get-token", "--environment", "AzurePublicCloud", "--server-id", aksServerAppId, "--client-id", azureCliClientId, "--tenant-id", mockTenantId, "--login", "devicecode"],
          env: null,
          provideClusterInfo: false,
        },
      },
    }],
  };
  return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(stringify(kubeconfig)).toString("base64") }] };
}

/** Azure as the offline plan imagines it. */
export function azureMock(region: string): CloudMock {
  return {
    id: (type, name, inputs) => azureId(type, name, inputs),
    state(type, name, inputs) {
      if (!type.startsWith("azure-native:")) return undefined;
      const state: Inputs = { name: text(inputs[nameKeys[type]], name), azureApiVersion: "mock" };
      switch (type) {
        case "azure-native:containerservice:ManagedCluster":
          Object.assign(state, managedCluster(region, name, inputs));
          break;
        case "azure-native:managedidentity:UserAssignedIdentity":
          Object.assign(state, { principalId: mockUuid(`${name}-principal`), clientId: mockUuid(`${name}-client`), tenantId: mockTenantId });
          break;
      }
      return state;
    },
    call(token, args) {
      switch (token) {
        case "azure-native:containerservice:listManagedClusterUserCredentials":
          return userCredentials(region, args);
        case "azure-native:authorization:getClientConfig":
          return { clientId: azureCliClientId, objectId: mockUuid("deployer"), subscriptionId: mockSubscriptionId, tenantId: mockTenantId };
        default:
          return undefined;
      }
    },
  };
}
