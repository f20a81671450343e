import { strict as assert } from "assert";
import { parse, stringify } from "yaml";
import { baselinePoolName, zoneNames } from "../../../components/azure/aks-cluster";
import { azureCliKubeconfig } from "../../../components/azure/kubeconfig";
import { nodeSubnetCidr, overlayRanges } from "../../../components/azure/network";
import { checkRoleDefinition, roleDefinitionId, subscriptionScopeOf } from "../../../components/azure/workload-identity";
import type { GpuPool } from "../../../stacks/load";

/** What `az aks get-credentials --format exec` writes for an Entra ID cluster. */
const aksExecKubeconfig = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "gpu", cluster: { server: "https://gpu-1.hcp.swedencentral.azmk8s.io:443", "certificate-authority-data": "bW9jaw==" } }],
  contexts: [{ name: "gpu", context: { cluster: "gpu", user: "clusterUser_rg_gpu" } }],
  "current-context": "gpu",
  users: [{
    name: "clusterUser_rg_gpu",
    user: {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "kubelogin",
        args: ["get-token", "--environment", "AzurePublicCloud", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", "t", "--login", "devicecode"],
      },
    },
  }],
});

/** `a.b.c.d/n` → [first, last] as numbers, for overlap checks. */
function range(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const start = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}
const overlaps = (a: string, b: string) => range(a)[0] <= range(b)[1] && range(b)[0] <= range(a)[1];

describe("AKS building blocks (azure)", () => {
  describe("kubeconfig", () => {
    it("signs in through the Azure CLI session instead of a device code nobody can answer in CI", () => {
      const config = JSON.parse(azureCliKubeconfig(aksExecKubeconfig));
      assert.deepEqual(config.users[0].user.exec.args, ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]);
      assert.equal(config.users[0].user.exec.command, "kubelogin");
      assert.equal(config.users[0].user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    });

    it("keeps the cluster, its CA and the context as AKS returned them", () => {
      const config = JSON.parse(azureCliKubeconfig(aksExecKubeconfig));
      const original = parse(aksExecKubeconfig);
      assert.deepEqual(config.clusters, original.clusters);
      assert.deepEqual(config.contexts, original.contexts);
      assert.equal(config["current-context"], "gpu");
    });

    it("refuses a kubeconfig that does not go through kubelogin", () => {
      const legacy = stringify({ users: [{ name: "u", user: { token: "x" } }] });
      assert.throws(() => azureCliKubeconfig(legacy), /without kubelogin --server-id/);
    });
  });

  describe("address plan", () => {
    it("gives nodes the lower half of the VNet", () => {
      assert.equal(nodeSubnetCidr("10.42.0.0/16"), "10.42.0.0/17");
      assert.equal(nodeSubnetCidr("10.40.4.0/22"), "10.40.4.0/23");
    });

    it("keeps pods and services apart, with room for the pod range to grow to a /13", () => {
      assert.ok(!overlaps(overlayRanges.podCidr, overlayRanges.serviceCidr));
      assert.ok(!overlaps("100.64.0.0/13", overlayRanges.serviceCidr));
      const [first, last] = range(overlayRanges.serviceCidr);
      const dns = range(`${overlayRanges.dnsServiceIP}/32`)[0];
      assert.ok(dns > first && dns <= last, "DNS inside the service range, not its first address");
    });

    it("keeps pod and service ranges outside every RFC 1918 VNet and AKS' reserved ranges", () => {
      for (const reserved of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"]) {
        assert.ok(!overlaps(overlayRanges.podCidr, reserved), `pods overlap ${reserved}`);
        assert.ok(!overlaps(overlayRanges.serviceCidr, reserved), `services overlap ${reserved}`);
      }
    });
  });

  describe("names", () => {
    const pool = (name: string) => ({ name }) as GpuPool;

    it("names baseline agent pools with lowercase letters and digits, at most 12, distinct for long pool names", () => {
      assert.equal(baselinePoolName(pool("a100")), "gpua100");
      const long = [baselinePoolName(pool("inference-h100-east")), baselinePoolName(pool("inference-h100-west"))];
      for (const name of long) assert.match(name, /^[a-z][a-z0-9]{0,11}$/);
      assert.notEqual(long[0], long[1]);
    });

    it("numbers availability zones as Azure does", () => {
      assert.deepEqual(zoneNames(3), ["1", "2", "3"]);
    });
  });

  describe("role definitions", () => {
    it("expands a built-in role GUID to its id in the subscription", () => {
      const scope = subscriptionScopeOf("/subscriptions/0000/resourceGroups/rg");
      assert.equal(scope, "/subscriptions/0000");
      assert.equal(roleDefinitionId(scope, "acdd72a7-3385-48ef-bd42-f606fba81ae7"), "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7");
    });

    it("takes a full role definition id as it is and refuses a role name", () => {
      const id = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";
      assert.equal(roleDefinitionId("/subscriptions/1111", id), id);
      assert.throws(() => checkRoleDefinition("Storage Blob Data Reader"), /is not an Azure role definition/);
    });
  });
});
