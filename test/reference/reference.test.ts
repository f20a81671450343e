import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { listStacks } from "../../plan/stack-files";
import { plan } from "../helpers/plan";
import { chartDefaults, customResourceProblems, isBuiltIn, referenceRoot, unknownValueKeys } from "../helpers/reference";

const root = path.resolve(__dirname, "../..");

/**
 * Charts whose default values are not in the reference set. Each was checked by hand against the
 * upstream tag named in components/versions.ts; anything else without a reference fails.
 */
const checkedByHand = new Set(["kserve-runtime-configs"]);

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

  /** Every stack as written, plus dev with the optional features no stack switches on. */
  const cases: { title: string; stack: string; overrides: Record<string, unknown> }[] = [
    ...listStacks(root).map((stack) => ({ title: `stack ${stack}`, stack, overrides: {} })),
    {
      title: "stack dev with GitOps, every serving runtime and MIG",
      stack: "dev",
      overrides: {
        "gpu-platform:addons": {
          kserve: { runtimes: ["vllm", "huggingface"] },
          argocd: { gitops: { repoURL: "https://git.example.com/ml/serving.git", path: "apps", revision: "main" } },
        },
        "gpu-platform:gpuPools": [
          { name: "l4", gpu: "L4", maxGpus: 8, sharing: { mode: "time-slicing", replicas: 2 } },
          { name: "a100", gpu: "A100", maxGpus: 16, baselineNodes: 1, sharing: { mode: "mig", profile: "all-1g.5gb" } },
        ],
      },
    },
    {
      title: "stack dev on Bottlerocket",
      stack: "dev",
      overrides: {
        "gpu-platform:eks": { gpuNodeImage: "bottlerocket" },
        "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }],
      },
    },
  ];

  for (const { title, stack, overrides } of cases) {
    describe(title, () => {
      it("writes only custom resources that validate against the reference CRDs", async () => {
        const p = await plan(stack, overrides);
        const custom = p.resources.filter((r) => r.type.startsWith("kubernetes:") && typeof r.inputs.apiVersion === "string" && !isBuiltIn(r.inputs.apiVersion));
        assert.ok(custom.length > 0);
        for (const resource of custom) {
          const problems = customResourceProblems(resource.inputs as { apiVersion: string; kind: string });
          assert.deepEqual(problems, [], `${resource.type} ${resource.name}`);
        }
      });

      it("sets only Helm values that exist in each chart at its pinned version", async () => {
        const releases = (await plan(stack, overrides)).resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        for (const release of releases) {
          const chart = referenceChart(String(release.inputs.chart));
          const values = (release.inputs.values ?? {}) as Record<string, unknown>;
          if (!chart && Object.keys(values).length === 0) continue;
          if (!chart) {
            assert.ok(checkedByHand.has(String(release.inputs.chart).split("/").pop()!), `${release.name}: no reference values for ${release.inputs.chart}`);
            continue;
          }
          assert.deepEqual(unknownValueKeys(values, chartDefaults(chart)), [], `${release.name} (${chart})`);
        }
      });
    });
  }
});
