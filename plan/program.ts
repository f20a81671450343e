/**
 * Runs the real program (index.ts, unchanged) under Pulumi's mock runtime and records every
 * resource registration as `pulumi preview` would see it: type, name, parent, dependencies,
 * options and inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlanMocks } from "./mocks";
import { StackFile } from "./stack-files";

// Pulumi's wire signatures for values that are not plain JSON.
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const outputSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const redacted = "[secret]";

export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly custom: boolean;
  readonly provider?: string;
  readonly dependencies: string[];
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  /** Replaced by deleting first: for cloud objects that allow one of a kind (an access entry per principal). */
  readonly deleteBeforeReplace: boolean;
  /** How long Pulumi waits to delete it, where the default is too short (a NodePool draining GPU nodes). */
  readonly deleteTimeout?: string;
  readonly inputs: Record<string, unknown>;
}

/**
 * What a resource waits for before Pulumi creates it (and outlives it on destroy): its
 * dependencies and its provider. `provider` is already a URN here (`record` drops the id).
 */
export function waitsFor(r: PlannedResource): string[] {
  return r.provider && !r.dependencies.includes(r.provider) ? [...r.dependencies, r.provider] : [...r.dependencies];
}

export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly resources: PlannedResource[];
  /** Stack outputs, secrets redacted. */
  readonly outputs: Record<string, unknown>;
  /** The stack's configuration the program ran with (`namespace:key` → text; secrets redacted). */
  readonly config: Readonly<Record<string, string>>;
}

/** Turns a wire value into plain JSON, hiding secrets and naming resource references by URN. */
export function present(value: unknown): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) return value.map(present);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[sigKey]) {
    case secretSig:
      return redacted;
    case resourceSig:
      return record.urn;
    case outputSig:
      return record.secret ? redacted : present(record.value);
    case undefined:
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, present(v)]));
    default:
      return `[${String(record[sigKey])}]`;
  }
}

/** The parts of a RegisterResourceRequest the plan keeps. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getCustomtimeouts(): { getDelete(): string } | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface RecordingMonitor {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
}

/** A dynamic resource's provider travels as serialized code in its inputs: not something to plan. */
const dynamicProviderKey = "__provider";

function record(req: RegisterRequest, urn: string): PlannedResource {
  const provider = req.getProvider();
  const { [dynamicProviderKey]: _code, ...inputs } = present(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    ...(req.getParent() ? { parent: req.getParent() } : {}),
    custom: req.getCustom(),
    ...(provider ? { provider: provider.split("::").slice(0, -1).join("::") || provider } : {}),
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    protect: req.getProtect() === true,
    ignoreChanges: req.getIgnorechangesList(),
    deleteBeforeReplace: req.getDeletebeforereplace() === true,
    ...(req.getCustomtimeouts()?.getDelete() ? { deleteTimeout: req.getCustomtimeouts()!.getDelete() } : {}),
    inputs,
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** Output internals the SDK does not type publicly: its value and whether it is secret. */
interface OutputInternals {
  promise(): Promise<unknown>;
  isSecret: Promise<boolean>;
}

/** A stack output as it would be shown: its value, or the redaction marker when secret. */
async function settle(value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) {
    return Array.isArray(value) || (value && typeof value === "object") ? settleAll(value) : value;
  }
  const output = value as unknown as OutputInternals;
  return (await output.isSecret) ? redacted : present(await output.promise());
}

async function settleAll(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(settle));
  const entries = await Promise.all(Object.entries(value as Record<string, unknown>).map(async ([k, v]) => [k, await settle(v)] as const));
  return Object.fromEntries(entries);
}

/** The program under plan: index.ts's default export. */
type Program = () => Promise<Record<string, unknown>>;

/** Runs the program for one stack under mocks and returns everything it registered, in order. */
export async function runProgram(stackFile: StackFile, program: Program, region: string): Promise<Plan> {
  pulumi.runtime.setAllConfig(stackFile.config, stackFile.secretKeys);
  await pulumi.runtime.setMocks(new PlanMocks(region), stackFile.project, stackFile.stack, false);

  const resources: PlannedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordingMonitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    resources.push(record(req, monitor.newUrn(req.getParent(), req.getType(), req.getName())));
    return register(req, callback);
  };

  // Keep the program's own outputs: the resolved stack outputs no longer say which were secret.
  let outputs: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => (outputs = await program()));
  await settings.waitForRPCs();
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) shown[key] = await settle(value);
  return { project: stackFile.project, stack: stackFile.stack, config: stackFile.config, resources, outputs: shown };
}
