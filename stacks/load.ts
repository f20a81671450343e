/**
 * Reads the stack's settings once, checks them as a whole, and resolves them into the typed
 * `PlatformConfig` the components take. Every mistake is collected and reported together, naming
 * the setting, its value and what is allowed, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { StackConfigError, SettingProblem, configNamespace } from "./errors";
import { GpuMachineType, findMachine, gpuCatalog, gpuModels, machinesFor } from "./gpu-catalog";
import { cidrsOverlap } from "../lib/ipv4";
import { spotOrFlexOnly } from "./gcp-gpu-zones";
import { gpuRegions, offersGpu } from "./gpu-regions";
import { RegionCloud, jurisdictionOf, regionsIn } from "./jurisdictions";
import { Cloud, GpuPoolSettings, StackSettings, iamRoleArn, settingNames, stackConfigSchema, uuid } from "./schema";

/** System node machine types per cloud: what the setting must look like, and the default. */
export const systemMachines: Record<RegionCloud, { pattern: RegExp; example: string; default: string }> = {
  aws: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, example: "an EC2 instance type such as m7i.xlarge", default: "m7i.xlarge" },
  gcp: { pattern: /^[a-z][a-z0-9]*-[a-z0-9-]+$/, example: "a Compute Engine machine type such as n2-standard-4", default: "n2-standard-4" },
  azure: { pattern: /^Standard_[A-Za-z0-9_]+$/, example: "an Azure VM size such as Standard_D4s_v5", default: "Standard_D4s_v5" },
};

/** Settings that belong to one kind of cluster; naming them for another is a mistake worth saying. */
const cloudOnlySettings: Record<string, Cloud> = { eks: "aws", gke: "gcp", aks: "azure", existing: "existing" };

/** Ranges an AKS VNet must avoid: the platform's pod and service ranges (RFC 6598) and AKS's reserved ones. */
export const aksReservedRanges = ["100.64.0.0/10", "169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"];

/** Google Cloud label keys and values: lowercase letters, digits, `_` and `-`, at most 63. */
const gcpLabelKey = /^[a-z][a-z0-9_-]{0,62}$/;
const gcpLabelValue = /^[a-z0-9_-]{0,63}$/;

/** A GPU pool with its machine types resolved from the catalog and its GPU budget split. */
export interface GpuPool extends Omit<GpuPoolSettings, "instanceTypes"> {
  /**
   * `nvidia.com/gpu` a node advertises per physical GPU: the time-slicing replicas, the MIG
   * instances per GPU, or 1. Kueue and namespace quotas count in these units.
   */
  readonly unitsPerGpu: number;
  /** Machine types the pool may launch, smallest first. */
  readonly machines: readonly GpuMachineType[];
  /** The machine type of always-on nodes: the smallest in the pool. */
  readonly baselineMachine: GpuMachineType;
  /** GPUs held by always-on nodes. */
  readonly baselineGpus: number;
  /** GPUs the autoscaler may add on top of the baseline; baseline + burst = maxGpus. */
  readonly burstGpus: number;
}

export type NetworkPlan =
  | { readonly mode: "create"; readonly vpcCidr: string; /** 0: not pinned to zones. */ readonly availabilityZones: number; readonly natGateways: "single" | "perZone"; readonly subnetLayout: "sixZones" | "byZoneCount" }
  | { readonly mode: "existing"; readonly vpcId: string; readonly subnetIds: readonly string[] };

/** The inference gateway's settings with their defaults resolved. */
export interface GatewayPlan extends Omit<StackSettings["addons"]["gateway"], "hostname" | "replicas"> {
  readonly hostname: string;
  readonly replicas: number;
}

export interface PlatformConfig extends Omit<StackSettings, "network" | "gpuPools" | "clusterName" | "eks" | "systemNodes" | "aks" | "addons"> {
  readonly addons: Omit<StackSettings["addons"], "gateway"> & { readonly gateway: GatewayPlan };
  readonly stack: string;
  readonly clusterName: string;
  readonly network: NetworkPlan;
  readonly gpuPools: readonly GpuPool[];
  /** Tags for every cloud resource: the stack's own plus `environment`, `jurisdiction`, `stack` and `managed-by`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Prod stacks protect stateful resources from accidental deletion. */
  readonly protect: boolean;
  readonly eks: StackSettings["eks"] & { readonly logRetentionDays: number };
  readonly aks: StackSettings["aks"] & { readonly tier: "Free" | "Standard" };
  /** The machine type resolved per cloud (empty on an existing cluster, which has its own nodes). */
  readonly systemNodes: { readonly instanceType: string; readonly min: number; readonly max: number };
}

/** Settings whose value is plain text in the stack file; the rest are YAML structures. */
export function isTextSetting(key: string): boolean {
  let schema = (stackConfigSchema.shape as Record<string, z.ZodType>)[key];
  while (schema && ["default", "optional"].includes(schema._zod.def.type)) {
    schema = (schema._zod.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return schema !== undefined && ["string", "enum"].includes(schema._zod.def.type);
}

/** `{"gpu-platform:region": "eu-central-1", ...}` → `{region: "eu-central-1", ...}`. */
function collectSettings(raw: Readonly<Record<string, string>>, problems: SettingProblem[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw)) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace !== configNamespace || key === undefined) continue;
    if (isTextSetting(key)) {
      settings[key] = text;
      continue;
    }
    try {
      settings[key] = JSON.parse(text);
    } catch {
      problems.push({ path: [key], value: text, message: "must be a YAML value of the documented shape (a map, list, number or boolean), not text" });
    }
  }
  return settings;
}

