/**
 * The platform as a picture: planned resources folded into the parts a platform engineer talks
 * about (network, cluster, system nodes, each GPU pool, the autoscaler, storage, each add-on, each
 * team), with an arrow wherever a resource of one part waits for a resource of another.
 */
import type { PlatformConfig } from "../../stacks/load";
import { gpuCapacity } from "../../policy/support";
import { Plan, PlannedResource, waitsFor } from "../program";
import type { ReportGraph, ReportGraphNode } from "./model";

const clusterTypes = new Set(["eks:index:Cluster", "gcp:container/cluster:Cluster", "azure-native:containerservice:ManagedCluster"]);
const autoscalers: Record<string, string> = { aws: "Karpenter", gcp: "GKE cluster autoscaler", azure: "Node Auto Provisioning", existing: "(existing nodes)" };
const clusterKinds: Record<string, string> = { aws: "EKS", gcp: "GKE", azure: "AKS", existing: "Existing cluster" };

/** The label value of a pool on whatever GPU resource carries it. */
function poolOf(r: PlannedResource): string | undefined {
  const props = r.inputs as Record<string, any>;
  const labels = props.spec?.template?.metadata?.labels ?? props.labels ?? props.nodeConfig?.labels ?? props.nodeLabels ?? {};
  return labels["gpu-platform.io/pool"];
}

export function platformGraph(plan: Plan, config: PlatformConfig): ReportGraph {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const ancestors = (r: PlannedResource): PlannedResource[] => {
    const chain: PlannedResource[] = [];
    for (let at = r.parent ? byUrn.get(r.parent) : undefined; at; at = at.parent ? byUrn.get(at.parent) : undefined) chain.push(at);
    return chain;
  };
  const nodes = new Map<string, ReportGraphNode>();
  const add = (node: ReportGraphNode) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };
  const pools = new Map(config.gpuPools.map((p) => [p.name, p]));

  const groupOf = (r: PlannedResource): string | undefined => {
    const chain = ancestors(r).map((a) => a.type);
    const within = (type: string) => chain.includes(type);
    const name = typeof r.inputs.name === "string" ? r.inputs.name : undefined;
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      if (within("gpu-platform:aws:Karpenter")) return add({ id: "autoscaler", label: autoscalers[config.cloud], kind: "autoscaler" });
      const version = typeof r.inputs.version === "string" ? ` ${r.inputs.version}` : "";
      return add({ id: `addon:${name}`, label: `${name}${version}`, kind: "addon" });
    }
    const team = ancestors(r).find((a) => a.type === "gpu-platform:tenancy:TeamNamespace");
    if (team) {
      const teamName = team.name.split("-team-").pop()!;
      const settings = config.teams.find((t) => t.name === teamName);
      const gpus = settings ? Object.values(settings.gpus).reduce((a, b) => a + b, 0) : 0;
      return add({ id: `team:${teamName}`, label: `team ${teamName} (${gpus} GPUs)`, kind: "team" });
    }
    if (within("gpu-platform:addons:KueueQueues")) return add({ id: "addon:kueue-queues", label: "Kueue queues and flavors", kind: "addon" });
    if (within("gpu-platform:addons:GpuMonitoring")) return add({ id: "addon:gpu-monitoring", label: "GPU alerts, dashboard, DCGM scrape", kind: "addon" });
    if (within("gpu-platform:addons:GitOpsBootstrap")) return add({ id: "addon:gitops", label: "GitOps root Application", kind: "addon" });
    const capacity = gpuCapacity({ type: r.type, props: r.inputs, urn: r.urn, name: r.name });
    if (capacity) {
      const pool = pools.get(poolOf(r) ?? "");
      const label = pool ? `GPU pool ${pool.name}: ${pool.gpu}, ${pool.baselineGpus}–${pool.maxGpus} GPUs` : `GPU capacity ${r.name}`;
      return add({ id: `gpu-pool:${pool?.name ?? r.name}`, label, kind: "gpu-pool" });
    }
    if (clusterTypes.has(r.type) || (r.type === "pulumi:providers:kubernetes" && within("gpu-platform:existing:ExistingCluster"))) {
      return add({ id: "cluster", label: `${clusterKinds[config.cloud]} ${config.clusterName} (Kubernetes ${config.kubernetesVersion})`, kind: "cluster" });
    }
    const labels = (r.inputs.labels ?? (r.inputs.nodeConfig as Record<string, any> | undefined)?.labels) as Record<string, string> | undefined;
    if ((r.type === "aws:eks/nodeGroup:NodeGroup" || r.type === "gcp:container/nodePool:NodePool") && labels?.["gpu-platform.io/role"] === "system") {
      return add({ id: "system-nodes", label: `system nodes ${config.systemNodes.instanceType} × ${config.systemNodes.min}–${config.systemNodes.max}`, kind: "system-nodes" });
    }
    if (within("gpu-platform:aws:Karpenter") || within("gpu-platform:azure:NodeProvisioning")) return add({ id: "autoscaler", label: autoscalers[config.cloud], kind: "autoscaler" });
    if (within("gpu-platform:aws:EbsStorage")) return add({ id: "storage", label: "EBS CSI driver, gp3-encrypted", kind: "storage" });
    if (chain.some((type) => /^gpu-platform:(aws|gcp|azure):Network$/.test(type))) return add({ id: "network", label: `network ${config.network.mode === "create" ? config.network.vpcCidr : "(existing)"}`, kind: "network" });
    return undefined;
  };

  const groups = new Map<string, string | undefined>(plan.resources.map((r) => [r.urn, groupOf(r)]));
  const edges = new Set<string>();
  for (const r of plan.resources) {
    const to = groups.get(r.urn);
    if (!to) continue;
    for (const urn of waitsFor(r)) {
      const from = groups.get(urn);
      if (from && from !== to) edges.add(`${from}\u0000${to}`);
    }
  }
  return { nodes: [...nodes.values()], edges: transitiveReduction([...edges].map((e) => e.split("\u0000") as [string, string])) };
}

/** Drops an arrow a → c when a → … → c already says it, so the picture shows direct waits only. */
function transitiveReduction(edges: [string, string][]): { from: string; to: string }[] {
  const next = new Map<string, Set<string>>();
  for (const [from, to] of edges) next.set(from, new Set([...(next.get(from) ?? []), to]));
  const reachableAvoiding = (start: string, target: string, skipDirect: boolean): boolean => {
    const seen = new Set<string>();
    const stack = [...(next.get(start) ?? [])].filter((n) => !(skipDirect && n === target));
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === target) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(next.get(at) ?? []));
    }
    return false;
  };
  return edges.filter(([from, to]) => !reachableAvoiding(from, to, true)).map(([from, to]) => ({ from, to })).sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`));
}
