/**
 * A corpus of bad (and some merely unusual) stack settings: every setting of every shipped stack
 * mutated the ways people get them wrong, plus generated values (fast-check). Each case must be
 * either accepted with a plan that runs, or rejected with a StackConfigError that names the setting,
 * carries no stack trace, and comes before any resource is registered.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { planStackFile } from "../../plan/plan";
import { StackFile, readStackFile } from "../../plan/stack-files";
import { StackConfigError } from "../../stacks/errors";
import { settingNames } from "../../stacks/schema";
import { parse, stackSettings } from "../helpers/settings";

const root = path.resolve(__dirname, "../..");
type Settings = Record<string, unknown>;
type Path = (string | number)[];

interface Case {
  readonly stack: string;
  readonly what: string;
  readonly settings: Settings;
  /** The setting the error must name; any setting when the mutation changes what is valid elsewhere. */
  readonly names?: string;
}

const stacks = ["dev", "gke-eu", "aks-eu", "onprem", "eu-prod"];
/**
 * Settings whose change makes other settings invalid, so the error may name those instead. `eks`
 * and `gke` hold the identity settings (SSO provider, Google Groups) that decide what a team's
 * `group` must look like.
 */
const reshaping = new Set(["cloud", "region", "jurisdiction", "gpuPools", "teams", "environment", "eks", "gke"]);

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

function setAt(settings: Settings, path: Path, value: unknown, remove = false): Settings {
  const copy = structuredClone(settings);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = value;
  }
  return copy;
}

/** Every path to a value in the settings, up to a depth. */
function paths(value: unknown, at: Path = [], depth = 5): Path[] {
  if (depth === 0 || value === null || typeof value !== "object") return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...at, key], ...paths(child, [...at, key], depth - 1)]);
}

const label = (path: Path) => path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").slice(1);

/** The ways people get one value wrong. */
function wrongValues(value: unknown): [string, unknown][] {
  if (typeof value === "number") return [["a string", String(value)], ["negative", -1], ["zero", 0], ["huge", 1e9], ["fractional", value + 0.5]];
  if (typeof value === "string") return [["a number", 7], ["empty", ""], ["very long", "x".repeat(300)], ["upper case", value.toUpperCase() + "!"]];
  if (typeof value === "boolean") return [["a string", "yes"]];
  if (Array.isArray(value)) return [["empty list", []], ["a string", "a,b"], ...(value.length > 0 ? [["duplicated first item", [value[0], ...value]] as [string, unknown]] : [])];
  if (value && typeof value === "object") return [["a list", [value]], ["an unknown key", { ...value, bogus: 1 }]];
  return [];
}

function structuralCases(stack: string): Case[] {
  const base = stackSettings(stack);
  const cases: Case[] = [];
  for (const key of settingNames) {
    cases.push({ stack, what: `${key} removed`, settings: setAt(base, [key], undefined, true), names: reshaping.has(key) ? undefined : key });
    cases.push({ stack, what: `${key} set to an object`, settings: { ...base, [key]: { nonsense: true } }, names: key });
  }
  cases.push({ stack, what: "an unknown top-level setting", settings: { ...base, gpuPool: [] }, names: "gpuPool" });
  for (const path of paths(base)) {
    const root = String(path[0]);
    const names = reshaping.has(root) ? undefined : root;
    cases.push({ stack, what: `${label(path)} removed`, settings: setAt(base, path, undefined, true), names });
    for (const [how, value] of wrongValues(getAt(base, path))) {
      cases.push({ stack, what: `${label(path)} ${how}`, settings: setAt(base, path, value), names });
    }
  }
  return cases;
}

