/** Nothing secret leaves the plan: not in its JSON, its Markdown or its HTML. */
import { strict as assert } from "assert";
import { checkPolicies, previewJson } from "../../plan/plan";
import { shortHash } from "../../plan/mocks/cloud";
import { buildReport } from "../../plan/report/build";
import { renderHtml } from "../../plan/report/html";
import { renderMarkdown } from "../../plan/report/markdown";
import { plan } from "../helpers/plan";

describe("secrets in the plan", () => {
  for (const stack of ["dev", "gke-eu", "aks-eu"]) {
    it(`keeps the kubeconfig and generated passwords of ${stack} out of every output`, async () => {
      const p = await plan(stack);
      const policies = await checkPolicies(p);
      const report = buildReport(p, policies);
      const texts = [JSON.stringify(previewJson(p, policies, report)), renderMarkdown(report), renderHtml(report)];
      // What the mock cloud returned for the secrets (plan/mocks.ts): UI passwords, the AI Gateway's
      // session seed, a gateway API key per team, and the gateway CA's private key.
      const credentials = p.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
      assert.equal(credentials.length, 3 + p.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && /-team-[a-z-]+$/.test(r.name)).length);
      const passwords = credentials.map((r) => shortHash(r.name));
      for (const text of texts) {
        for (const password of passwords) assert.ok(!text.includes(password), `a generated password appears in the ${stack} output`);
        assert.ok(!text.includes("BEGIN PRIVATE KEY"), `the gateway CA's key appears in the ${stack} output`);
        assert.ok(!/certificate-authority-data|client-key-data|"token":/.test(text), "kubeconfig contents appear");
      }
      const provider = p.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
      assert.equal(provider.inputs.kubeconfig, "[secret]");
    });
  }

  it("hands Helm values holding a secret to the cluster only as a secret", async () => {
    const p = await plan("dev");
    const argocd = p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "argocd")!;
    assert.equal((argocd.inputs.values as { configs: { secret: { argocdServerAdminPassword: string } } }).configs.secret.argocdServerAdminPassword, "[secret]");
    const grafana = p.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    assert.equal(grafana.inputs.stringData, "[secret]");
  });
});
