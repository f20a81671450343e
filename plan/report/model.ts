import type { ConformanceRow } from "../../policy/conformance";
/**
 * What a plan report says, independent of its format: the Markdown and HTML renderers and the
 * JSON output all read this.
 */
import type { ApiPath } from "../../policy/api-access";
import type { PolicyReport } from "../policies";

/** A node of the platform picture: one box per meaningful part, not per cloud resource. */
export interface ReportGraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: "network" | "cluster" | "system-nodes" | "gpu-pool" | "autoscaler" | "addon" | "team" | "storage";
}

export interface ReportGraph {
  readonly nodes: readonly ReportGraphNode[];
  /** `from` must exist before `to`. */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

export interface CostLine {
  readonly item: string;
  readonly kind: "control-plane" | "system-nodes" | "baseline-gpu" | "gpu-pool";
  /** USD a month with every pool at its floor. */
  readonly idleMonthly: number;
  /** USD a month with every pool at its bound. */
  readonly worstCaseMonthly: number;
  readonly basis: string;
}

export interface CostReport {
  readonly currency: "USD";
  readonly pricesAsOf: string;
  readonly region: string;
  readonly idleMonthly: number;
  readonly worstCaseMonthly: number;
  readonly lines: readonly CostLine[];
  /** A team's GPU quota at its pools' prices: what the team can cost at most. */
  readonly perTeam: readonly { readonly team: string; readonly gpus: number; readonly worstCaseMonthly: number }[];
  /**
   * Per pool, what an idle model costs: at min 0 its pool can be empty (only baseline nodes run);
   * at min 1 one node stays up for it, unless the pool's baseline already keeps one.
   */
  readonly modelsAtZero: readonly { readonly pool: string; readonly machine: string; readonly idleAtMin0Monthly: number; readonly idleAtMin1Monthly: number }[];
  readonly notes: readonly string[];
}

export interface RolloutStep {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly minutes: number;
  /** Minutes from the start of `pulumi up` at which this step can begin. */
  readonly startsAt: number;
}

export interface RolloutReport {
  readonly minutes: number;
  /** The critical path, first step first. */
  readonly path: readonly RolloutStep[];
  readonly timesAsOf: string;
}

export interface PlanDiff {
  readonly against: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** `replaces`: the changed inputs that make the cloud replace the resource (a cluster or node group). */
  readonly changed: readonly { readonly urn: string; readonly fields: readonly string[]; readonly replaces: readonly string[] }[];
  readonly idleMonthlyDelta?: number;
  readonly worstCaseMonthlyDelta?: number;
}

/** How `pulumi up` reaches the Kubernetes API, read from the planned resources. */
export interface ApiAccessReport {
  readonly summary: string;
  readonly paths: readonly ApiPath[];
  readonly deployerAdmin?: string;
}

/** The inference gateway the plan creates. */
export interface GatewayReport {
  /** The OpenAI-compatible endpoint. */
  readonly endpoint: string;
  readonly hostnames: readonly string[];
  /** Who can reach it: an internal load balancer, the cluster only, or the internet. */
  readonly exposure: string;
  readonly tls: string;
  /** Each team's limits at the gateway, per minute. */
  readonly teams: readonly { readonly team: string; readonly requestsPerMinute?: number; readonly tokensPerMinute?: number }[];
}

/** An admission policy the plan installs: the pack rule it mirrors, its mode and where it applies. */
export interface AdmissionReportEntry {
  readonly name: string;
  readonly mirrors: string;
  /** The binding's validationActions, e.g. Deny, or Warn and Audit. */
  readonly actions: readonly string[];
  readonly scope: string;
}

/** Modelled time from zero GPU nodes to a reference model's first answer, per pool. */
export interface ColdStartStep {
  readonly step: string;
  readonly seconds: number;
  readonly basis: string;
}

/** Something that shortens a cold start, with what it saves per pool as the stack stands. */
export interface ColdStartLever {
  readonly lever: string;
  /** The stack setting that switches it, or "none". */
  readonly setting: string;
  readonly state: "on" | "off" | "on for some pools" | "not offered";
  /** Why it is not offered here. */
  readonly why?: string;
  /** Seconds it saves (or would) per pool, for the first runtime; none where not offered. */
  readonly savings: readonly { readonly pool: string; readonly seconds: number; readonly monthlyUsd?: number }[];
}

export interface ColdStartReport {
  readonly asOf: string;
  readonly goalSeconds: number;
  /** The reference model's weights, GB (coldStart.referenceModelGB). */
  readonly modelGB: number;
  /** One row per GPU pool and serving runtime. */
  readonly rows: readonly {
    readonly pool: string;
    readonly gpu: string;
    readonly runtime: string;
    readonly steps: readonly ColdStartStep[];
    readonly seconds: number;
    readonly meetsGoal: boolean;
  }[];
  readonly levers: readonly ColdStartLever[];
  /** The images a coldStart.imageDisk must hold for the runtimes offered; none where no disk can be attached. */
  readonly imageDiskImages: readonly string[];
}

/** The stack against Kubernetes AI Conformance for its minor (policy/conformance.ts). */
export interface ConformanceReport {
  readonly minor: string;
  readonly rows: readonly ConformanceRow[];
}

export interface PlanReport {
  readonly project: string;
  readonly stack: string;
  readonly cloud: string;
  readonly region: string;
  readonly jurisdiction: string;
  readonly environment: string;
  readonly resourceCount: number;
  readonly resourcesByType: readonly { readonly type: string; readonly count: number }[];
  readonly addons: readonly { readonly release: string; readonly chart: string; readonly version: string; readonly namespace: string }[];
  readonly policies: PolicyReport;
  readonly cost: CostReport;
  readonly rollout: RolloutReport;
  readonly graph: ReportGraph;
  readonly apiAccess?: ApiAccessReport;
  readonly gateway?: GatewayReport;
  readonly admission: readonly AdmissionReportEntry[];
  readonly coldStart?: ColdStartReport;
  readonly conformance?: ConformanceReport;
  /** What `pulumi destroy` does beyond deleting resources, and what to run by hand without the stack. */
  readonly destroy: readonly string[];
  readonly diff?: PlanDiff;
}
