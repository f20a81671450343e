/** Assembles a report from a plan, its stack settings and its policy results. */
import { parseStackConfig } from "../../stacks/load";
import type { PolicyReport } from "../policies";
import type { Plan } from "../program";
import { modelCost } from "./cost";
import { platformGraph } from "./graph";
import type { PlanReport } from "./model";
import { modelRollout } from "./rollout";

export function buildReport(plan: Plan, policies: PolicyReport): PlanReport {
  const config = parseStackConfig(plan.stack, plan.config);
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const addons = plan.resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => ({ release: String(r.inputs.name), chart: String(r.inputs.chart), version: String(r.inputs.version), namespace: String(r.inputs.namespace ?? "") }))
    .sort((a, b) => a.release.localeCompare(b.release));
  return {
    project: plan.project,
    stack: plan.stack,
    cloud: config.cloud,
    region: config.region,
    jurisdiction: config.jurisdiction,
    environment: config.environment,
    resourceCount: plan.resources.length,
    resourcesByType: [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type)),
    addons,
    policies,
    cost: modelCost(config),
    rollout: modelRollout(plan),
    graph: platformGraph(plan, config),
  };
}
