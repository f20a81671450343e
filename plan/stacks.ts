/**
 * `npm run --silent stacks`: the shipped stacks as a JSON list of {stack, cloud, environment,
 * region}, the matrix CI fans out over (preview per stack, deploy non-prod, then prod).
 */
import * as path from "path";
import { listStacks, projectName, readStackFile } from "./stack-files";

const projectRoot = path.resolve(__dirname, "..");

export interface StackEntry {
  readonly stack: string;
  readonly cloud: string;
  readonly environment: string;
  readonly region: string;
  /** Where an existing cluster's kubeconfig is read from (CI writes it there). */
  readonly kubeconfigPath: string;
}

export function stackEntries(root = projectRoot): StackEntry[] {
  const project = projectName(root);
  return listStacks(root).map((stack) => {
    const { config } = readStackFile(root, stack);
    const setting = (key: string) => config[`${project}:${key}`] ?? "";
    let kubeconfigPath = "";
    try {
      kubeconfigPath = (JSON.parse(setting("existing") || "{}") as { kubeconfigPath?: string }).kubeconfigPath ?? "";
    } catch {
      kubeconfigPath = "";
    }
    return { stack, cloud: setting("cloud"), environment: setting("environment"), region: setting("region"), kubeconfigPath };
  });
}

if (require.main === module) {
  const environments = process.argv.slice(2);
  const entries = stackEntries().filter((entry) => environments.length === 0 || environments.includes(entry.environment));
  console.log(JSON.stringify(entries));
}