/** Settings earlier versions took, with what to do instead, so an old stack file gets advice rather than "unknown". */
const retiredSettings: Record<string, string> = {
  "gke.controlPlaneCidr": "is no longer used: GKE control planes now use Private Service Connect, which needs no range of yours, and are reached through their DNS endpoint; delete it. " +
    "A cluster created with it (a peered control plane) is replaced on the next pulumi up, since its control-plane range cannot change in place: plan the move like a new cluster",
};

function schemaProblems(error: z.ZodError): SettingProblem[] {
  return error.issues.flatMap((issue): SettingProblem[] => {
    const path = issue.path.map((part) => (typeof part === "symbol" ? String(part) : part));
    if (issue.code === "unrecognized_keys") {
      const known = path.length === 0 ? ` Known settings: ${settingNames.join(", ")}.` : " See the settings reference in README.md.";
      return issue.keys.map((key) => ({
        path: [...path, key],
        value: (issue.input as Record<string, unknown> | undefined)?.[key],
        message: retiredSettings[[...path, key].join(".")] ?? `unknown setting.${known}`,
      }));
    }
    const message = issue.input === undefined ? `is required (${issue.message.replace(/, received undefined$/, "")})` : issue.message;
    return [{ path, value: issue.input, message }];
  });
}

function duplicates(names: readonly string[]): Set<string> {
  return new Set(names.filter((name, i) => names.indexOf(name) !== i));
}

/** Why a node setting cannot apply on an existing cluster. */
const nodesNotOurs = "configures the GPU nodes the platform starts; an existing cluster's nodes are its own";

/** Checks that need more than one setting at once. `provided` are the settings the stack file names. */
function crossCheck(s: StackSettings, provided: ReadonlySet<string>): SettingProblem[] {
  const problems: SettingProblem[] = [...cloudProblems(s, provided)];
  if (s.cloud !== "existing") problems.push(...regionProblems(s, s.cloud));
  problems.push(...poolAndTeamProblems(s));
  problems.push(...accessProblems(s));
  problems.push(...gatewayProblems(s));
  problems.push(...draProblems(s));
  s.gpuPools.forEach((pool, i) => {
    if (!pool.conformanceTest) return;
    const at = (...path: (string | number)[]) => ["gpuPools", i, ...path];
    if (s.cloud === "existing") {
      problems.push({ path: at("conformanceTest"), value: true, message: "describes a pool the platform starts; on an existing cluster, give the suite a pool of your own" });
      return;
    }
    const machines = resolveMachines(pool, s.cloud);
    if (machines.length !== 1 || machines[0].gpus !== 1) {
      problems.push({ path: at("instanceTypes"), value: pool.instanceTypes, message: "the suite's autoscaling test wants one accelerator per node: list exactly one single-GPU machine type" });
    } else if (pool.baselineNodes < 1 || pool.maxGpus < pool.baselineNodes + 1) {
      problems.push({ path: at("baselineNodes"), value: pool.baselineNodes, message: "the suite's autoscaling test wants at least one always-on node and room for one more: baselineNodes ≥ 1 and maxGpus ≥ baselineNodes + 1" });
    }
    for (const team of s.teams.filter((t) => (t.gpus[pool.name] ?? 0) > 0)) {
      problems.push({ path: ["teams", s.teams.indexOf(team), "gpus", pool.name], value: team.gpus[pool.name], message: "the conformance test pool must hold nothing but the suite's pods; give the team quota on another pool" });
    }
  });
  if (s.coldStart.fastImagePull && s.cloud === "aws" && s.eks.gpuNodeImage === "bottlerocket") {
    problems.push({ path: ["coldStart", "fastImagePull"], value: true, message: "is nodeadm's FastImagePull, an AL2023 feature; Bottlerocket has no nodeadm. Use eks.gpuNodeImage al2023 or switch it off" });
  }
  if (s.coldStart.fastImagePull && s.cloud === "existing") {
    problems.push({ path: ["coldStart", "fastImagePull"], value: true, message: nodesNotOurs });
  }
  if (s.modelStore.enabled && s.cloud === "existing") {
    problems.push({ path: ["modelStore", "enabled"], value: true, message: "creates object storage and identities in the stack's cloud account; an existing cluster has none the platform manages" });
  }
  const imageDisk = imageDiskProblem(s);
  if (imageDisk) problems.push({ path: ["coldStart", "imageDisk"], value: s.coldStart.imageDisk, message: imageDisk });
  return problems;
}

