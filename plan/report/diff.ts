/**
 * What a change does, against a plan saved earlier (`--json` of main, say): resources added,
 * removed and changed, and the cost delta.
 */
import type { Plan } from "../program";
import type { CostReport, PlanDiff } from "./model";
import { replacingChanges } from "./replacements";

/** The parts of a saved `--json` plan the diff reads. */
export interface SavedPlan {
  readonly steps: readonly { readonly urn: string; readonly newState: { readonly type: string; readonly inputs: Record<string, unknown> } }[];
  readonly cost?: Pick<CostReport, "idleMonthly" | "worstCaseMonthly">;
}

/** JSON with keys in a stable order, so equal values compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function diffPlans(saved: SavedPlan, current: Plan, cost: CostReport, against: string): PlanDiff {
  const before = new Map(saved.steps.map((s) => [s.urn, s.newState.inputs]));
  const after = new Map(current.resources.map((r) => [r.urn, r.inputs]));
  const types = new Map(current.resources.map((r) => [r.urn, r.type]));
  const changed: PlanDiff["changed"][number][] = [];
  for (const [urn, inputs] of after) {
    const old = before.get(urn);
    if (!old) continue;
    const fields = [...new Set([...Object.keys(old), ...Object.keys(inputs)])].filter((k) => canonical(old[k]) !== canonical(inputs[k])).sort();
    if (fields.length > 0) changed.push({ urn, fields, replaces: replacingChanges(types.get(urn) ?? "", old, inputs) });
  }
  return {
    against,
    added: [...after.keys()].filter((urn) => !before.has(urn)).sort(),
    removed: [...before.keys()].filter((urn) => !after.has(urn)).sort(),
    changed: changed.sort((a, b) => a.urn.localeCompare(b.urn)),
    ...(saved.cost ? {
      idleMonthlyDelta: cost.idleMonthly - saved.cost.idleMonthly,
      worstCaseMonthlyDelta: cost.worstCaseMonthly - saved.cost.worstCaseMonthly,
    } : {}),
  };
}
