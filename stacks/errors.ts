import * as pulumi from "@pulumi/pulumi";

/** One bad setting: where it is, what it holds, and what is allowed instead. */
export interface SettingProblem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly message: string;
}

export const configNamespace = "gpu-platform";

/** `gpuPools[0].maxGpus` → `gpu-platform:gpuPools[0].maxGpus`. */
export function settingName(path: readonly (string | number)[]): string {
  const [head, ...rest] = path;
  const tail = rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("");
  return `${configNamespace}:${String(head ?? "")}${tail}`;
}

function show(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * A stack configuration mistake. Extends `RunError` so that `pulumi up` prints the message alone,
 * without a stack trace, and stops before any resource is registered.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(
    readonly stack: string,
    readonly problems: readonly SettingProblem[],
  ) {
    const lines = problems.map((p) => `  - ${settingName(p.path)} = ${show(p.value)}: ${p.message}`);
    const count = problems.length === 1 ? "a configuration error" : `${problems.length} configuration errors`;
    super(`Stack "${stack}" has ${count} (fix it in Pulumi.${stack}.yaml):\n${lines.join("\n")}`);
    this.name = "StackConfigError";
  }
}
