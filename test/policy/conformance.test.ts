import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { conformance } from "../../policy/conformance";
import { checkPolicies } from "../../plan/plan";
import type { Plan } from "../../plan/program";
import { buildReport } from "../../plan/report/build";
import { renderMarkdown } from "../../plan/report/markdown";
import { plan } from "../helpers/plan";
import { messages, violations } from "../helpers/policy";

// An existing cluster has no cluster resource to read the minor from; the stack's setting says it.
const rowsOf = (p: Plan) => conformance(p.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs })), "1.35")!.rows;
const row = (p: Plan, id: string) => rowsOf(p).find((r) => r.id === id)!;

describe("Kubernetes AI Conformance, read off the plan", () => {
  it("meets every MUST of the v1.35 checklist on EKS, GKE and AKS, and says through what", async () => {
    for (const stack of ["dev", "eu-prod", "gke-eu", "aks-eu"]) {
      const rows = rowsOf(await plan(stack));
      const musts = rows.filter((r) => r.level === "MUST");
      assert.equal(musts.length, 9, stack);
      for (const must of musts) {
        assert.equal(must.status, "met", `${stack}: ${must.id} (${must.fix})`);
        assert.ok(must.evidence.length > 0, `${stack}: ${must.id} names what meets it`);
      }
      assert.equal(rows.filter((r) => r.level === "SHOULD").length, 3);
    }
  });

  it("flips a row when the add-on behind it is switched off, and says what to change", async () => {
    const off = async (addon: string) => plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, [addon]: { enabled: false } } });
    assert.deepEqual([row(await off("gateway"), "ai_inference").status, row(await off("gateway"), "ai_inference").fix], ["not met", "switch the inference gateway on (addons.gateway.enabled)"]);
    assert.match(row(await off("keda"), "pod_autoscaling").fix!, /addons\.keda\.enabled/);
    assert.match(row(await off("kueue"), "gang_scheduling").fix!, /addons\.kueue\.enabled/);
    const noMonitoring = await off("monitoring");
    assert.equal(row(noMonitoring, "accelerator_metrics").status, "not met");
    assert.equal(row(noMonitoring, "ai_service_metrics").status, "not met");
  });

  it("says where an existing cluster falls short: the platform does not scale its nodes", async () => {
    const autoscaling = row(await plan("onprem"), "cluster_autoscaling");
    assert.equal(autoscaling.status, "not met");
    assert.match(autoscaling.fix!, /does not scale an existing cluster's nodes/);
  });

  it("checks the v1.36 checklist's three added SHOULDs on a 1.36 stack", async () => {
    const rows = rowsOf(await plan("dev", { "gpu-platform:kubernetesVersion": "1.36" }));
    assert.deepEqual(rows.filter((r) => r.level === "SHOULD").map((r) => r.id).slice(-3), ["advanced_inference_ingress", "high_performance_networking", "disaggregated_inference"]);
  });

  it("matches the README's table for every shipped stack", async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Kubernetes AI Conformance"), readme.indexOf("On 1.36 the checklist"));
    const stacks = ["dev", "eu-prod", "gke-eu", "aks-eu", "onprem"];
    const lines = section.split("\n").filter((l) => /^\| `[a-z_]+` \|/.test(l));
    assert.equal(lines.length, 12);
    for (const stack of stacks) {
      const rows = rowsOf(await plan(stack));
      for (const line of lines) {
        const cells = line.split("|").map((c) => c.trim().replace(/\*\*/g, ""));
        const id = cells[1].replace(/`/g, "");
        const said = cells[3 + stacks.indexOf(stack)];
        const status = rows.find((r) => r.id === id)!.status;
        assert.equal(said, status === "not applicable" ? "n/a" : status, `${stack} ${id}`);
      }
    }
  });

  it("shows the table in the report, and the pack flags a prod stack missing a MUST, advisory by default", async () => {
    const p = await plan("eu-prod");
    assert.match(renderMarkdown(buildReport(p, await checkPolicies(p))), /### Kubernetes AI Conformance \(v1\.35 checklist\)\n\n\| Requirement \| Level \| Status/);
    assert.equal(messages(await violations("ai-conformance-musts-met", p)), "");
    const noGateway = await plan("eu-prod", { "gpu-platform:addons": { gateway: { enabled: false } } });
    const found = await violations("ai-conformance-musts-met", noGateway);
    assert.match(messages(found), /AI Conformance v1\.35 MUST ai_inference is not met: switch the inference gateway on/);
    assert.equal(found[0].enforcementLevel, "advisory");
    assert.equal(messages(await violations("ai-conformance-musts-met", await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false } } }))), "", "only prod stacks");
  });
});