/** Mistakes about meaning rather than shape, each naming the setting its message must name. */
function semanticCases(): Case[] {
  const dev = stackSettings("dev");
  const pool = (changes: object) => [{ ...(dev.gpuPools as object[])[0], ...changes }];
  return [
    { stack: "dev", what: "region outside the jurisdiction", settings: { ...dev, region: "us-east-1" }, names: "region" },
    { stack: "dev", what: "GPU the region does not offer", settings: { ...dev, gpuPools: pool({ gpu: "H200", instanceTypes: undefined }), teams: [] }, names: "gpuPools[0].gpu" },
    { stack: "dev", what: "GPU model unknown", settings: { ...dev, gpuPools: pool({ gpu: "B200" }) }, names: "gpuPools[0].gpu" },
    { stack: "dev", what: "machine type of another GPU", settings: { ...dev, gpuPools: pool({ instanceTypes: ["g5.xlarge"] }) }, names: "gpuPools[0].instanceTypes[0]" },
    { stack: "dev", what: "team quotas above the pool bound", settings: { ...dev, gpuPools: pool({ maxGpus: 4 }) }, names: "gpuPools[0].maxGpus" },
    { stack: "dev", what: "quota on a pool that does not exist", settings: { ...dev, teams: [{ name: "x", gpus: { h100: 1 }, cpu: "1", memory: "1Gi" }] }, names: "teams[0].gpus.h100" },
    { stack: "dev", what: "duplicate pool names", settings: { ...dev, gpuPools: [...pool({}), ...pool({})], teams: [] }, names: "gpuPools[1].name" },
    { stack: "dev", what: "duplicate team names", settings: { ...dev, teams: [(dev.teams as object[])[0], (dev.teams as object[])[0]], allowQuotaOvercommit: true }, names: "teams[1].name" },
    { stack: "dev", what: "baseline above the bound", settings: { ...dev, gpuPools: pool({ baselineNodes: 9 }), teams: [] }, names: "gpuPools[0].baselineNodes" },
    { stack: "dev", what: "MIG on a GPU without it", settings: { ...dev, gpuPools: pool({ sharing: { mode: "mig", profile: "all-1g.10gb" } }) }, names: "gpuPools[0].sharing.mode" },
    { stack: "dev", what: "VPC prefix too small", settings: { ...dev, network: { vpcCidr: "10.0.0.0/26" } }, names: "network.vpcCidr" },
    { stack: "dev", what: "existing VPC without subnets", settings: { ...dev, network: { vpcId: "vpc-0abc" } }, names: "network" },
    { stack: "dev", what: "API open to the world", settings: { ...dev, apiAccess: { publicCidrs: ["0.0.0.0/0"] } }, names: "apiAccess.publicCidrs[0]" },
    { stack: "dev", what: "system min above max", settings: { ...dev, systemNodes: { min: 5, max: 2 } }, names: "systemNodes.min" },
    { stack: "dev", what: "GKE settings on aws", settings: { ...dev, gke: { project: "ml-platform-eu" } }, names: "gke" },
    { stack: "dev", what: "KServe without cert-manager", settings: { ...dev, addons: { certManager: { enabled: false } } }, names: "addons.certManager.enabled" },
    { stack: "dev", what: "GitOps without a revision", settings: { ...dev, addons: { argocd: { gitops: { repoURL: "https://git.example.com/x.git" } } } }, names: "addons.argocd.gitops.revision" },
    { stack: "gke-eu", what: "a retired control plane range", settings: { ...stackSettings("gke-eu"), gke: { ...(stackSettings("gke-eu").gke as object), controlPlaneCidr: "10.41.0.0/28" } }, names: "gke.controlPlaneCidr" },
    { stack: "dev", what: "private EKS endpoint with no way in", settings: { ...dev, apiAccess: { publicCidrs: [] } }, names: "apiAccess" },
    { stack: "dev", what: "team group that is not an IAM role", settings: { ...dev, teams: [{ ...(dev.teams as object[])[0], group: "search-ml" }] }, names: "teams[0].group" },
    { stack: "gke-eu", what: "team group that is not a Google Group", settings: { ...stackSettings("gke-eu"), teams: [{ ...(stackSettings("gke-eu").teams as object[])[0], group: "search-ml" }] }, names: "teams[0].group" },
    { stack: "aks-eu", what: "team group that is a name, not an object id", settings: { ...stackSettings("aks-eu"), teams: [{ ...(stackSettings("aks-eu").teams as object[])[0], group: "search-ml" }] }, names: "teams[0].group" },
    { stack: "gke-eu", what: "private network path on GKE", settings: { ...stackSettings("gke-eu"), apiAccess: { privateCidrs: ["10.0.0.0/8"] } }, names: "apiAccess.privateCidrs" },
    { stack: "gke-eu", what: "GCP labels with capitals", settings: { ...stackSettings("gke-eu"), tags: { owner: "ML", "cost-center": "1" } }, names: "tags.owner" },
    { stack: "aks-eu", what: "private API on AKS with Node Auto Provisioning", settings: { ...stackSettings("aks-eu"), apiAccess: { publicCidrs: [] } }, names: "apiAccess.publicCidrs" },
    { stack: "aks-eu", what: "VNet over the pod range", settings: { ...stackSettings("aks-eu"), network: { vpcCidr: "100.64.0.0/16" } }, names: "network.vpcCidr" },
    { stack: "onprem", what: "baseline nodes on an existing cluster", settings: { ...stackSettings("onprem"), gpuPools: [{ ...(stackSettings("onprem").gpuPools as object[])[0], baselineNodes: 1 }], teams: [] }, names: "gpuPools[0].baselineNodes" },
    { stack: "onprem", what: "two kubeconfig sources", settings: { ...stackSettings("onprem"), existing: { kubeconfigPath: "~/a", kubeconfig: "b" } }, names: "existing" },
  ];
}