/** An EBS snapshot ID (8 or 17 hex digits). */
const ebsSnapshotId = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
/** A Compute Engine image, global to a project (GKE takes either form for a secondary boot disk). */
const gceImagePath = /^(?:projects\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/)?global\/images\/([a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$/;

/** A coldStart.imageDisk on gcp as its project (absent: the cluster's) and image name; undefined when it is not one. */
export function parseDiskImage(path: string): { project?: string; name: string } | undefined {
  const match = gceImagePath.exec(path);
  return match ? { project: match[1], name: match[2] } : undefined;
}

/** Why coldStart.imageDisk cannot be used as written, if it cannot. */
function imageDiskProblem(s: StackSettings): string | undefined {
  const disk = s.coldStart.imageDisk;
  if (disk === undefined) return undefined;
  switch (s.cloud) {
    case "aws":
      if (s.eks.gpuNodeImage !== "bottlerocket") {
        return "is a snapshot of Bottlerocket's data volume (/dev/xvdb, where its containerd keeps images); AL2023 keeps images on the root volume, " +
          "whose snapshot comes from the AMI and cannot be replaced. Set eks.gpuNodeImage to bottlerocket, or use coldStart.fastImagePull on AL2023";
      }
      return ebsSnapshotId.test(disk) ? undefined : "must be an EBS snapshot ID, snap- and 8 or 17 hex digits";
    case "gcp":
      return parseDiskImage(disk) ? undefined : "must be a Compute Engine image, projects/<project>/global/images/<name> or global/images/<name>";
    case "azure":
      return "has no AKS counterpart the platform can attach (AKS's prepared node images are in preview); use coldStart.fastImagePull (Artifact Streaming)";
    case "existing":
      return nodesNotOurs;
  }
}

/** DRA's API (resource.k8s.io/v1) is GA and on by default from this minor. */
export const draMinimumKubernetes = "1.34";

/** Where a DRA pool can run, per cloud, and what it must look like there. */
function draProblems(s: StackSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  s.gpuPools.forEach((pool, i) => {
    if (pool.allocation !== "dra") return;
    const refuse = (path: (string | number)[], value: unknown, message: string) => problems.push({ path: ["gpuPools", i, ...path], value, message });
    if (Number(s.kubernetesVersion.split(".")[1]) < Number(draMinimumKubernetes.split(".")[1])) {
      refuse(["allocation"], "dra", `needs Kubernetes ${draMinimumKubernetes} or later (resource.k8s.io/v1); kubernetesVersion is ${s.kubernetesVersion}`);
    }
    if (pool.sharing.mode === "time-slicing") {
      refuse(["sharing", "mode"], "time-slicing", "a DRA pool hands out whole GPUs or MIG slices: the driver's time-slicing (feature gate TimeSlicingSettings) is alpha and off. Use allocation devicePlugin for a time-sliced pool, or MIG");
    }
    switch (s.cloud) {
      case "azure":
        refuse(["allocation"], "dra", "AKS Node Auto Provisioning, which starts the platform's GPU nodes on azure, does not support Dynamic Resource Allocation; use allocation devicePlugin on azure");
        return;
      case "aws": {
        if (s.eks.gpuNodeImage === "bottlerocket") {
          refuse(["allocation"], "dra", "Bottlerocket runs its own NVIDIA device plugin, which cannot be switched off beside the DRA driver; use eks.gpuNodeImage al2023");
        }
        const machine = resolveMachines(pool, "aws")[0];
        if (machine && (pool.baselineNodes === 0 || pool.baselineNodes * machine.gpus !== pool.maxGpus)) {
          refuse(["baselineNodes"], pool.baselineNodes,
            `a DRA pool on aws is a managed node group of always-on ${machine.name} nodes, without scale-to-zero (Karpenter 1.14 ignores ResourceClaims; its DRA support in 1.15 is alpha): ` +
            `set baselineNodes to ${Math.max(1, Math.floor(pool.maxGpus / machine.gpus))} and maxGpus to baselineNodes × ${machine.gpus}`);
        }
        return;
      }
      case "gcp":
        if (pool.sharing.mode === "mig") {
          refuse(["sharing", "mode"], "mig", "a GKE DRA pool takes no GKE partition or time-sharing settings (GKE's own device plugin, which applies them, is off there); use sharing mode none");
        }
        return;
      case "existing":
        if (s.existing.gpuNodeSoftware.devicePlugin) {
          refuse(["allocation"], "dra", "existing.gpuNodeSoftware.devicePlugin says the nodes run their own device plugin, which would advertise the same GPUs a second time beside the DRA driver; switch it off on the pool's nodes");
        }
        return;
    }
  });
  return problems;
}

function gatewayProblems(s: StackSettings): SettingProblem[] {
  const gateway = s.addons.gateway;
  if (!gateway.enabled) return [];
  const problems: SettingProblem[] = [];
  const at = (...path: string[]) => ["addons", "gateway", ...path];
  if (!s.addons.certManager.enabled) {
    problems.push({ path: ["addons", "certManager", "enabled"], value: false, message: "the inference gateway's TLS certificate comes from cert-manager; switch cert-manager on or the gateway off" });
  }
  const teams = new Set(s.teams.map((team) => team.name));
  for (const name of Object.keys(gateway.teamLimits)) {
    if (!teams.has(name)) {
      problems.push({ path: at("teamLimits", name), value: gateway.teamLimits[name], message: `names no team; teams are ${[...teams].join(", ") || "(none)"}` });
    }
  }
  if (s.cloud === "existing" && gateway.exposure === "internal" && Object.keys(gateway.serviceAnnotations).length === 0) {
    problems.push({
      path: at("exposure"), value: gateway.exposure,
      message: "an existing cluster has no internal load balancer the platform knows; give addons.gateway.serviceAnnotations the annotation that makes yours internal (for example MetalLB's address pool), or set exposure to clusterIP",
    });
  }
  if (gateway.exposure === "clusterIP" && Object.keys(gateway.serviceAnnotations).length > 0) {
    problems.push({ path: at("serviceAnnotations"), value: gateway.serviceAnnotations, message: "annotate a load balancer; with exposure clusterIP there is none, so remove them" });
  }
  const tokenBudgets = Object.entries({ default: gateway.defaultTeamLimit, ...gateway.teamLimits }).filter(([, limit]) => limit.tokensPerMinute !== undefined);
  for (const [team, limit] of tokenBudgets) {
    if (limit.tokensPerMinute! < limit.requestsPerMinute) {
      problems.push({
        path: team === "default" ? at("defaultTeamLimit", "tokensPerMinute") : at("teamLimits", team, "tokensPerMinute"), value: limit.tokensPerMinute,
        message: `is below requestsPerMinute (${limit.requestsPerMinute}): every request uses at least one token`,
      });
    }
  }
  return problems;
}

function regionProblems(s: StackSettings, cloud: RegionCloud): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const allowed = regionsIn(s.jurisdiction, cloud);
  if (!allowed.includes(s.region)) {
    const home = jurisdictionOf(cloud, s.region);
    const why = home === undefined ? `is not a known ${s.cloud} region` : `is in jurisdiction "${home}", outside the stack's jurisdiction "${s.jurisdiction}" (data must stay in its zone: policy cloud-resources-in-jurisdiction)`;
    problems.push({ path: ["region"], value: s.region, message: `${why}; ${s.cloud} regions allowed in "${s.jurisdiction}": ${allowed.join(", ")}` });
  }
  return problems;
}

/** Settings that depend on which kind of cluster the stack builds. */
function cloudProblems(s: StackSettings, provided: ReadonlySet<string>): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const [setting, cloud] of Object.entries(cloudOnlySettings)) {
    if (provided.has(setting) && s.cloud !== cloud) {
      problems.push({ path: [setting], value: s[setting as keyof StackSettings], message: `applies only when cloud is ${cloud}; this stack's cloud is ${s.cloud}` });
    }
  }
  const net = s.network;
  if (s.cloud === "existing") {
    for (const setting of ["network", "systemNodes", "apiAccess"]) {
      if (provided.has(setting)) problems.push({ path: [setting], value: s[setting as keyof StackSettings], message: "does not apply to an existing cluster, which the platform does not build; remove it" });
    }
    if (!s.existing.kubeconfig === !s.existing.kubeconfigPath) {
      problems.push({ path: ["existing"], value: { ...s.existing, kubeconfig: s.existing.kubeconfig && "[secret]" }, message: "give exactly one of kubeconfig (a secret) or kubeconfigPath" });
    }
  } else {
    const machine = systemMachines[s.cloud];
    if (s.systemNodes.instanceType !== undefined && !machine.pattern.test(s.systemNodes.instanceType)) {
      problems.push({ path: ["systemNodes", "instanceType"], value: s.systemNodes.instanceType, message: `must be ${machine.example}` });
    }
  }
  if (s.cloud !== "aws") {
    for (const key of ["vpcId", "subnetIds", "natGateways", "subnetLayout"] as const) {
      if (net[key] !== undefined) problems.push({ path: ["network", key], value: net[key], message: `applies only on aws; on ${s.cloud} the platform creates the network with one NAT` });
    }
  }
  if (s.cloud === "gcp") {
    if (s.gke.project === undefined) problems.push({ path: ["gke", "project"], value: undefined, message: "is required on gcp: the Google Cloud project that holds the cluster" });
    if (net.availabilityZones !== undefined) problems.push({ path: ["network", "availabilityZones"], value: net.availabilityZones, message: "applies only on aws and azure; a GKE regional cluster uses the region's zones" });
    for (const [key, value] of Object.entries(s.tags)) {
      if (!gcpLabelKey.test(key) || !gcpLabelValue.test(value)) {
        problems.push({ path: ["tags", key], value, message: "Google Cloud labels need lowercase keys starting with a letter and lowercase values: letters, digits, '_' and '-', at most 63 each" });
      }
    }
  }
  if (s.cloud === "azure") {
    if (s.aks.adminGroupObjectIds.length === 0) {
      problems.push({ path: ["aks", "adminGroupObjectIds"], value: [], message: "is required on azure: local accounts are off, so only these Entra ID groups can administer the cluster (and install the add-ons)" });
    }
    const clash = net.vpcCidr && aksReservedRanges.find((range) => cidrsOverlap(net.vpcCidr!, range));
    if (clash) {
      problems.push({ path: ["network", "vpcCidr"], value: net.vpcCidr, message: `overlaps ${clash}, which AKS reserves or the platform uses for pods and services; pick a range in 10.0.0.0/8 or 192.168.0.0/16` });
    }
    for (const key of Object.keys(s.tags)) {
      if (/[/<>%&?\\]/.test(key)) problems.push({ path: ["tags", key], value: s.tags[key], message: "Azure tag keys may not contain / < > % & ? or \\" });
    }
    if (s.apiAccess.publicCidrs.length === 0) {
      problems.push({ path: ["apiAccess", "publicCidrs"], value: [], message: "AKS Node Auto Provisioning does not support private clusters, so the API endpoint is public; name the networks allowed to reach it (at least one CIDR)" });
    }
    if (net.availabilityZones !== undefined && net.availabilityZones > 3) {
      problems.push({ path: ["network", "availabilityZones"], value: net.availabilityZones, message: "Azure regions have at most 3 availability zones" });
    }
  }
  return problems;
}

