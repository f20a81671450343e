import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policy/policies";
import { checkPolicies, previewJson } from "../../plan/plan";
import { enforcementOf, mandatoryViolations, policyConfigDir, policyConfigFor, renderPolicyReport } from "../../plan/policies";
import { listStacks } from "../../plan/stack-files";
import { plan } from "../helpers/plan";

const root = path.resolve(__dirname, "../..");

describe("policy pack in the offline plan", () => {
  for (const stack of listStacks(root)) {
    it(`finds no mandatory violation in the shipped stack ${stack}`, async () => {
      const report = await checkPolicies(await plan(stack));
      assert.deepEqual(mandatoryViolations(report).map((v) => `${v.policyName}: ${v.message}`), []);
      assert.equal(report.policies.length, policies.length);
    });
  }

  it("writes rules and violations into the preview JSON", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] });
    const json = previewJson(p, await checkPolicies(p));
    assert.ok(json.policies!.some((r) => r.name === "gpu-spend-within-budget" && r.enforcementLevel === "mandatory"));
    const violation = json.policyViolations!.find((v) => v.policyName === "gpu-capacity-scales-to-zero-outside-prod")!;
    assert.equal(violation.enforcementLevel, "mandatory");
    assert.match(String(violation.urn), /NodeGroup/);
    assert.match(violation.message, /keeps 1 GPUs running while idle/);
  });

  it("groups violations by rule on the console and counts the mandatory ones", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] });
    const text = renderPolicyReport(await checkPolicies(p));
    assert.match(text, /\[mandatory\] gpu-capacity-scales-to-zero-outside-prod\n {4}- /);
    assert.match(text, /1 violation\(s\), 1 mandatory|\d+ violation\(s\), \d+ mandatory/);
  });

  it("fails the plan command on a mandatory violation", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const stack = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8").replace("baselineNodes: 0", "baselineNodes: 1");
    fs.writeFileSync(path.join(dir, "Pulumi.idle.yaml"), stack);
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(root, "plan/cli.ts"), "--root", dir, "--stack", "idle"], { encoding: "utf8", cwd: root });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /\[mandatory\] gpu-capacity-scales-to-zero-outside-prod/);
  });

  describe("pack configuration", () => {
    const environments = ["dev", "staging", "prod"];

    it("resolves a rule's level from its own entry, then `all`, then the rule", () => {
      const spot = policies.find((p) => p.name === "gpu-capacity-prefers-spot-outside-prod")!;
      assert.equal(enforcementOf(spot, {}), "advisory");
      assert.equal(enforcementOf(spot, { all: "mandatory" }), "mandatory");
      assert.equal(enforcementOf(spot, { all: "mandatory", [spot.name]: { enforcementLevel: "disabled" } }), "disabled");
    });

    it("has one file per environment naming only known rules and parameters of the right type", () => {
      for (const environment of environments) {
        const { config, file } = policyConfigFor(environment);
        assert.ok(file, `policy/config/${environment}.json`);
        for (const [rule, entry] of Object.entries(config)) {
          if (rule === "all") continue;
          const policy = policies.find((p) => p.name === rule);
          assert.ok(policy, `${environment}: unknown rule ${rule}`);
          if (typeof entry !== "object") continue;
          for (const [key, value] of Object.entries(entry)) {
            if (key === "enforcementLevel") continue;
            const schema = policy.configSchema?.properties[key] as { type?: string } | undefined;
            assert.ok(schema, `${environment}: ${rule} has no parameter ${key}`);
            const type = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
            assert.ok(schema.type === type || (schema.type === "number" && type === "integer"), `${environment}: ${rule}.${key} is ${type}, expected ${schema.type}`);
          }
        }
      }
    });

    it("is stricter in prod: nothing mandatory in dev is relaxed there", () => {
      const dev = policyConfigFor("dev").config;
      const prod = policyConfigFor("prod").config;
      for (const policy of policies) {
        if (enforcementOf(policy, dev) === "mandatory") assert.equal(enforcementOf(policy, prod), "mandatory", policy.name);
      }
      assert.equal(enforcementOf(policies.find((p) => p.name === "team-gpu-quotas-fit-capacity")!, prod), "mandatory");
      assert.equal(enforcementOf(policies.find((p) => p.name === "team-gpu-quotas-fit-capacity")!, dev), "advisory");
      assert.ok(fs.existsSync(path.join(policyConfigDir, "..", "PulumiPolicy.yaml")));
    });
  });
});
