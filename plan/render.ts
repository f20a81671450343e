/**
 * `npm run render -- --stack NAME --charts DIR`: renders every Helm release the stack installs
 * with `helm template`, from a local chart mirror (as sovereign and air-gapped users keep, or
 * filled with `helm pull`), with the values the plan carries, and reports what a real install
 * would trip on. Exits 1 on a finding, 2 when a chart is missing from the mirror.
 */
import * as path from "path";
import { StackConfigError } from "../stacks/errors";
import { planStack } from "./plan";
import { triage } from "./render/accepted";
import { renderStack } from "./render/render-stack";

async function main(argv: string[]): Promise<number> {
  let stack = "dev";
  let charts = "";
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined || !["--stack", "--charts"].includes(flag)) {
      console.error("usage: npm run render -- --stack NAME --charts DIR");
      return 2;
    }
    if (flag === "--stack") stack = value;
    else charts = path.resolve(value);
  }
  if (!charts) {
    console.error("name the chart mirror: npm run render -- --stack NAME --charts DIR");
    return 2;
  }
  const result = renderStack(await planStack(stack), charts);
  for (const r of result.rendered) console.log(`rendered ${r.release} (${r.namespace}): ${r.manifests.length} objects`);
  for (const m of result.missing) console.error(`not in ${charts}: ${m.chart} ${m.version} (release ${m.release}); fetch it with: ${m.pull}`);
  const { failing, accepted } = triage(result.findings);
  const byRelease = new Map<string, string[]>();
  for (const f of failing) byRelease.set(f.release, [...(byRelease.get(f.release) ?? []), `  [${f.check}] ${f.object}: ${f.message}`]);
  for (const [release, lines] of byRelease) console.log(`\n${release}\n${lines.join("\n")}`);
  if (accepted.length > 0) console.log(`\nAccepted (not fixable through values):\n${accepted.map((f) => `  [${f.check}] ${f.object}: ${f.why}`).join("\n")}`);
  console.log(`\n${failing.length} finding(s), ${accepted.length} accepted, in ${result.rendered.length} rendered release(s); ${result.missing.length} chart(s) missing.`);
  if (result.missing.length > 0) return 2;
  return failing.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof StackConfigError ? error.message : error);
    process.exit(error instanceof StackConfigError ? 1 : 3);
  },
);
