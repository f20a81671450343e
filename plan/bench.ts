/**
 * `npm run bench [-- --quick]`: how the offline plan's cost grows with the size of a stack.
 *
 * Generates synthetic stacks from the dev stack (aws, eu-central-1) with `teams` teams and `pools`
 * GPU pools, plans each in its own child process (`--case teams,pools`) so that memory and module
 * caches do not carry over between cases, runs every case twice and keeps the faster run, prints
 * a Markdown table and two verdicts, and exits non-zero when either verdict is no, when a
 * synthetic stack fails the loader, or when a child fails.
 *
 * In the child, "plan ms" is the `planStack` call alone: the program's modules are loaded before
 * the clock starts (reported as "load ms"), so the fixed cost of compiling TypeScript does not
 * hide how planning grows. "child ms" is the whole child process, start to exit, as the parent saw it.
 */
import { spawn } from "child_process";
import * as os from "os";
import * as path from "path";
import { GpuModel, machinesFor } from "../stacks/gpu-catalog";
import { offersGpu } from "../stacks/gpu-regions";
import { parseStackConfig } from "../stacks/load";
import { planStack, projectRoot } from "./plan";
import { readStackFile } from "./stack-files";

const baseStack = "dev";
const cloud = "aws";
const region = "eu-central-1";

const fullGrid = { teams: [1, 10, 50, 200], pools: [1, 4, 16] };
const quickGrid = { teams: [1, 10], pools: [1] };
const runsPerCase = 2;

/** Verdict thresholds. */
const maxPerResourceGrowth = 1.5;
const maxTeamGrowth = 10;

/** GPU models the synthetic pools cycle through, kept to those the region offers on the cloud. */
const candidateModels: GpuModel[] = ["L4", "L40S", "A10G", "T4", "A100"];
const models = candidateModels.filter((m) => machinesFor(m, cloud).length > 0 && offersGpu(cloud, region, m));

/** The settings that turn the dev stack into a synthetic one (`gpu-platform:key` → value). */
function syntheticOverrides(teams: number, pools: number): Record<string, unknown> {
  const gpuPools = Array.from({ length: pools }, (_, i) => ({
    name: `p${i}`,
    gpu: models[i % models.length],
    // Room for every team's quota (1 GPU each) and for the largest machine of any model (8 GPUs).
    maxGpus: Math.max(16, teams),
    baselineNodes: 0,
  }));
  const teamList = Array.from({ length: teams }, (_, i) => ({
    name: `t${i}`,
    gpus: Object.fromEntries(gpuPools.map((p) => [p.name, 1])),
    cpu: "16",
    memory: "64Gi",
    group: `t${i}-ml`,
  }));
  return {
    "gpu-platform:gpuPools": gpuPools,
    "gpu-platform:teams": teamList,
    "gpu-platform:allowQuotaOvercommit": true,
  };
}

