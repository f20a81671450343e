import * as path from "path";
import { readStackFile } from "../../plan/stack-files";
import { StackConfigError } from "../../stacks/errors";
import { PlatformConfig, isTextSetting, parseStackConfig } from "../../stacks/load";

const root = path.resolve(__dirname, "../..");

/** The dev stack's raw settings, each `gpu-platform:` setting as a parsed value. */
export function devSettings(): Record<string, unknown> {
  return stackSettings("dev");
}

/** A shipped stack's raw settings, each `gpu-platform:` setting as a parsed value. */
export function stackSettings(stack: string): Record<string, unknown> {
  const { config } = readStackFile(root, stack);
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("gpu-platform:"))
      .map(([key, text]) => {
        const name = key.slice("gpu-platform:".length);
        return [name, isTextSetting(name) ? text : JSON.parse(text)];
      }),
  );
}

/** Parses settings as the program would (values given as YAML would be). */
export function parse(settings: Record<string, unknown>, stack = "dev"): PlatformConfig {
  const raw = Object.fromEntries(
    Object.entries(settings)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [`gpu-platform:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return parseStackConfig(stack, raw);
}

/** The dev settings with changes applied; `undefined` removes a setting. */
export function devWith(changes: Record<string, unknown>): Record<string, unknown> {
  return stackWith("dev", changes);
}

/** A shipped stack's settings with changes applied; `undefined` removes a setting. */
export function stackWith(stack: string, changes: Record<string, unknown>): Record<string, unknown> {
  return { ...stackSettings(stack), ...changes };
}

/** The message of the StackConfigError that parsing raises. */
export function configError(settings: Record<string, unknown>): string {
  try {
    parse(settings);
  } catch (error) {
    if (error instanceof StackConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a StackConfigError, but the settings were accepted");
}
