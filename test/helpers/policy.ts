import type { PolicyPackConfig } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { PolicyViolation, evaluatePolicies } from "../../plan/policies";
import type { Plan, PlannedResource } from "../../plan/program";

type Inputs = Record<string, unknown>;

/** A copy of a plan with the inputs of matching resources changed. */
export function changed(plan: Plan, type: string, change: (inputs: Inputs, resource: PlannedResource) => Inputs | void, nameSuffix = ""): Plan {
  let hits = 0;
  const resources = plan.resources.map((r) => {
    if (r.type !== type || !r.name.endsWith(nameSuffix)) return r;
    hits++;
    const inputs = structuredClone(r.inputs);
    return { ...r, inputs: change(inputs, r) ?? inputs };
  });
  if (hits === 0) throw new Error(`no ${type} named *${nameSuffix} in the plan`);
  return { ...plan, resources };
}

/** A copy of a plan with one more resource. */
export function withResource(plan: Plan, type: string, name: string, inputs: Inputs, extra: Partial<PlannedResource> = {}): Plan {
  const resource: PlannedResource = { urn: `urn:pulumi:${plan.stack}::${plan.project}::${type}::${name}`, type, name, custom: true, dependencies: [], protect: false, ignoreChanges: [], deleteBeforeReplace: false, inputs, ...extra };
  return { ...plan, resources: [...plan.resources, resource] };
}

/** A copy of a plan with some resources removed. */
export function without(plan: Plan, keep: (r: PlannedResource) => boolean): Plan {
  return { ...plan, resources: plan.resources.filter(keep) };
}

/** What one rule reports for a plan, with the pack's own levels unless a config is given. */
export async function violations(rule: string, plan: Plan, config: PolicyPackConfig = {}): Promise<PolicyViolation[]> {
  const policy = policies.find((p) => p.name === rule);
  if (!policy) throw new Error(`no rule ${rule}`);
  return (await evaluatePolicies(plan, config, [policy])).violations;
}

export const messages = (found: PolicyViolation[]) => found.map((v) => v.message).join("\n");