/**
 * How `pulumi up` reaches the API, and whether each team's `group` has the form the cloud's
 * authentication yields: a RoleBinding to anything else binds nobody.
 */
function accessProblems(s: StackSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const { publicCidrs, privateCidrs } = s.apiAccess;
  if (s.cloud === "aws" && publicCidrs.length === 0 && privateCidrs.length === 0) {
    problems.push({
      path: ["apiAccess"], value: s.apiAccess,
      message: "gives pulumi up no way to the Kubernetes API: the endpoint would be private inside a VPC this same run creates, and every Helm release would fail as unreachable. " +
        "Set apiAccess.publicCidrs to the CI runners' egress addresses (the public endpoint then admits only them), or apiAccess.privateCidrs to networks connected to the VPC " +
        "(a runner VPC behind a transit gateway or peering, a VPN) that reach the private endpoint on 443",
    });
  }
  if (s.cloud === "aws" && publicCidrs.length > 0 && privateCidrs.length > 0) {
    problems.push({
      path: ["apiAccess", "privateCidrs"], value: privateCidrs,
      message: "cannot be combined with apiAccess.publicCidrs: with the public endpoint on, the endpoint's name resolves to its public addresses from everywhere outside the VPC, " +
        "so connected networks would arrive from their NAT egress, not from these ranges. Give one path: publicCidrs (the egress addresses) or privateCidrs (the public endpoint stays off)",
    });
  }
  if (s.cloud !== "aws" && privateCidrs.length > 0) {
    const why = { gcp: "GKE is reached through its DNS endpoint with Google credentials, from any network", azure: "the AKS API is public, limited to apiAccess.publicCidrs (Node Auto Provisioning needs it)", existing: "the platform does not build an existing cluster's network" }[s.cloud];
    problems.push({ path: ["apiAccess", "privateCidrs"], value: privateCidrs, message: `applies only on aws; ${why}` });
  }
  const idp = s.eks.identityProvider;
  const adminArns = new Set(s.eks.adminRoleArns);
  (idp?.adminGroups ?? []).forEach((group, i) => {
    if (group.startsWith("system:")) problems.push({ path: ["eks", "identityProvider", "adminGroups", i], value: group, message: "may not start with system:, which Kubernetes reserves" });
  });
  if (s.gke.adminGroups.length > 0 && s.gke.securityGroup === undefined) {
    problems.push({ path: ["gke", "adminGroups"], value: s.gke.adminGroups, message: "needs gke.securityGroup (gke-security-groups@<your domain>): without Google Groups for RBAC, GKE never reports a user's groups" });
  }
  s.teams.forEach((team, i) => {
    if (team.group === undefined) return;
    const at = ["teams", i, "group"];
    const refuse = (message: string) => problems.push({ path: at, value: team.group, message });
    switch (s.cloud) {
      case "aws":
        if (idp) {
          if (team.group.startsWith("system:")) refuse("may not start with system:, which Kubernetes reserves");
        } else if (!iamRoleArn.safeParse(team.group).success) {
          refuse("must be the IAM role ARN the team's members assume (an IAM Identity Center permission-set role, with its path), which an access entry maps to the team's Kubernetes group; or set eks.identityProvider to name SSO groups instead");
        } else if (adminArns.has(team.group)) {
          refuse("is also in eks.adminRoleArns; EKS holds one access entry per role, and an admin already has every namespace");
        }
        return;
      case "gcp":
        if (!z.email().safeParse(team.group).success) refuse("must be a Google Group's email address, which GKE reports as the user's group");
        else if (s.gke.securityGroup === undefined) refuse("needs gke.securityGroup (gke-security-groups@<your domain>): without Google Groups for RBAC, GKE never reports a user's groups and the binding matches nobody");
        return;
      case "azure":
        if (!uuid.safeParse(team.group).success) refuse("must be an Entra ID group object id (a UUID): AKS tokens carry group object ids, not names");
        return;
    }
  });
  return problems;
}

