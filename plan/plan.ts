import * as path from "path";
import { PolicyReport, evaluatePolicies, policyConfigFor } from "./policies";
import { Plan, runProgram } from "./program";
import type { PlanReport } from "./report/model";
import { StackFile, readStackFile } from "./stack-files";

export const projectRoot = path.resolve(__dirname, "..");

/** Plans a stack from its file, with optional setting overrides (`gpu-platform:key` → value). */
export async function planStack(stack: string, overrides: Record<string, unknown> = {}, root = projectRoot): Promise<Plan> {
  const file = readStackFile(root, stack);
  return planStackFile({
    ...file,
    config: { ...file.config, ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])) },
  });
}

/** Plans an in-memory stack file. */
export async function planStackFile(file: StackFile): Promise<Plan> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(path.join(projectRoot, "index.ts"));
  const region = file.config[`${file.project}:region`] ?? "us-east-1";
  return runProgram(file, program, region);
}

/** Runs the policy pack over a plan with the config of the stack's environment. */
export async function checkPolicies(plan: Plan): Promise<PolicyReport> {
  const environment = plan.config[`${plan.project}:environment`] ?? "dev";
  const { config, file } = policyConfigFor(environment);
  return { ...(await evaluatePolicies(plan, config)), configFile: file };
}

/** The plan in the shape of `pulumi preview --json`, so tools that read one can read the other. */
export function previewJson(plan: Plan, policies?: PolicyReport, report?: PlanReport) {
  return {
    steps: plan.resources.map((r) => ({
      op: "create",
      urn: r.urn,
      provider: r.provider,
      newState: {
        type: r.type,
        urn: r.urn,
        custom: r.custom,
        ...(r.parent ? { parent: r.parent } : {}),
        ...(r.provider ? { provider: r.provider } : {}),
        protect: r.protect,
        ...(r.ignoreChanges.length ? { ignoreChanges: r.ignoreChanges } : {}),
        dependencies: r.dependencies,
        inputs: r.inputs,
      },
    })),
    changeSummary: { create: plan.resources.length },
    outputs: plan.outputs,
    ...(policies ? {
      policies: policies.policies,
      policyViolations: policies.violations.map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, ...(v.urn ? { urn: v.urn } : {}), message: v.message })),
    } : {}),
    ...(report ? { cost: report.cost, rollout: report.rollout, apiAccess: report.apiAccess, gateway: report.gateway, admission: report.admission, coldStart: report.coldStart, conformance: report.conformance, destroy: report.destroy, ...(report.diff ? { diff: report.diff } : {}) } : {}),
  };
}
