/** Assembles a report from a plan, its stack settings and its policy results. */
import { manualSweepCommands, volumeClusterTag } from "../../components/aws/leftovers";
import { apiReach, describeReach } from "../../policy/api-access";
import { conformance } from "../../policy/conformance";
import { parseStackConfig } from "../../stacks/load";
import type { PolicyReport } from "../policies";
import type { Plan } from "../program";

export const leftoverCapacityType = "pulumi-nodejs:dynamic/aws:LeftoverCapacity";
export const leftoverVolumesType = "pulumi-nodejs:dynamic/aws:LeftoverVolumes";
import { modelCost } from "./cost";
import { modelColdStart } from "./cold-start";
import { gatewayReport } from "./gateway";
import { platformGraph } from "./graph";
import type { AdmissionReportEntry, ApiAccessReport, PlanReport } from "./model";
import { modelRollout } from "./rollout";

export function buildReport(plan: Plan, policies: PolicyReport): PlanReport {
  const config = parseStackConfig(plan.stack, plan.config);
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const addons = plan.resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => ({ release: String(r.inputs.name), chart: String(r.inputs.chart), version: String(r.inputs.version), namespace: String(r.inputs.namespace ?? "") }))
    .sort((a, b) => a.release.localeCompare(b.release));
  const cost = modelCost(config);
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
    cost,
    rollout: modelRollout(plan),
    graph: platformGraph(plan, config),
    apiAccess: apiAccessReport(plan),
    gateway: gatewayReport(plan),
    admission: admissionReport(plan),
    coldStart: modelColdStart(config, cost.modelsAtZero),
    conformance: conformance(plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs })), config.kubernetesVersion),
    destroy: destroySteps(plan),
  };
}

function admissionReport(plan: Plan): AdmissionReportEntry[] {
  type Obj = Record<string, any>;
  const bindings = plan.resources.filter((r) => r.type === "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding").map((r) => r.inputs as Obj);
  return plan.resources.filter((r) => r.type === "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy").map((r) => {
    const metadata = r.inputs.metadata as Obj;
    const binding = bindings.find((b) => b.spec?.policyName === metadata.name);
    const selector = binding?.spec?.matchResources?.namespaceSelector?.matchExpressions?.[0] as Obj | undefined;
    const scope = !selector ? "every namespace"
      : selector.operator === "Exists" ? "team namespaces"
      : `every namespace but ${(selector.values as string[]).join(", ")}`;
    return { name: String(metadata.name), mirrors: String(metadata.annotations?.["gpu-platform.io/mirrors"] ?? ""), actions: binding?.spec?.validationActions ?? [], scope };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

function apiAccessReport(plan: Plan): ApiAccessReport | undefined {
  const reach = apiReach(plan.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.inputs })));
  return reach && { summary: describeReach(reach), paths: reach.paths, deployerAdmin: reach.deployerAdmin };
}

/** What a cluster can leave behind in the account, and how destroy (or a person) removes it. */
function destroySteps(plan: Plan): string[] {
  const of = (type: string) => plan.resources.filter((r) => r.type === type).map((r) => ({ name: r.name, clusterName: String(r.inputs.clusterName), region: String(r.inputs.region) }));
  return [
    ...of(leftoverCapacityType).flatMap(({ name, clusterName, region }) => [
      `pulumi destroy terminates every instance Karpenter launched for ${clusterName} and removes the instance profiles it made (${name}), after the controller and before the network, even when the cluster is unreachable.`,
      `Without the stack's state, find and terminate them by hand: ${manualSweepCommands(clusterName, region).join(" ; ")}`,
    ]),
    ...of(leftoverVolumesType).map(({ name, clusterName, region }) =>
      `pulumi destroy then deletes the cluster's detached EBS volumes (${name}; tag ${volumeClusterTag}=${clusterName}), before the CSI driver goes. Without the state: aws ec2 describe-volumes --region ${region} --filters Name=tag:${volumeClusterTag},Values=${clusterName}`),
  ];
}