/** The raw config the synthetic stack plans with, built as `planStack` builds it. */
function syntheticConfig(teams: number, pools: number): Record<string, string> {
  const file = readStackFile(projectRoot, baseStack);
  const overrides = Object.entries(syntheticOverrides(teams, pools)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
  return { ...file.config, ...Object.fromEntries(overrides) };
}

interface CaseResult {
  teams: number;
  pools: number;
  resources: number;
  /** The planStack call alone. */
  ms: number;
  /** Loading the program's modules before the clock started. */
  loadMs: number;
  peakRssMiB: number;
}

// ---- child: one case, planned once ----

async function runCase(spec: string): Promise<number> {
  const match = /^(\d+),(\d+)$/.exec(spec);
  if (!match) {
    console.error(`--case needs teams,pools (e.g. 10,4), got ${spec}`);
    return 2;
  }
  const teams = Number(match[1]);
  const pools = Number(match[2]);
  // A config error is a bench failure; parseStackConfig throws StackConfigError naming the setting.
  parseStackConfig(baseStack, syntheticConfig(teams, pools));

  const loadStart = performance.now();
  // The same module planStackFile requires, so the plan below finds it cached.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(projectRoot, "index.ts"));
  const loadMs = performance.now() - loadStart;

  const start = performance.now();
  const plan = await planStack(baseStack, syntheticOverrides(teams, pools));
  const ms = performance.now() - start;

  // The overrides took effect: one team namespace per team, one pool output per pool.
  const teamNamespaces = plan.resources.filter(
    (r) => r.type === "kubernetes:core/v1:Namespace" && /^t\d+$/.test(String((r.inputs.metadata as { name?: unknown } | undefined)?.name)),
  ).length;
  const poolOutputs = Array.isArray(plan.outputs.gpuPools) ? plan.outputs.gpuPools.length : -1;
  if (teamNamespaces !== teams || poolOutputs !== pools) {
    console.error(`synthetic stack not planned as generated: ${teamNamespaces} team namespaces for ${teams} teams, ${poolOutputs} pools for ${pools}`);
    return 1;
  }

  const result: CaseResult = {
    teams,
    pools,
    resources: plan.resources.length,
    ms,
    loadMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
  return 0;
}

// ---- parent: the grid ----

interface Measured extends CaseResult {
  /** The child process from spawn to exit. */
  childMs: number;
}

function spawnCase(teams: number, pools: number): Promise<Measured> {
  const tsxCli = require.resolve("tsx/cli");
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, __filename, "--case", `${teams},${pools}`], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const childMs = performance.now() - started;
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0) {
        reject(new Error(`case ${teams} teams × ${pools} pools: child exited with ${signal ?? code}\n${stderr.trim()}`));
        return;
      }
      try {
        resolve({ ...(JSON.parse(last) as CaseResult), childMs });
      } catch {
        reject(new Error(`case ${teams} teams × ${pools} pools: no result line in child output:\n${stdout}${stderr}`));
      }
    });
  });
}

