/**
 * `npm run plan -- [--stack NAME] [--json FILE]`: what `pulumi up` would create for a stack,
 * computed offline from the real program under mocks. No credentials, no Pulumi CLI.
 */
import * as fs from "fs";
import { StackConfigError } from "../stacks/errors";
import { planStack, previewJson } from "./plan";
import { renderTree } from "./tree";

interface Options {
  stack: string;
  json?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { stack: "dev" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--stack" || flag === "--json") && (value === undefined || value.startsWith("--"))) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (flag === "--stack") options.stack = argv[++i];
    else if (flag === "--json") options.json = argv[++i];
    else throw new UsageError(`unknown argument ${flag}`);
  }
  return options;
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run plan -- [--stack NAME] [--json FILE]`);
    return 2;
  }
  try {
    const plan = await planStack(options.stack);
    console.log(renderTree(plan));
    if (options.json) {
      fs.writeFileSync(options.json, `${JSON.stringify(previewJson(plan), null, 2)}\n`);
      console.log(`\nWrote ${options.json}`);
    }
    return 0;
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
