/**
 * `npm run plan -- [--stack NAME] [--json FILE]`: what `pulumi up` would create for a stack,
 * computed offline from the real program under mocks. No credentials, no Pulumi CLI.
 */
import * as fs from "fs";
import { StackConfigError } from "../stacks/errors";
import { checkPolicies, planStack, previewJson } from "./plan";
import { mandatoryViolations, renderPolicyReport } from "./policies";
import { renderTree } from "./tree";

interface Options {
  stack: string;
  json?: string;
  /** Directory holding Pulumi.yaml and the stack files; the project's own by default. */
  root?: string;
}

const flags = ["--stack", "--json", "--root"];

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
    console.error(`${(error as Error).message}\nusage: npm run plan -- [--stack NAME] [--json FILE] [--root DIR]`);
    return 2;
  }
  try {
    const plan = await planStack(options.stack, {}, options.root);
    console.log(renderTree(plan));
    const policies = await checkPolicies(plan, options.root);
    console.log(`\n${renderPolicyReport(policies)}`);
    if (options.json) {
      fs.writeFileSync(options.json, `${JSON.stringify(previewJson(plan, policies), null, 2)}\n`);
      console.log(`\nWrote ${options.json}`);
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
