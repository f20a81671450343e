import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { stackEntries } from "../../plan/stacks";

const root = path.resolve(__dirname, "../..");
const workflowFile = path.join(root, ".github/workflows/platform.yml");
const actionFile = path.join(root, ".github/actions/cloud-login/action.yml");

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; shell?: string };
type Job = { needs?: string | string[]; if?: string; environment?: string; steps: Step[]; permissions?: Record<string, string> };
const workflow = () => parse(fs.readFileSync(workflowFile, "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };

/** GitHub's own workflow parser and schema (actions/languageservices); an ES module. */
async function schemaErrors(file: string): Promise<string[]> {
  const { parseWorkflow, NoOperationTraceWriter } = await import("@actions/workflow-parser");
  const result = parseWorkflow({ name: path.basename(file), content: fs.readFileSync(file, "utf8") }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

describe("CI workflow", () => {
  it("passes GitHub's workflow schema", async () => {
    assert.deepEqual(await schemaErrors(workflowFile), []);
  });

  it("would catch a misspelt key: the schema check itself works", async () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "broken.yml");
    fs.writeFileSync(broken, fs.readFileSync(workflowFile, "utf8").replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"));
    assert.ok((await schemaErrors(broken)).length > 0);
  });

  it("type-checks, tests and plans every stack with policies on every pull request, with no secrets", () => {
    const { on, jobs } = workflow();
    assert.ok("pull_request" in on);
    const offline = jobs.offline;
    assert.equal(offline.if, undefined, "runs for forks too");
    const runs = offline.steps.map((s) => s.run ?? "").join("\n");
    assert.match(runs, /npm ci/);
    assert.match(runs, /npm test/);
    assert.match(runs, /for file in Pulumi\.\*\.yaml[\s\S]*npm run --silent plan -- --stack "\$stack" --json/);
    assert.doesNotMatch(JSON.stringify(offline), /secrets\./);
  });

  it("previews each stack with the policy pack and its environment's config where credentials exist", () => {
    const preview = workflow().jobs.preview;
    assert.match(String(preview.if), /pull_request/);
    const pulumi = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.equal(pulumi.with!.command, "preview");
    assert.equal(pulumi.with!.policyPacks, "policy");
    assert.match(String(pulumi.with!.policyPackConfigs), /policy\/config\/\$\{\{ matrix\.environment \}\}\.json/);
  });

  it("deploys non-prod on merge and prod only after approval, after non-prod", () => {
    const { jobs } = workflow();
    for (const job of [jobs["deploy-nonprod"], jobs["deploy-prod"]]) {
      assert.match(String(job.if), /push/);
      assert.match(String(job.if), /refs\/heads\/main/);
      assert.equal(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!.with!.command, "up");
    }
    assert.equal(jobs["deploy-prod"].environment, "production");
    assert.deepEqual(jobs["deploy-prod"].needs, ["offline", "deploy-nonprod"]);
    assert.equal(jobs["deploy-prod"].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!.with!.policyPackConfigs, "policy/config/prod.json");
  });

  it("checks, before any cloud job runs Pulumi, that its runner may reach the stack's API, and runs EKS and AKS stacks on runners the stacks admit", () => {
    const { jobs } = workflow();
    for (const name of ["preview", "deploy-nonprod", "deploy-prod"]) {
      const job = jobs[name] as Job & { "runs-on": string };
      const check = job.steps.findIndex((s) => /npm run --silent reach -- --stack "\$\{\{ matrix\.stack \}\}" --from/.test(s.run ?? ""));
      const pulumi = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      assert.ok(check >= 0 && check < pulumi, `${name} checks the way in before Pulumi`);
      assert.match(job["runs-on"], /matrix\.cloud != 'gcp' && vars\.(PROD_)?DEPLOY_RUNNER \|\| 'ubuntu-24\.04'/, name);
    }
  });

  it("logs in with short-lived OIDC credentials for every cloud a stack uses", () => {
    const action = parse(fs.readFileSync(actionFile, "utf8")) as { runs: { using: string; steps: Step[] }; inputs: Record<string, unknown> };
    assert.equal(action.runs.using, "composite");
    for (const step of action.runs.steps) assert.ok(step.uses || (step.run && step.shell), "each step uses an action or runs a shell");
    const clouds = new Set(stackEntries().map((s) => s.cloud));
    for (const cloud of clouds) assert.ok(action.runs.steps.some((s) => s.if === `inputs.cloud == '${cloud}'`), `no login for ${cloud}`);
    for (const job of Object.values(workflow().jobs)) {
      if (job.steps.some((s) => s.uses === "./.github/actions/cloud-login")) assert.equal(job.permissions?.["id-token"], "write");
    }
  });

  it("fans out over the shipped stacks with their cloud and environment", () => {
    const entries = stackEntries();
    assert.ok(entries.some((e) => e.environment === "prod" && e.region === "us-east-1"));
    assert.ok(entries.some((e) => e.environment === "prod" && e.region === "eu-central-1"));
    assert.ok(entries.every((e) => e.cloud && e.environment));
  });
});