/** Random values anywhere in the settings: whatever JSON a typo or a bad merge could produce. */
function generatedCases(count: number): Case[] {
  const bases = stacks.map((stack) => ({ stack, settings: stackSettings(stack), paths: paths(stackSettings(stack)) }));
  const arbitrary = fc.record({
    base: fc.integer({ min: 0, max: bases.length - 1 }),
    at: fc.nat(),
    value: fc.jsonValue({ maxDepth: 2 }),
  });
  return fc.sample(arbitrary, { numRuns: count, seed: 20261122 }).map(({ base, at, value }) => {
    const { stack, settings, paths: all } = bases[base];
    const path = all[at % all.length];
    const root = String(path[0]);
    return { stack, what: `${label(path)} = ${JSON.stringify(value).slice(0, 40)}`, settings: setAt(settings, path, value), names: reshaping.has(root) ? undefined : root };
  });
}

describe("bad input corpus", function () {
  this.timeout(240000);
  const cases = [...stacks.flatMap(structuralCases), ...semanticCases(), ...generatedCases(150)];
  const accepted: Case[] = [];
  const rejected: Case[] = [];

  it(`answers every one of ${cases.length} cases with a plan or a named setting, never a crash`, () => {
    const crashes: string[] = [];
    for (const c of cases) {
      try {
        parse(c.settings, c.stack);
        accepted.push(c);
      } catch (error) {
        if (!(error instanceof StackConfigError)) {
          crashes.push(`${c.stack}: ${c.what}: ${String(error).split("\n")[0]}`);
          continue;
        }
        rejected.push(c);
        const message = error.message;
        if (!/gpu-platform:[A-Za-z]/.test(message)) crashes.push(`${c.stack}: ${c.what}: names no setting`);
        if (c.names && !message.includes(`gpu-platform:${c.names}`)) crashes.push(`${c.stack}: ${c.what}: does not name ${c.names}:\n${message}`);
        if (/\n\s+at [\w.<]+ \(/.test(message)) crashes.push(`${c.stack}: ${c.what}: carries a stack trace`);
      }
    }
    console.log(`      corpus: ${cases.length} cases, ${rejected.length} rejected with a named setting, ${accepted.length} accepted, ${crashes.length} crashes`);
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    assert.deepEqual(crashes, []);
    assert.ok(semanticCases().every((c) => rejected.includes(c) || rejected.some((r) => r.what === c.what)), "every semantic mistake is rejected");
  });

  it("plans accepted cases, one of each kind of change", async () => {
    // Planning costs about half a second; a sample across stacks and settings keeps the suite fast.
    const distinct = [...new Map(accepted.map((c) => [`${c.stack}${JSON.stringify(c.settings)}`, c])).values()];
    const step = Math.max(1, Math.ceil(distinct.length / 25));
    const sample = distinct.filter((_, i) => i % step === 0);
    const failures: string[] = [];
    for (const c of sample) {
      try {
        const p = await planStackFile(stackFileOf(c));
        if (p.resources.length < 20) failures.push(`${c.stack}: ${c.what}: only ${p.resources.length} resources`);
      } catch (error) {
        failures.push(`${c.stack}: ${c.what}: ${String(error).split("\n")[0]}`);
      }
    }
    console.log(`      corpus: ${sample.length} of ${distinct.length} distinct accepted cases planned`);
    assert.deepEqual(failures, []);
  });

  it("registers nothing for rejected cases", async () => {
    const sample = rejected.filter((_, i) => i % 10 === 0);
    for (const c of sample) {
      await assert.rejects(planStackFile(stackFileOf(c)), StackConfigError, `${c.stack}: ${c.what}`);
      const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
      assert.deepEqual([...monitor.resources.keys()].filter((urn) => !urn.includes("pulumi:pulumi:Stack")), [], `${c.stack}: ${c.what}`);
    }
    console.log(`      corpus: ${sample.length} rejected cases run through the program, none registered a resource`);
  });
});

/** The stack file of a case: the shipped file's project and stack, the case's settings. */
function stackFileOf(c: Case): StackFile {
  const file = readStackFile(root, c.stack);
  const config = Object.fromEntries(Object.entries(c.settings)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => [`gpu-platform:${key}`, typeof v === "string" ? v : JSON.stringify(v)]));
  return { ...file, config };
}
