/**
 * Reads a stack's configuration the way the Pulumi CLI does: project defaults from `Pulumi.yaml`,
 * then `Pulumi.<stack>.yaml`, flattened into `namespace:key` → string. Secrets cannot be decrypted
 * offline; they become a placeholder and are reported as secret keys.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export interface StackFile {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export const secretPlaceholder = "[secret]";

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && "secure" in value;
}

export function projectName(root: string): string {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string };
  return project.name;
}

/** Stack names with a `Pulumi.<stack>.yaml` in `root`. */
export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

export function readStackFile(root: string, stack: string): StackFile {
  const project = projectName(root);
  const projectFile = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> };
  const stackPath = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackPath)) {
    throw new Error(`no stack file Pulumi.${stack}.yaml; stacks here: ${listStacks(root).join(", ") || "(none)"}`);
  }
  const stackFile = (parse(fs.readFileSync(stackPath, "utf8")) ?? {}) as { config?: Record<string, unknown> };

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
  // Project-level entries are declarations whose `default` (or `value`) applies to every stack.
  for (const [key, declaration] of Object.entries(projectFile.config ?? {})) {
    const value = typeof declaration === "object" && declaration !== null ? ((declaration as Record<string, unknown>).value ?? (declaration as Record<string, unknown>).default) : declaration;
    if (value !== undefined) config[qualify(key)] = asConfigString(value);
  }
  for (const [key, value] of Object.entries(stackFile.config ?? {})) {
    if (isSecure(value)) {
      config[qualify(key)] = secretPlaceholder;
      secretKeys.push(qualify(key));
    } else {
      config[qualify(key)] = asConfigString(value);
    }
  }
  return { project, stack, config, secretKeys };
}
