/**
 * `npm run plan -- [--stack NAME] [--json FILE] [--markdown FILE] [--html FILE] [--against PLAN.json]`:
 * what `pulumi up` would create for a stack, what it costs, how long it takes and what the policy
 * pack says, computed offline from the real program under mocks. No credentials, no Pulumi CLI.
 */
import * as fs from "fs";
import { StackConfigError } from "../stacks/errors";
import { checkPolicies, planStack, previewJson } from "./plan";
import { buildReport } from "./report/build";
import { SavedPlan, diffPlans } from "./report/diff";
import { renderHtml } from "./report/html";
import { formatUsd as usd } from "../policy/cost";
import { renderMarkdown } from "./report/markdown";
import { mandatoryViolations, renderPolicyReport } from "./policies";
import { renderTree } from "./tree";

interface Options {
  stack: string;
  json?: string;
  markdown?: string;
  html?: string;
  /** A plan saved earlier with --json, to diff against. */
  against?: string;
  /** Directory holding Pulumi.yaml and the stack files; the project's own by default. */
  root?: string;
}

const flags = ["--stack", "--json", "--markdown", "--html", "--against", "--root"];
const usage = "usage: npm run plan -- [--stack NAME] [--json FILE] [--markdown FILE] [--html FILE] [--against PLAN.json] [--root DIR]";

function parseArgs(argv: string[]): Options {
  const options: Options = { stack: "dev" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flags.includes(flag)) throw new UsageError(`unknown argument ${flag}`);
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    options[flag.slice(2) as keyof Options] = value;
    i++;
  }
  return options;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  try {
    const plan = await planStack(options.stack, {}, options.root);
    console.log(renderTree(plan));
    const policies = await checkPolicies(plan);
    let report = buildReport(plan, policies);
    if (options.against) {
      const saved = JSON.parse(fs.readFileSync(options.against, "utf8")) as SavedPlan;
      report = { ...report, diff: diffPlans(saved, plan, report.cost, options.against) };
    }
    console.log(`\n${renderPolicyReport(policies)}`);
    console.log(`\nCost: ${usd(report.cost.idleMonthly)} a month idle, ${usd(report.cost.worstCaseMonthly)} at every pool's bound (${report.cost.region}).`);
    if (report.apiAccess) console.log(`API access: ${report.apiAccess.summary}`);
    if (report.gateway) {
      const limits = report.gateway.teams.map((t) => `${t.team} ${t.requestsPerMinute ?? "no"} req/min${t.tokensPerMinute ? `, ${t.tokensPerMinute} tokens/min` : ""}`).join("; ");
      console.log(`Inference gateway: ${report.gateway.endpoint}, ${report.gateway.exposure}. Limits: ${limits || "no teams"}.`);
    }
    if (report.conformance) {
      const rows = report.conformance.rows;
      const musts = rows.filter((r) => r.level === "MUST");
      const missing = musts.filter((r) => r.status !== "met").map((r) => r.id);
      console.log(`AI Conformance v${report.conformance.minor}: ${musts.length - missing.length}/${musts.length} MUST met${missing.length ? ` (not: ${missing.join(", ")})` : ""}; SHOULD met: ${rows.filter((r) => r.level === "SHOULD" && r.status === "met").map((r) => r.id).join(", ") || "none"}.`);
    }
    if (report.coldStart) {
      const pools = report.coldStart.rows.map((r) => `${r.pool}/${r.runtime} ${r.seconds} s${r.meetsGoal ? "" : " (over the goal)"}`).join("; ");
      console.log(`Cold start (modelled, 8B model from zero): ${pools}; goal ${report.coldStart.goalSeconds} s.`);
    }
    for (const step of report.destroy) console.log(`Destroy: ${step}`);
    console.log(`Modelled first rollout: ${report.rollout.minutes.toFixed(1)} minutes; critical path: ${report.rollout.path.map((s) => s.name).join(" → ")}`);
    if (report.diff) console.log(`Against ${report.diff.against}: ${report.diff.added.length} added, ${report.diff.removed.length} removed, ${report.diff.changed.length} changed.`);
    const outputs: [string | undefined, () => string][] = [
      [options.json, () => `${JSON.stringify(previewJson(plan, policies, report), null, 2)}\n`],
      [options.markdown, () => renderMarkdown(report)],
      [options.html, () => renderHtml(report)],
    ];
    for (const [file, render] of outputs) {
      if (!file) continue;
      fs.writeFileSync(file, render());
      console.log(`Wrote ${file}`);
    }
    // A mandatory violation fails the plan, as it fails `pulumi preview --policy-pack`.
    return mandatoryViolations(policies).length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof StackConfigError) {
      console.error(error.message);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/^no stack file/.test(message)) {
      console.error(message);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(3);
  },
);