const fixed = (n: number, digits: number) => n.toFixed(digits);
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${fixed(os.totalmem() / 1024 ** 3, 1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}`,
    `Date: ${new Date().toISOString()}`,
  ];
}

const loadAverage = () => os.loadavg().map((l) => fixed(l, 2)).join(", ");

async function main(argv: string[]): Promise<number> {
  const caseAt = argv.indexOf("--case");
  if (caseAt >= 0) return runCase(argv[caseAt + 1] ?? "");
  const unknown = argv.filter((a) => a !== "--quick");
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}\nusage: npm run bench [-- --quick]`);
    return 2;
  }
  const quick = argv.includes("--quick");
  const grid = quick ? quickGrid : fullGrid;
  const cases = grid.teams.flatMap((teams) => grid.pools.map((pools) => ({ teams, pools })));

  console.log(`# Offline plan benchmark${quick ? " (--quick)" : ""}\n`);
  for (const line of machine()) console.log(line);
  console.log(`Load average (1, 5, 15 min) at start: ${loadAverage()}`);
  console.log(`Base stack: ${baseStack} (${cloud} ${region}); pools cycle ${models.join(", ")}; each team 1 GPU on every pool; allowQuotaOvercommit true.`);
  console.log(`Each case runs ${runsPerCase}× in a fresh child process; the faster run (by plan ms) is kept.\n`);

  // Every synthetic stack must pass the loader before anything is timed.
  for (const { teams, pools } of cases) {
    try {
      parseStackConfig(baseStack, syntheticConfig(teams, pools));
    } catch (error) {
      console.error(`FAIL: synthetic stack with ${teams} teams × ${pools} pools is rejected by the loader:\n${(error as Error).message}`);
      return 1;
    }
  }

  const best = new Map<string, Measured>();
  const key = (teams: number, pools: number) => `${teams},${pools}`;
  // Round by round, so a burst of load elsewhere hits one run of a case rather than both.
  for (let run = 1; run <= runsPerCase; run++) {
    for (const { teams, pools } of cases) {
      let result: Measured;
      try {
        result = await spawnCase(teams, pools);
      } catch (error) {
        console.error(`FAIL: ${(error as Error).message}`);
        return 1;
      }
      process.stderr.write(`run ${run}: ${count(teams, "team")} × ${count(pools, "pool")}: ${result.resources} resources, ${fixed(result.ms, 0)} ms\n`);
      const previous = best.get(key(teams, pools));
      if (!previous || result.ms < previous.ms) best.set(key(teams, pools), result);
    }
  }

  console.log("| teams | pools | resources | plan ms | ms per resource | peak RSS MiB | load ms | child ms |");
  console.log("|------:|------:|----------:|--------:|----------------:|-------------:|--------:|---------:|");
  for (const { teams, pools } of cases) {
    const r = best.get(key(teams, pools))!;
    console.log(`| ${teams} | ${pools} | ${r.resources} | ${fixed(r.ms, 0)} | ${fixed(r.ms / r.resources, 2)} | ${fixed(r.peakRssMiB, 0)} | ${fixed(r.loadMs, 0)} | ${fixed(r.childMs, 0)} |`);
  }
  console.log(`\nLoad average (1, 5, 15 min) at end: ${loadAverage()}\n`);

  const perResource = (r: Measured) => r.ms / r.resources;
  const bySize = [...best.values()].sort((a, b) => a.resources - b.resources);
  const smallest = bySize[0];
  const largest = bySize[bySize.length - 1];
  const resourceGrowth = perResource(largest) / perResource(smallest);
  const linear = resourceGrowth <= maxPerResourceGrowth;

  const minTeams = Math.min(...grid.teams);
  const maxTeams = Math.max(...grid.teams);
  const minPools = Math.min(...grid.pools);
  const fewTeams = best.get(key(minTeams, minPools))!;
  const manyTeams = best.get(key(maxTeams, minPools))!;
  const teamGrowth = manyTeams.ms / fewTeams.ms;
  const measuresTeams = maxTeams === 200 && minTeams === 1;

  console.log(`Growth, ${count(maxTeams, "team")} vs ${count(minTeams, "team")} at ${count(minPools, "pool")}: ${fixed(manyTeams.ms, 0)} ms / ${fixed(fewTeams.ms, 0)} ms = ${fixed(teamGrowth, 2)}× (resources ${manyTeams.resources} / ${fewTeams.resources} = ${fixed(manyTeams.resources / fewTeams.resources, 2)}×)`);
  // The ratio above includes the fixed cost of a small plan; the slope between team counts does not.
  const slopes = grid.teams.slice(1).map((teams, i) => {
    const a = best.get(key(grid.teams[i], minPools))!;
    const b = best.get(key(teams, minPools))!;
    return `${grid.teams[i]}→${teams} teams ${fixed((b.ms - a.ms) / (b.resources - a.resources), 2)}`;
  });
  console.log(`Marginal ms per added resource at ${count(minPools, "pool")} (informational): ${slopes.join(", ")}`);
  console.log(`Time per resource, largest case (${count(largest.teams, "team")} × ${count(largest.pools, "pool")}, ${largest.resources} resources) vs smallest (${smallest.teams} × ${smallest.pools}, ${smallest.resources}): ${fixed(perResource(largest), 2)} / ${fixed(perResource(smallest), 2)} ms = ${fixed(resourceGrowth, 2)}×\n`);
  console.log(`cost grows no faster than linearly with resources: ${linear ? "yes" : "no"} (largest/smallest time per resource ${fixed(resourceGrowth, 2)}×, limit ${maxPerResourceGrowth}×)`);
  if (measuresTeams) {
    console.log(`200 teams within 10× of 1 team: ${teamGrowth <= maxTeamGrowth ? "yes" : "no"} (${fixed(teamGrowth, 2)}×)`);
  } else {
    console.log(`200 teams within 10× of 1 team: not measured in --quick (${maxTeams} teams vs ${minTeams}: ${fixed(teamGrowth, 2)}×)`);
  }
  const teamsOk = !measuresTeams || teamGrowth <= maxTeamGrowth;
  return linear && teamsOk ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(3);
  },
);
