/**
 * Runs the CrossGuard pack over a plan the way `pulumi preview --policy-pack` does: every resource
 * through each resource rule (on its inputs), then the whole stack through each stack rule, with
 * enforcement levels and parameters from the pack config of the stack's environment.
 */
import type {
  EnforcementLevel, PolicyConfigSchema, PolicyPackConfig, PolicyResource, ResourceValidationArgs,
  ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { policies as allPolicies } from "../policy/policies";
import type { Plan, PlannedResource } from "./program";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface PolicyViolation {
  readonly policyName: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn?: string;
  readonly message: string;
}

export interface PolicyReport {
  /** Every rule with the level it ran at (`disabled` ones did not run). */
  readonly policies: { name: string; enforcementLevel: EnforcementLevel }[];
  readonly violations: PolicyViolation[];
  readonly configFile?: string;
}

export const policyConfigDir = path.resolve(__dirname, "../policy/config");

/** The pack config for an environment: policy/config/<environment>.json, or none. */
export function policyConfigFor(environment: string, dir = policyConfigDir): { config: PolicyPackConfig; file?: string } {
  const file = path.join(dir, `${environment}.json`);
  if (!fs.existsSync(file)) return { config: {} };
  return { config: JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig, file };
}

/** Specific config over `all` over the rule's own level, as the Pulumi CLI resolves it. */
export function enforcementOf(policy: AnyPolicy, config: PolicyPackConfig): EnforcementLevel {
  const level = (entry: unknown) => (typeof entry === "string" ? entry : (entry as { enforcementLevel?: string } | undefined)?.enforcementLevel) as EnforcementLevel | undefined;
  return level(config[policy.name]) ?? level(config.all) ?? policy.enforcementLevel ?? "advisory";
}

/** Schema defaults, then the config's values for the rule. */
export function policyConfigOf(policy: AnyPolicy, config: PolicyPackConfig): Record<string, unknown> {
  const schema: PolicyConfigSchema | undefined = policy.configSchema;
  const defaults = Object.fromEntries(Object.entries(schema?.properties ?? {}).filter(([, p]) => "default" in p).map(([k, p]) => [k, (p as { default: unknown }).default]));
  const entry = config[policy.name];
  const given = typeof entry === "object" && entry !== null ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "enforcementLevel")) : {};
  return { ...defaults, ...given };
}

class NotApplicable extends Error {}

/** Planned resources as CrossGuard's PolicyResource graph (parents, dependencies, providers linked). */
function policyResources(plan: Plan): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = plan.resources.map((r) => {
    const resource = {
      type: r.type,
      props: r.inputs,
      urn: r.urn,
      name: r.name,
      opts: { protect: r.protect, ignoreChanges: r.ignoreChanges, aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(r.parent ? { parent: r.parent } : {}) },
      dependencies: [] as PolicyResource[],
      propertyDependencies: {},
      isType: (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === r.type,
      asType: (cls: unknown) => ((cls as { __pulumiType?: string }).__pulumiType === r.type ? r.inputs : undefined),
    } as unknown as PolicyResource;
    byUrn.set(r.urn, resource);
    return { planned: r, resource };
  });
  const providerOf = (r: PlannedResource) => (r.provider ? byUrn.get(r.provider) : undefined);
  for (const { planned, resource } of resources) {
    const mutable = resource as { parent?: PolicyResource; provider?: PolicyResource; dependencies: PolicyResource[] };
    mutable.parent = planned.parent ? byUrn.get(planned.parent) : undefined;
    mutable.provider = providerOf(planned);
    mutable.dependencies = planned.dependencies.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
  }
  return resources.map((r) => r.resource);
}

/** Evaluates the pack (or the given rules) over a plan. */
export async function evaluatePolicies(plan: Plan, config: PolicyPackConfig, policies: readonly AnyPolicy[] = allPolicies): Promise<PolicyReport> {
  const resources = policyResources(plan);
  const violations: PolicyViolation[] = [];
  const report: PolicyReport["policies"] = [];
  for (const policy of policies) {
    const enforcementLevel = enforcementOf(policy, config);
    report.push({ name: policy.name, enforcementLevel });
    if (enforcementLevel === "disabled") continue;
    const getConfig = <T extends object>() => policyConfigOf(policy, config) as T;
    const notApplicable = (): never => {
      throw new NotApplicable();
    };
    const common = { getConfig, notApplicable, stackTags: new Map<string, string>() };
    const run = async (check: () => Promise<void> | void) => {
      try {
        await check();
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    };
    if ("validateStack" in policy) {
      const args = { ...common, resources } as unknown as StackValidationArgs;
      await run(() => policy.validateStack(args, (message, urn) => violations.push({ policyName: policy.name, enforcementLevel, urn, message })));
      continue;
    }
    const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const resource of resources) {
      const args = { ...common, ...resource } as unknown as ResourceValidationArgs;
      for (const validate of validations) {
        await run(() => validate(args, (message, urn) => violations.push({ policyName: policy.name, enforcementLevel, urn: urn ?? resource.urn, message })));
      }
    }
  }
  return { policies: report, violations };
}

export function mandatoryViolations(report: PolicyReport): PolicyViolation[] {
  return report.violations.filter((v) => v.enforcementLevel === "mandatory");
}

/** Violations grouped by rule, for the console. */
export function renderPolicyReport(report: PolicyReport): string {
  const lines = [`Policies: ${report.policies.filter((p) => p.enforcementLevel !== "disabled").length} rules${report.configFile ? ` (config ${path.relative(process.cwd(), report.configFile)})` : ""}`];
  if (report.violations.length === 0) return [...lines, "  no violations"].join("\n");
  const byRule = new Map<string, PolicyViolation[]>();
  for (const v of report.violations) byRule.set(v.policyName, [...(byRule.get(v.policyName) ?? []), v]);
  for (const [rule, found] of byRule) {
    lines.push(`  [${found[0].enforcementLevel}] ${rule}`);
    for (const v of found) lines.push(`    - ${v.message}`);
  }
  const mandatory = mandatoryViolations(report).length;
  lines.push(`${report.violations.length} violation(s), ${mandatory} mandatory`);
  return lines.join("\n");
}
