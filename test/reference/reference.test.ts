import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../../plan/stack-files";
import { plan } from "../helpers/plan";
import { chartDefaults, customResourceProblems, isBuiltIn, referenceRoot, unknownValueKeys } from "../helpers/reference";

const root = path.resolve(__dirname, "../..");

/** Which reference chart a release's chart reference points at. */
function referenceChart(chart: string): string | undefined {
  const name = chart.split("/").pop()!;
  return fs.existsSync(path.join(referenceRoot, "charts", name, "values.yaml")) ? name : undefined;
}

describe("reference data at the pinned versions", () => {
  it("has the reference folder beside the project", () => {
    assert.ok(fs.existsSync(path.join(referenceRoot, "crds")), `missing ${referenceRoot}`);
  });

  describe("the checkers themselves", () => {
    it("reject a misspelt NodePool field", () => {
      const problems = customResourceProblems({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "x" }, spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu" }, requirements: [], taint: [] } } } });
      assert.ok(problems.some((p) => p.includes("(taint)")), problems.join("; "));
    });

    it("reject a Helm value the chart does not have", () => {
      assert.deepEqual(unknownValueKeys({ settings: { clusterNmae: "x" }, nodeSelector: { "any/label": "y" } }, chartDefaults("karpenter")), ["settings.clusterNmae"]);
    });
  });

  for (const stack of listStacks(root)) {
    describe(`stack ${stack}`, () => {
      it("writes only custom resources that validate against the reference CRDs", async () => {
        const p = await plan(stack);
        const custom = p.resources.filter((r) => r.type.startsWith("kubernetes:") && typeof r.inputs.apiVersion === "string" && !isBuiltIn(r.inputs.apiVersion));
        assert.ok(custom.length > 0);
        for (const resource of custom) {
          const problems = customResourceProblems(resource.inputs as { apiVersion: string; kind: string });
          assert.deepEqual(problems, [], `${resource.type} ${resource.name}`);
        }
      });

      it("sets only Helm values that exist in each chart at its pinned version", async () => {
        const releases = (await plan(stack)).resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        for (const release of releases) {
          const chart = referenceChart(String(release.inputs.chart));
          if (!chart) continue;
          assert.deepEqual(unknownValueKeys(release.inputs.values ?? {}, chartDefaults(chart)), [], `${release.name} (${chart})`);
        }
      });
    });
  }
});