function poolAndTeamProblems(s: StackSettings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const poolNames = s.gpuPools.map((p) => p.name);
  const repeatedPools = duplicates(poolNames);
  s.gpuPools.forEach((pool, i) => {
    if (repeatedPools.has(pool.name)) problems.push({ path: ["gpuPools", i, "name"], value: pool.name, message: "pool names must be unique" });
    const cloud = s.cloud;
    if (cloud === "existing") {
      problems.push(...existingPoolProblems(pool, i, s.existing.gpuNodeSoftware.devicePlugin));
      return;
    }
    if (pool.existingNodes !== undefined) {
      problems.push({ path: ["gpuPools", i, "existingNodes"], value: pool.existingNodes, message: "applies only when cloud is existing; on a cloud the platform starts the pool's nodes itself" });
    }
    const catalog = machinesFor(pool.gpu, cloud);
    if (catalog.length === 0) {
      problems.push({ path: ["gpuPools", i, "gpu"], value: pool.gpu, message: `is not offered on ${cloud}; models on ${cloud}: ${gpuModels.filter((m) => machinesFor(m, cloud).length > 0).join(", ")}` });
      return;
    }
    if (regionsIn(s.jurisdiction, cloud).includes(s.region) && !offersGpu(cloud, s.region, pool.gpu)) {
      const inZone = gpuRegions(cloud, pool.gpu).filter((region) => regionsIn(s.jurisdiction, cloud).includes(region));
      const where = inZone.length > 0 ? `${cloud} regions in "${s.jurisdiction}" that offer it: ${inZone.join(", ")}` : `no ${cloud} region in "${s.jurisdiction}" offers it`;
      problems.push({ path: ["gpuPools", i, "gpu"], value: pool.gpu, message: `is not offered in ${s.region}; ${where}` });
    }
    (pool.instanceTypes ?? []).forEach((type, j) => {
      if (!catalog.some((m) => m.name === type)) {
        const other = findMachine(cloud, type);
        const why = other ? `carries ${other.model}, not ${pool.gpu}` : "is not in the GPU catalog";
        problems.push({ path: ["gpuPools", i, "instanceTypes", j], value: type, message: `${why}; ${pool.gpu} machine types: ${catalog.map((m) => m.name).join(", ")}` });
      }
    });
    const machines = resolveMachines(pool, cloud);
    if (machines.length === 0) return;
    const smallest = machines[0];
    if (pool.maxGpus < smallest.gpus) {
      problems.push({ path: ["gpuPools", i, "maxGpus"], value: pool.maxGpus, message: `is below the ${smallest.gpus} GPUs of the smallest machine in the pool (${smallest.name}), so no node could ever start` });
    }
    if (pool.baselineNodes * smallest.gpus > pool.maxGpus) {
      problems.push({ path: ["gpuPools", i, "baselineNodes"], value: pool.baselineNodes, message: `${pool.baselineNodes} × ${smallest.gpus} GPUs (${smallest.name}) exceeds maxGpus ${pool.maxGpus}` });
    }
    const migProfiles = Object.keys(gpuCatalog[pool.gpu].migProfiles ?? {});
    if (pool.sharing.mode === "mig" && migProfiles.length > 0) {
      const profile = pool.sharing.profile.replace(/^all-/, "");
      // Every GPU of a pool is cut alike, so quotas count one kind of slice (the single MIG strategy).
      if (!migProfiles.includes(profile)) {
        problems.push({ path: ["gpuPools", i, "sharing", "profile"], value: pool.sharing.profile, message: `${pool.gpu} has no MIG profile ${profile} the platform can count in quotas; use one of ${migProfiles.map((p) => `all-${p}`).join(", ")}` });
      }
    }
    if (pool.sharing.mode !== "none" && s.eks.gpuNodeImage === "bottlerocket" && cloud === "aws") {
      problems.push({ path: ["gpuPools", i, "sharing", "mode"], value: pool.sharing.mode, message: "Bottlerocket runs its own device plugin, which the platform does not configure for sharing; use eks.gpuNodeImage al2023 or sharing mode none" });
    }
    const shared = pool.sharing.mode !== "none";
    const sizes = [...new Set(machines.map((m) => `${m.gpus}/${m.vcpus}`))];
    if (shared && cloud === "aws" && sizes.length > 1) {
      problems.push({
        path: ["gpuPools", i, pool.instanceTypes ? "instanceTypes" : "sharing"], value: pool.instanceTypes ?? pool.sharing,
        message: `a shared pool must launch machines of one size: Karpenter plans new nodes by their physical GPUs, so the platform bounds a shared pool in vCPUs, which equals its GPUs only when every machine has as many of both. List one instance type (${machines.map((m) => `${m.name}: ${m.gpus} GPU, ${m.vcpus} vCPU`).join("; ")})`,
      });
    }
    if (shared && cloud === "azure" && pool.maxGpus > pool.baselineNodes * smallest.gpus) {
      problems.push({
        path: ["gpuPools", i, "sharing", "mode"], value: pool.sharing.mode,
        message: "Node Auto Provisioning sizes GPU nodes by their physical GPUs, so a shared pool that scales would start a node per pending pod and never pack them (Karpenter's NodeOverlay, which could tell it otherwise, cannot be switched on in NAP). Use sharing mode none, or keep the pool to always-on nodes (baselineNodes × GPUs per machine = maxGpus), which an AKS agent pool holds",
      });
    }
    if (cloud === "gcp" && spotOrFlexOnly.includes(smallest.name) && pool.capacityTypes[0] !== "spot") {
      problems.push({ path: ["gpuPools", i, "capacityTypes"], value: pool.capacityTypes, message: `${smallest.name} is offered only as Spot (or Flex-start) VMs, never on demand; list spot first (a GKE pool of it is all spot), or use a3-highgpu-8g for on-demand H100s` });
    }
    if (cloud === "gcp" && pool.capacityTypes[0] === "spot" && pool.baselineNodes > 0) {
      problems.push({ path: ["gpuPools", i, "capacityTypes"], value: pool.capacityTypes, message: "a GKE node pool is all spot or all on-demand, and always-on nodes must not be reclaimed; list on-demand first or set baselineNodes to 0" });
    }
    if (pool.sharing.mode === "mig" && migProfiles.length === 0) {
      problems.push({ path: ["gpuPools", i, "sharing", "mode"], value: "mig", message: `${pool.gpu} has no MIG support; use time-slicing, or a MIG-capable model (A100, A100-80GB, H100, H200)` });
    }
  });

  const repeatedTeams = duplicates(s.teams.map((t) => t.name));
  const quotaPerPool = new Map<string, number>();
  s.teams.forEach((team, i) => {
    if (repeatedTeams.has(team.name)) problems.push({ path: ["teams", i, "name"], value: team.name, message: "team names must be unique" });
    for (const [pool, gpus] of Object.entries(team.gpus)) {
      if (!poolNames.includes(pool)) {
        problems.push({ path: ["teams", i, "gpus", pool], value: gpus, message: `names no GPU pool; pools: ${poolNames.join(", ")}` });
      }
      quotaPerPool.set(pool, (quotaPerPool.get(pool) ?? 0) + gpus);
    }
  });
  if (!s.allowQuotaOvercommit) {
    s.gpuPools.forEach((pool, i) => {
      const total = quotaPerPool.get(pool.name) ?? 0;
      if (total > pool.maxGpus) {
        const shares = s.teams.filter((t) => (t.gpus[pool.name] ?? 0) > 0).map((t) => `teams.${t.name}: ${t.gpus[pool.name]}`).join(", ");
        problems.push({ path: ["gpuPools", i, "maxGpus"], value: pool.maxGpus, message: `team quotas for pool "${pool.name}" (${shares}) add up to ${total} GPUs, above its maxGpus; raise maxGpus, lower the quotas, or set allowQuotaOvercommit: true` });
      }
    });
  }

  const net = s.network;
  if (net.subnetIds !== undefined || net.vpcId !== undefined) {
    if (net.subnetIds === undefined || net.vpcId === undefined) {
      problems.push({ path: ["network"], value: net, message: "an existing network needs both vpcId and subnetIds" });
    }
    for (const key of ["vpcCidr", "availabilityZones", "natGateways", "subnetLayout"] as const) {
      if (net[key] !== undefined) problems.push({ path: ["network", key], value: net[key], message: "applies only when the platform creates the VPC; remove it or remove vpcId/subnetIds" });
    }
  } else if (net.vpcCidr !== undefined) {
    const prefix = Number(net.vpcCidr.split("/")[1]);
    if (prefix < 16 || prefix > 22) problems.push({ path: ["network", "vpcCidr"], value: net.vpcCidr, message: "VPC prefix must be between /16 and /22 (AWS allows /16 at most; smaller than /22 leaves too few pod addresses)" });
  }

  if (s.addons.kserve.enabled && !s.addons.certManager.enabled) {
    problems.push({ path: ["addons", "certManager", "enabled"], value: false, message: "KServe's webhooks need cert-manager; switch cert-manager on or KServe off" });
  }
  if (!s.addons.kserve.enabled && s.addons.kserve.runtimes.length > 0) {
    problems.push({ path: ["addons", "kserve", "runtimes"], value: s.addons.kserve.runtimes, message: "serving runtimes need KServe; switch KServe on or remove the runtimes" });
  }
  const gitops = s.addons.argocd.gitops;
  if (gitops && !s.addons.argocd.enabled) {
    problems.push({ path: ["addons", "argocd", "gitops"], value: gitops, message: "GitOps bootstrap needs Argo CD; switch Argo CD on or remove gitops" });
  }
  if (gitops && s.teams.length === 0) {
    problems.push({ path: ["addons", "argocd", "gitops"], value: gitops, message: "GitOps bootstrap deploys only into team namespaces; add a team under teams or remove gitops" });
  }

  if (s.systemNodes.min > s.systemNodes.max) {
    problems.push({ path: ["systemNodes", "min"], value: s.systemNodes.min, message: `must not exceed systemNodes.max (${s.systemNodes.max})` });
  }
  return problems;
}

