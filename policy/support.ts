/**
 * What the rules share: reading tags and regions from any cloud's resources, and recognising GPU
 * capacity in its four forms. Rules see resources as CrossGuard gives them (type token and input
 * properties) and import no cloud SDK, so the pack loads fast and runs offline.
 */
import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { findMachine } from "../stacks/gpu-catalog";
import type { RegionCloud } from "../stacks/jurisdictions";

/**
 * The config property of a rule with an admission twin (policy/admission.ts): whether the cluster
 * denies what breaks the rule, or only warns and audits.
 */
export const admissionModeSchema: Record<string, PolicyConfigJSONSchema> = {
  admission: { type: "string", enum: ["deny", "warn"], default: "deny" },
};

/** `mig-*.gpu-platform.io` → an anchored regular expression source; `*` matches any run of characters. */
export function globPattern(pattern: string): string {
  return `^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`;
}

/** On the nodes of a pool kept for the AI Conformance suite (gpuPools[].conformanceTest). */
export const conformanceTestLabel = "gpu-platform.io/conformance-test";

/** A resource as a rule reads it: the part shared by resource and stack validation. */
export type Resource = Pick<ResourceValidationArgs, "type" | "props" | "urn" | "name"> & { opts?: Pick<ResourceValidationArgs["opts"], "protect"> };
export type Props = Record<string, unknown>;

