import { planStack } from "../../plan/plan";
import { Plan, PlannedResource, waitsFor } from "../../plan/program";

const cache = new Map<string, Promise<Plan>>();

/** Plans a shipped stack, optionally with settings overridden; repeated calls share one run. */
export function plan(stack: string, overrides: Record<string, unknown> = {}): Promise<Plan> {
  const key = `${stack}:${JSON.stringify(overrides)}`;
  if (!cache.has(key)) {
    // Runs are queued: the mock runtime is one per process.
    const previous = [...cache.values()].pop() ?? Promise.resolve(undefined);
    cache.set(key, previous.catch(() => undefined).then(() => planStack(stack, overrides)));
  }
  return cache.get(key)!;
}

export function ofType(p: Plan, type: string): PlannedResource[] {
  return p.resources.filter((r) => r.type === type);
}

export function one(p: Plan, type: string, nameSuffix = ""): PlannedResource {
  const found = ofType(p, type).filter((r) => r.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}`);
  return found[0];
}

/** The Helm release with this release name, or undefined when the stack does not install it. */
export function release(p: Plan, name: string): PlannedResource | undefined {
  return p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === name);
}

/**
 * Everything each resource waits for, directly or not (dependencies and providers): what Pulumi
 * creates before it and deletes after it.
 */
export function prerequisites(p: Plan): (r: PlannedResource) => Set<string> {
  const byUrn = new Map(p.resources.map((r) => [r.urn, r]));
  const memo = new Map<string, Set<string>>();
  const all = (r: PlannedResource): Set<string> => {
    if (memo.has(r.urn)) return memo.get(r.urn)!;
    const found = new Set<string>();
    memo.set(r.urn, found);
    for (const urn of waitsFor(r).filter((u) => byUrn.has(u))) {
      found.add(urn);
      for (const deeper of all(byUrn.get(urn)!)) found.add(deeper);
    }
    return found;
  };
  return all;
}
