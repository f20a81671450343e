/** Assembles a report from a plan, its stack settings and its policy results. */
import { manualSweepCommands } from "../../components/aws/leftovers";
import { apiReach, describeReach } from "../../policy/api-access";
import { parseStackConfig } from "../../stacks/load";
import type { PolicyReport } from "../policies";
import type { Plan } from "../program";

export const leftoverCapacityType = "pulumi-nodejs:dynamic/aws:LeftoverCapacity";
import { modelCost } from "./cost";
import { platformGraph } from "./graph";
import type { ApiAccessReport, PlanReport } from "./model";
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
    apiAccess: apiAccessReport(plan),
    destroy: destroySteps(plan),
  };
}

function apiAccessReport(plan: Plan): ApiAccessReport | undefined {
  const reach = apiReach(plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs })));
  return reach && { summary: describeReach(reach), paths: reach.paths, deployerAdmin: reach.deployerAdmin };
}

/** Karpenter's instances are the one thing a cluster can leave running behind it. */
function destroySteps(plan: Plan): string[] {
  return plan.resources.filter((r) => r.type === leftoverCapacityType).flatMap((r) => {
    const clusterName = String(r.inputs.clusterName);
    const region = String(r.inputs.region);
    return [
      `pulumi destroy terminates every instance Karpenter launched for ${clusterName} and removes the instance profiles it made (${r.name}), after the controller and before the network, even when the cluster is unreachable.`,
      `Without the stack's state, find and terminate them by hand: ${manualSweepCommands(clusterName, region).join(" ; ")}`,
    ];
  });
}