/** Provider properties arrive JSON-encoded; everything else as structures. */
export function decoded(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function asRecord(value: unknown): Props {
  const v = decoded(value);
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {};
}

export function asList(value: unknown): unknown[] {
  const v = decoded(value);
  return Array.isArray(v) ? v : [];
}

/** Props as a record, whatever CrossGuard handed over. */
export const propsOf = (resource: Resource): Props => asRecord(resource.props);

/** The cloud a resource belongs to, from its type token. */
export function cloudOf(type: string): RegionCloud | undefined {
  if (type.startsWith("aws:") || type === "pulumi:providers:aws" || type.startsWith("eks:")) return "aws";
  if (type.startsWith("gcp:") || type === "pulumi:providers:gcp") return "gcp";
  if (type.startsWith("azure-native:") || type === "pulumi:providers:azure-native") return "azure";
  return undefined;
}

/** Tags (labels on Google Cloud) a resource carries or, for providers, gives everything it creates. */
export function tagsOf(resource: Resource): Record<string, string> | undefined {
  const props = propsOf(resource);
  const pick = (value: unknown) => (value === undefined ? undefined : (asRecord(value) as Record<string, string>));
  switch (resource.type) {
    case "pulumi:providers:aws":
      return pick(asRecord(props.defaultTags).tags);
    case "pulumi:providers:gcp":
      return pick(props.defaultLabels);
    case "gcp:container/cluster:Cluster":
      return pick(props.resourceLabels);
  }
  return pick(props.tags) ?? pick(props.labels);
}

/** The value of one tag the platform sets everywhere, read from the first resource that carries it. */
export function platformTag(resources: readonly Resource[], key: string): string | undefined {
  for (const resource of resources) {
    if (cloudOf(resource.type) === undefined) continue;
    const value = tagsOf(resource)?.[key];
    if (value) return value;
  }
  return undefined;
}

/** Environment of a stack: its `environment` tag, or the policy config's, "dev" when neither says. */
export function environmentOf(resources: readonly Resource[], configured?: string): string {
  return platformTag(resources, "environment") ?? configured ?? "dev";
}

/** GPU capacity in any of its forms, reduced to what quota and cost rules need. */
export interface GpuCapacity {
  readonly resource: Resource;
  readonly cloud: RegionCloud;
  readonly kind: "karpenter-node-pool" | "eks-node-group" | "gke-node-pool" | "aks-agent-pool";
  /** Machine types it may start. */
  readonly machines: readonly string[];
  /** GPUs it may hold at most; undefined when nothing bounds it. */
  readonly maxGpus: number | undefined;
  /** GPUs it holds when idle. */
  readonly minGpus: number;
  /** Whether it may use spot capacity. */
  readonly spot: boolean;
  readonly taints: readonly { key?: string; effect?: string }[];
  /** Labels its nodes carry. */
  readonly labels: Readonly<Record<string, unknown>>;
}

const gpusPerMachine = (cloud: RegionCloud, machine: string) => findMachine(cloud, machine)?.machine.gpus;

function karpenterCapacity(resource: Resource): GpuCapacity | undefined {
  const spec = asRecord(propsOf(resource).spec);
  const template = asRecord(asRecord(spec.template).spec);
  const group = asRecord(template.nodeClassRef).group;
  const cloud: RegionCloud | undefined = group === "karpenter.k8s.aws" ? "aws" : group === "karpenter.azure.com" ? "azure" : undefined;
  const requirements = asList(template.requirements).map(asRecord);
  const values = (key: string) => (requirements.find((r) => r.key === key)?.values as string[] | undefined) ?? [];
  const machines = values("node.kubernetes.io/instance-type");
  if (!cloud || !machines.some((m) => gpusPerMachine(cloud, m))) return undefined;
  // `nvidia.com/gpu` counts what nodes advertise (slices on a shared pool); a vCPU limit on
  // machines of one size bounds the nodes, and so the physical GPUs, exactly: it wins where set.
  const limits = asRecord(spec.limits);
  const found = machines.map((m) => findMachine(cloud, m)?.machine).filter((m) => m !== undefined);
  const perMachine = Math.max(...found.map((m) => m.gpus));
  const fewestVcpus = Math.min(...found.map((m) => m.vcpus ?? Infinity));
  const byCpu = limits.cpu !== undefined && Number.isFinite(fewestVcpus) ? Math.floor(Number(limits.cpu) / fewestVcpus) * perMachine : undefined;
  const bounds = byCpu !== undefined ? [byCpu] : limits["nvidia.com/gpu"] !== undefined ? [Number(limits["nvidia.com/gpu"])] : [];
  return {
    resource, cloud, kind: "karpenter-node-pool", machines,
    maxGpus: bounds.length === 0 ? undefined : Math.min(...bounds),
    minGpus: 0,
    spot: values("karpenter.sh/capacity-type").includes("spot"),
    taints: asList(template.taints).map(asRecord),
    labels: asRecord(asRecord(asRecord(spec.template).metadata).labels),
  };
}

function eksNodeGroupCapacity(resource: Resource): GpuCapacity | undefined {
  const props = propsOf(resource);
  const machines = asList(props.instanceTypes) as string[];
  const gpus = Math.max(0, ...machines.map((m) => gpusPerMachine("aws", m) ?? 0));
  if (gpus === 0) return undefined;
  const scaling = asRecord(props.scalingConfig);
  return {
    resource, cloud: "aws", kind: "eks-node-group", machines,
    maxGpus: scaling.maxSize === undefined ? undefined : Number(scaling.maxSize) * gpus,
    minGpus: Number(scaling.minSize ?? 0) * gpus,
    spot: props.capacityType === "SPOT",
    taints: asList(props.taints).map(asRecord),
    labels: asRecord(props.labels),
  };
}

function gkeNodePoolCapacity(resource: Resource): GpuCapacity | undefined {
  const props = propsOf(resource);
  const node = asRecord(props.nodeConfig);
  const accelerators = asList(node.guestAccelerators).map(asRecord);
  if (accelerators.length === 0) return undefined;
  const gpus = accelerators.reduce((sum, a) => sum + Number(a.count ?? 0), 0);
  const autoscaling = asRecord(props.autoscaling);
  const fixed = props.nodeCount === undefined ? undefined : Number(props.nodeCount);
  const maxNodes = autoscaling.totalMaxNodeCount ?? fixed;
  return {
    resource, cloud: "gcp", kind: "gke-node-pool", machines: [String(node.machineType)],
    maxGpus: maxNodes === undefined ? undefined : Number(maxNodes) * gpus,
    minGpus: Number(autoscaling.totalMinNodeCount ?? fixed ?? 0) * gpus,
    spot: node.spot === true || node.preemptible === true,
    taints: asList(node.taints).map(asRecord).map((t) => ({ key: t.key as string, effect: t.effect === "NO_SCHEDULE" ? "NoSchedule" : (t.effect as string) })),
    labels: asRecord(node.labels),
  };
}

function aksAgentPoolCapacity(resource: Resource): GpuCapacity | undefined {
  const props = propsOf(resource);
  const machine = String(props.vmSize ?? "");
  const gpus = gpusPerMachine("azure", machine);
  if (!gpus) return undefined;
  const max = props.enableAutoScaling ? props.maxCount : props.count;
  return {
    resource, cloud: "azure", kind: "aks-agent-pool", machines: [machine],
    maxGpus: max === undefined ? undefined : Number(max) * gpus,
    minGpus: Number((props.enableAutoScaling ? props.minCount : props.count) ?? 0) * gpus,
    spot: props.scaleSetPriority === "Spot",
    taints: asList(props.nodeTaints).map((t) => {
      const [keyValue, effect] = String(t).split(":");
      return { key: keyValue.split("=")[0], effect };
    }),
    labels: asRecord(props.nodeLabels),
  };
}

/** The GPU capacity a resource provides, or undefined when it provides none. */
export function gpuCapacity(resource: Resource): GpuCapacity | undefined {
  switch (resource.type) {
    case "kubernetes:karpenter.sh/v1:NodePool":
      return karpenterCapacity(resource);
    case "aws:eks/nodeGroup:NodeGroup":
      return eksNodeGroupCapacity(resource);
    case "gcp:container/nodePool:NodePool":
      return gkeNodePoolCapacity(resource);
    case "azure-native:containerservice:AgentPool":
      return aksAgentPoolCapacity(resource);
    default:
      return undefined;
  }
}

/** Kubernetes objects are identified by `metadata`; this reads it from a planned resource. */
export function metadataOf(resource: Resource): { name?: string; namespace?: string; labels: Record<string, string>; annotations: Record<string, string> } {
  const metadata = asRecord(propsOf(resource).metadata);
  return {
    name: metadata.name as string | undefined,
    namespace: metadata.namespace as string | undefined,
    labels: asRecord(metadata.labels) as Record<string, string>,
    annotations: asRecord(metadata.annotations) as Record<string, string>,
  };
}

/** The label the platform puts on team namespaces. */
export const teamLabel = "gpu-platform.io/team";
export const podSecurityEnforce = "pod-security.kubernetes.io/enforce";

export type StackResource = PolicyResource;