function existingPoolProblems(pool: GpuPoolSettings, i: number, devicePluginOnNodes: boolean): SettingProblem[] {
  const at = (...path: (string | number)[]) => ["gpuPools", i, ...path];
  if (pool.existingNodes === undefined) {
    return [{ path: at("existingNodes"), value: undefined, message: "is required on an existing cluster: the labels that select the pool's nodes and the GPUs each has" }];
  }
  const problems: SettingProblem[] = [];
  if (pool.baselineNodes !== 0) problems.push({ path: at("baselineNodes"), value: pool.baselineNodes, message: "applies only where the platform starts nodes; on an existing cluster the nodes are already there" });
  if (pool.instanceTypes !== undefined) problems.push({ path: at("instanceTypes"), value: pool.instanceTypes, message: "applies only where the platform starts nodes; describe the nodes with existingNodes" });
  const labels = pool.existingNodes.labels;
  if (pool.sharing.mode !== "none") {
    // The GPU Operator reads these labels; the platform cannot put them on nodes it did not start.
    const wanted: Record<string, string> = { "nvidia.com/device-plugin.config": pool.name };
    if (pool.sharing.mode === "mig") wanted["nvidia.com/mig.config"] = pool.sharing.profile;
    for (const [label, value] of Object.entries(wanted)) {
      if (labels[label] !== value) {
        problems.push({ path: at("existingNodes", "labels"), value: labels, message: `a ${pool.sharing.mode} pool's nodes must carry ${label}=${value}, by which the GPU Operator gives them the pool's ${label.endsWith("mig.config") ? "MIG layout" : "device-plugin configuration"}; the platform cannot label nodes it did not start. Label them (kubectl label node <node> ${label}=${value}) and list that label here` });
      }
    }
    if ("nvidia.com/gpu.product" in labels) {
      const renamed = pool.sharing.mode === "mig" ? "<product>-MIG-<profile> under the single MIG strategy" : "<product>-SHARED once time-shared";
      problems.push({ path: at("existingNodes", "labels", "nvidia.com/gpu.product"), value: labels["nvidia.com/gpu.product"], message: `selects nothing once the pool is shared: GPU feature discovery renames the product to ${renamed}. Select the pool by nvidia.com/device-plugin.config instead` });
    }
    if (devicePluginOnNodes) {
      problems.push({ path: at("sharing", "mode"), value: pool.sharing.mode, message: "cannot be applied: existing.gpuNodeSoftware.devicePlugin says the nodes run their own device plugin, so the GPU Operator's (which applies the sharing) is off; set it false or use sharing mode none" });
    }
  }
  if (pool.maxGpus < pool.existingNodes.gpusPerNode) {
    problems.push({ path: at("maxGpus"), value: pool.maxGpus, message: `is below the ${pool.existingNodes.gpusPerNode} GPUs of one node` });
  }
  return problems;
}

