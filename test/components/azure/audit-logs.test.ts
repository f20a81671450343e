import { strict as assert } from "assert";
import { one, plan } from "../../helpers/plan";

describe("AKS audit logs (azure)", () => {
  it("sends the control plane's admin audit and sign-in logs to a workspace in the stack's region", async () => {
    const p = await plan("aks-eu");
    const workspace = one(p, "azure-native:operationalinsights:Workspace").inputs;
    assert.equal(workspace.location, "swedencentral");
    assert.equal(workspace.retentionInDays, 90);
    const setting = one(p, "azure-native:monitor:DiagnosticSetting");
    const logs = setting.inputs.logs as { category: string; enabled: boolean }[];
    assert.deepEqual(logs.map((l) => l.category).sort(), ["guard", "kube-audit-admin"]);
    assert.ok(logs.every((l) => l.enabled));
    assert.ok(setting.dependencies.includes(one(p, "azure-native:containerservice:ManagedCluster").urn));
  });

  it("keeps a year of audit logs in prod", async () => {
    const workspace = one(await plan("aks-eu", { "gpu-platform:environment": "prod" }), "azure-native:operationalinsights:Workspace").inputs;
    assert.equal(workspace.retentionInDays, 365);
  });
});
