/**
 * Renders every Helm release of a planned stack with `helm template`, from a local chart mirror and
 * with exactly the values the plan carries, and runs the checks in checks.ts over what comes out.
 */
import { parseAllDocuments } from "yaml";
import { addonCatalog } from "../../components/addons/catalog";
import { gpuPoolLabels, labelDomain, systemNodeLabels } from "../../components/cluster/contract";
import { parseStackConfig } from "../../stacks/load";
import type { Plan, PlannedResource } from "../program";
import { Finding, RenderContext, RenderedRelease, checkRelease } from "./checks";
import { Schema, crdSchemas, schemaProblems } from "./crd-schema";
import { findChart, helmTemplate } from "./helm";
import type { PodSecurityLevel } from "./pod-security";

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {});

export interface StackRender {
  readonly rendered: readonly RenderedRelease[];
  /** Releases whose chart is not in the mirror, with the command that would fetch it. */
  readonly missing: readonly { readonly release: string; readonly chart: string; readonly version: string; readonly pull: string }[];
  readonly findings: readonly Finding[];
}

const releaseType = "kubernetes:helm.sh/v3:Release";
const enforce = "pod-security.kubernetes.io/enforce";

/** `oci://ghcr.io/kserve/charts/kserve-crd` → `kserve-crd`; a classic chart keeps its name. */
export function chartName(chart: string): string {
  return chart.startsWith("oci://") ? chart.slice(chart.lastIndexOf("/") + 1) : chart;
}

function pullCommand(release: PlannedResource): string {
  const chart = String(release.inputs.chart);
  const repo = obj(release.inputs.repositoryOpts).repo;
  const source = chart.startsWith("oci://") ? chart : `${chart} --repo ${String(repo)}`;
  return `helm pull ${source} --version ${String(release.inputs.version)} --destination <mirror>`;
}

/** What the checks need to know about the cluster, read from the plan and its settings. */
export function renderContext(plan: Plan): RenderContext {
  const config = parseStackConfig(plan.stack, plan.config);
  const namespaceLevels: Record<string, PodSecurityLevel> = {};
  let teamLevel: PodSecurityLevel = "restricted";
  for (const ns of plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace")) {
    const metadata = obj(ns.inputs.metadata);
    const labels = obj(metadata.labels);
    const level = labels[enforce];
    if (level === "privileged" || level === "baseline" || level === "restricted") {
      namespaceLevels[String(metadata.name)] = level;
      if (labels[`${labelDomain}/team`] !== undefined) teamLevel = level;
    }
  }
  // Only where the GPU Operator applies sharing (its values carry the device-plugin ConfigMap).
  const operator = plan.resources.find((r) => r.type === releaseType && r.inputs.name === "gpu-operator");
  const operatorShares = obj(obj(obj(operator?.inputs.values).devicePlugin).config).name !== undefined;
  return {
    namespaceLevels,
    teamLevel,
    systemNodeSelector: config.cloud === "existing" ? config.existing.systemNodeLabels : systemNodeLabels,
    servedApis: Object.fromEntries(addonCatalog.filter((addon) => addon.serves).map((addon) => [addon.release, addon.serves!])),
    sharedPools: operatorShares
      ? config.gpuPools.filter((pool) => pool.sharing.mode !== "none").map((pool) => ({ name: pool.name, nodeLabels: pool.existingNodes?.labels ?? gpuPoolLabels(pool) }))
      : [],
  };
}

/** API versions a CRD document serves, as `--api-versions` takes them. */
function servedApis(manifest: Obj): string[] {
  if (manifest.kind !== "CustomResourceDefinition") return [];
  const spec = obj(manifest.spec);
  const versions = Array.isArray(spec.versions) ? spec.versions.map(obj) : [];
  return versions.filter((v) => v.served !== false).map((v) => `${String(spec.group)}/${String(v.name)}`);
}

/**
 * Renders the plan's releases in plan order (a release comes after those whose CRDs it uses), so
 * each sees the API versions the earlier ones install, as a real install would.
 */
export function renderStack(plan: Plan, mirror: string): StackRender {
  const context = renderContext(plan);
  const config = parseStackConfig(plan.stack, plan.config);
  const rendered: RenderedRelease[] = [];
  const missing: StackRender["missing"][number][] = [];
  const apis = new Set<string>();
  for (const release of plan.resources.filter((r) => r.type === releaseType)) {
    const name = String(release.inputs.name);
    const chart = chartName(String(release.inputs.chart));
    const version = String(release.inputs.version);
    const found = findChart(mirror, chart, version);
    if (!found) {
      missing.push({ release: name, chart, version, pull: pullCommand(release) });
      continue;
    }
    const namespace = String(release.inputs.namespace ?? "default");
    const output = helmTemplate({ release: name, chart: found, namespace, values: release.inputs.values, kubeVersion: config.kubernetesVersion, apiVersions: [...apis] });
    const manifests = parseAllDocuments(output).map((doc) => obj(doc.toJS())).filter((m) => typeof m.kind === "string");
    for (const manifest of manifests) for (const api of servedApis(manifest)) apis.add(api);
    rendered.push({ release: name, namespace, manifests });
  }
  return { rendered, missing, findings: [...rendered.flatMap((r) => checkRelease(r, context)), ...customResourceFindings(plan, rendered)] };
}

/**
 * The plan's custom resources against the CRDs the rendered charts install (cert-manager's, for
 * one, which the reference set does not hold): what the API server would refuse on apply.
 */
export function customResourceFindings(plan: Plan, rendered: readonly RenderedRelease[]): Finding[] {
  const schemas = new Map<string, { release: string; schema: Schema }>();
  for (const r of rendered) for (const manifest of r.manifests) for (const [id, schema] of crdSchemas(manifest)) schemas.set(id, { release: r.release, schema });
  return plan.resources.flatMap((resource): Finding[] => {
    const { apiVersion, kind } = resource.inputs as { apiVersion?: unknown; kind?: unknown };
    const crd = typeof apiVersion === "string" ? schemas.get(`${apiVersion}/${String(kind)}`) : undefined;
    if (!crd) return [];
    const metadata = obj(resource.inputs.metadata);
    return schemaProblems(crd.schema, resource.inputs).map((message) => ({
      release: crd.release, check: "crd-schema", object: `${String(kind)}/${String(metadata.namespace ?? "")}/${String(metadata.name)}`, message,
    }));
  });
}