function resolveMachines(pool: GpuPoolSettings, cloud: Cloud): GpuMachineType[] {
  if (cloud === "existing") return pool.existingNodes ? [{ name: "existing", gpus: pool.existingNodes.gpusPerNode }] : [];
  const catalog = machinesFor(pool.gpu, cloud);
  const chosen = pool.instanceTypes ? catalog.filter((m) => pool.instanceTypes!.includes(m.name)) : [...catalog];
  return chosen.sort((a, b) => a.gpus - b.gpus);
}

/** The VPC range when the stack names none. */
const defaultVpcCidr = "10.40.0.0/16";

function resolve(stack: string, s: StackSettings): PlatformConfig {
  const prod = s.environment === "prod";
  const network: NetworkPlan =
    s.network.subnetIds && s.network.vpcId
      ? { mode: "existing", vpcId: s.network.vpcId, subnetIds: s.network.subnetIds }
      : {
          mode: "create",
          vpcCidr: s.network.vpcCidr ?? defaultVpcCidr,
          // Azure: no zone pinning unless asked for, since several Azure regions have no zones.
          availabilityZones: s.network.availabilityZones ?? (s.cloud === "azure" ? 0 : 3),
          natGateways: s.network.natGateways ?? (prod ? "perZone" : "single"),
          subnetLayout: s.network.subnetLayout ?? "sixZones",
        };
  const gpuPools = s.gpuPools.map((pool): GpuPool => {
    const { instanceTypes: _override, ...rest } = pool;
    const machines = resolveMachines(pool, s.cloud);
    const baselineGpus = pool.baselineNodes * machines[0].gpus;
    const unitsPerGpu = pool.sharing.mode === "time-slicing" ? pool.sharing.replicas
      : pool.sharing.mode === "mig" ? gpuCatalog[pool.gpu].migProfiles?.[pool.sharing.profile.replace(/^all-/, "")] ?? 1
      : 1;
    return { ...rest, machines, baselineMachine: machines[0], baselineGpus, burstGpus: pool.maxGpus - baselineGpus, unitsPerGpu };
  });
  const clusterName = s.clusterName ?? `gpu-${stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 32);
  return {
    ...s,
    stack,
    clusterName,
    addons: {
      ...s.addons,
      gateway: {
        ...s.addons.gateway,
        // `.internal` is reserved for private use (ICANN board resolution 2024.07.29.06): never public.
        hostname: s.addons.gateway.hostname ?? `inference.${clusterName}.internal`,
        replicas: s.addons.gateway.replicas ?? (prod ? 2 : 1),
      },
    },
    network,
    gpuPools,
    // Google Cloud labels take lowercase letters, digits, '_' and '-' only; stack names may hold more.
    // `jurisdiction` on every resource lets the policy pack (and any org-wide tool) check residency.
    tags: {
      ...s.tags,
      environment: s.environment,
      jurisdiction: s.jurisdiction,
      stack: s.cloud === "gcp" ? stack.toLowerCase().replace(/[^a-z0-9_-]/g, "-") : stack,
      "managed-by": "pulumi",
    },
    protect: prod,
    eks: { ...s.eks, logRetentionDays: s.eks.logRetentionDays ?? (prod ? 365 : 90) },
    aks: { ...s.aks, tier: s.aks.tier ?? (prod ? "Standard" : "Free") },
    systemNodes: {
      ...s.systemNodes,
      instanceType: s.cloud === "existing" ? "" : (s.systemNodes.instanceType ?? systemMachines[s.cloud].default),
    },
  };
}

/**
 * Parses a stack's raw configuration (`namespace:key` → string, as Pulumi holds it) into a
 * `PlatformConfig`, or throws one `StackConfigError` listing every problem.
 */
export function parseStackConfig(stack: string, raw: Readonly<Record<string, string>>): PlatformConfig {
  const problems: SettingProblem[] = [];
  const settings = collectSettings(raw, problems);
  const parsed = stackConfigSchema.safeParse(settings, { reportInput: true });
  if (!parsed.success) problems.push(...schemaProblems(parsed.error));
  if (problems.length > 0) throw new StackConfigError(stack, problems);
  const crossProblems = crossCheck(parsed.data!, new Set(Object.keys(settings)));
  if (crossProblems.length > 0) throw new StackConfigError(stack, crossProblems);
  return resolve(stack, parsed.data!);
}

/** The running stack's configuration, as `pulumi up` or the offline plan provides it. */
export function loadStackConfig(): PlatformConfig {
  return parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
