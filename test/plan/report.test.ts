import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { worstCaseGpuSpend } from "../../policy/cost";
import { checkPolicies, previewJson } from "../../plan/plan";
import type { Plan } from "../../plan/program";
import { buildReport } from "../../plan/report/build";
import { diffPlans } from "../../plan/report/diff";
import { renderHtml } from "../../plan/report/html";
import { mermaid, renderMarkdown } from "../../plan/report/markdown";
import type { PlanReport } from "../../plan/report/model";
import { creationSeconds } from "../../stacks/creation-times";
import { plan } from "../helpers/plan";
import { stackSettings } from "../helpers/settings";

const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");

const root = path.resolve(__dirname, "../..");
const reportOf = async (p: Plan): Promise<PlanReport> => buildReport(p, await checkPolicies(p));
const idlePool = { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] };

describe("plan report", () => {
  describe("how pulumi up reaches the API", () => {
    it("says, per stack, the way in and why the deployer is admin, read from the planned resources", async () => {
      const expected: Record<string, RegExp> = {
        dev: /^public endpoint, admitting 203\.0\.113\.0\/24\. Admin: the IAM role that creates the cluster/,
        "eu-prod": /^private endpoint, from 10\.200\.0\.0\/20 \(443 on the control plane's security group\)\. Admin: .*1 admin role/,
        "gke-eu": /^DNS endpoint, from any network, for Google identities holding container\.clusters\.connect\. Admin: IAM: roles\/container\.admin/,
        "aks-eu": /^public endpoint, admitting 203\.0\.113\.0\/24\. Admin: Azure RBAC Cluster Admin/,
        onprem: /^the stack's kubeconfig/,
      };
      for (const [stack, summary] of Object.entries(expected)) {
        const report = await reportOf(await plan(stack));
        assert.match(report.apiAccess!.summary, summary, stack);
      }
    });

    it("puts it in the Markdown and the JSON, and says what destroy does about Karpenter's instances", async () => {
      const p = await plan("dev");
      const report = await reportOf(p);
      const markdown = renderMarkdown(report);
      assert.match(markdown, /### How `pulumi up` reaches the API\n\n- public endpoint, admitting 203\.0\.113\.0\/24\n- Admin: /);
      assert.match(markdown, /### On destroy\n\n- pulumi destroy terminates every instance Karpenter launched for gpu-dev/);
      assert.match(markdown, /aws ec2 terminate-instances --region eu-central-1 --instance-ids/);
      const json = previewJson(p, report.policies, report) as { apiAccess?: { paths: unknown[] }; destroy?: string[] };
      assert.deepEqual(json.apiAccess?.paths, [{ kind: "public-endpoint", networks: ["203.0.113.0/24"], description: "public endpoint, admitting 203.0.113.0/24" }]);
      assert.equal(json.destroy?.length, 3);
      assert.match(json.destroy![2], /deletes the cluster's detached EBS volumes .*tag gpu-platform\.io\/cluster=gpu-dev/);
      assert.deepEqual((await reportOf(await plan("gke-eu"))).destroy, [], "GKE deletes its node pools with the cluster");
    });
  });

  describe("cold start", () => {
    const coldStartOf = async (stack: string, overrides: Record<string, unknown> = {}) => (await reportOf(await plan(stack, overrides))).coldStart!;

    it("models each pool and serving runtime from zero as steps from the dated table; a baseline node skips the node and the pull", async () => {
      const report = await reportOf(await plan("eu-prod"));
      const cold = report.coldStart!;
      assert.deepEqual(cold.rows.filter((r) => r.pool === "l40s").map((r) => r.runtime), ["vllm", "huggingface"], "one row per runtime the stack offers");
      const l40s = cold.rows.find((r) => r.pool === "l40s" && r.runtime === "huggingface")!;
      assert.deepEqual(l40s.steps.map((s) => s.step), ["node launch", "GPU ready", "serving image", "weights download (16 GB)", "weights load", "engine start"]);
      // eu-prod has the model store: vLLM streams from it, KServe's huggingfaceserver downloads first.
      const streamed = cold.rows.find((r) => r.pool === "l40s" && r.runtime === "vllm")!;
      assert.deepEqual(streamed.steps.map((s) => s.step), ["node launch", "GPU ready", "serving image", "weights stream (16 GB)", "engine start"]);
      assert.equal(l40s.seconds, l40s.steps.reduce((sum, s) => sum + s.seconds, 0));
      assert.deepEqual(l40s.steps.slice(0, 2).map((s) => [s.seconds, s.basis]), [[53, "measured on g6e.2xlarge"], [36, "measured on g6e.2xlarge"]], "the measured EKS figures, and the machine they were measured on");
      const l4 = cold.rows.find((r) => r.pool === "l4")!;
      assert.deepEqual(l4.steps.slice(0, 3).map((s) => s.seconds), [0, 0, 0]);
      assert.equal(l4.meetsGoal, true);
      assert.equal(l40s.meetsGoal, false);
      const markdown = renderMarkdown(report);
      assert.match(markdown, /### Cold start: from zero to a first answer/);
      assert.match(markdown, /\| l40s \| L40S \| huggingface \| node launch 53 s \(measured on g6e\.2xlarge\); GPU ready 36 s/);
      assert.match(renderHtml(report), /<h3>Cold start/);
    });

    it("lands each cloud where the README says: from zero with every lever the stack can switch on, and with a warm node", async () => {
      const total = async (stack: string, overrides: Record<string, unknown>) => (await coldStartOf(stack, overrides)).rows[0].seconds;
      const store = { "gpu-platform:modelStore": { enabled: true } };
      const l4 = (baselineNodes: number) => ({ "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", instanceTypes: ["g6.2xlarge"], maxGpus: 8, baselineNodes }] });
      const gkeL4 = { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1, capacityTypes: ["on-demand"] }], "gpu-platform:teams": [] };
      const aksA100 = { "gpu-platform:gpuPools": [{ name: "a100", gpu: "A100-80GB", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] };
      const eksDisk = { "gpu-platform:eks": { gpuNodeImage: "bottlerocket" }, "gpu-platform:coldStart": { imageDisk: "snap-0123456789abcdef0" } };
      const modelled = [
        [await total("dev", { ...l4(0), ...eksDisk, ...store }), await total("dev", { ...l4(1), ...eksDisk, ...store })],
        [await total("dev", { ...l4(0), "gpu-platform:coldStart": { fastImagePull: true }, ...store }), await total("dev", { ...l4(1), ...store })],
        [await total("gke-eu", { "gpu-platform:coldStart": { fastImagePull: true, imageDisk: "global/images/serving" }, ...store }), await total("gke-eu", { ...gkeL4, ...store })],
        [await total("aks-eu", { "gpu-platform:coldStart": { fastImagePull: true }, ...store }), await total("aks-eu", { ...aksA100, ...store })],
      ];
      // The README's table, row by row: "| Cloud, pool | 146 s: node 53 + GPU 36 … | 52 s |".
      const table = readme.slice(readme.indexOf("| Cloud, L4-class pool |")).split("\n\n")[0];
      const rows = table.split("\n").slice(2);
      const stated = rows.map((line) => line.split("|").slice(2, 4).map((cell) => Number(/^\s*(\d+) s/.exec(cell)![1])));
      assert.deepEqual(stated, modelled);
      for (const [i, line] of rows.entries()) {
        const steps = /node (\d+) \+ GPU (\d+).*image (\d+), weights (\d+)(?: \([^)]*\))?, engine (\d+)/.exec(line)!.slice(1).map(Number);
        assert.equal(steps.reduce((a, b) => a + b, 0), modelled[i][0], `the steps add up to the total: ${line}`);
      }
      // And without the store, as the README says below the table.
      const withoutStore = [await total("dev", l4(1)), await total("gke-eu", gkeL4), await total("aks-eu", aksA100)];
      assert.deepEqual(withoutStore, [101, 136, 136]);
      assert.match(readme, /a warm node takes 101 s on EKS and 136 s on GKE and AKS/);
    });

    it("says what each lever saves per pool, the difference it makes to the pool's total", async () => {
      const off = await coldStartOf("gke-eu");
      const on = await coldStartOf("gke-eu", { "gpu-platform:coldStart": { fastImagePull: true } });
      const lever = (c: typeof off, setting: string) => c.levers.find((l) => l.setting === setting)!;
      const fast = lever(off, "coldStart.fastImagePull");
      assert.equal(fast.state, "off");
      assert.deepEqual(fast.savings.map((s) => s.seconds), off.rows.map((r, i) => r.seconds - on.rows[i].seconds));
      assert.equal(lever(on, "coldStart.fastImagePull").state, "on");
      const warm = lever(off, "gpuPools[].baselineNodes");
      assert.equal(warm.savings[0].seconds, off.rows[0].seconds - 136);
      const costs = (await reportOf(await plan("gke-eu"))).cost.modelsAtZero;
      assert.deepEqual(warm.savings.map((s) => s.monthlyUsd), costs.map((c) => c.idleAtMin1Monthly), "a warm node costs what the cost model says one kept-up model costs");
      assert.ok(warm.savings.every((s) => s.monthlyUsd! > 0));
      const cache = lever(off, "none");
      assert.equal(cache.state, "not offered");
      assert.match(cache.why!, /LocalModelCache .* cannot run on the tainted GPU nodes/);
      assert.equal(cache.savings[0].seconds, 62, "on a warm node: no download from Hugging Face; the load into the GPU remains");
    });

    it("says why a lever cannot be switched on as the stack stands, and which images an image disk must hold", async () => {
      const aks = await coldStartOf("aks-eu");
      const aksDisk = aks.levers.find((l) => l.setting === "coldStart.imageDisk")!;
      assert.deepEqual([aksDisk.state, aksDisk.savings], ["not offered", []]);
      assert.deepEqual(aks.imageDiskImages, []);
      const dev = await coldStartOf("dev");
      assert.match(dev.levers.find((l) => l.setting === "coldStart.imageDisk")!.why!, /needs eks\.gpuNodeImage bottlerocket/);
      const prod = await coldStartOf("eu-prod");
      const runtimes = (await plan("eu-prod")).resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs.chart).endsWith("/kserve-runtime-configs"))!;
      const vllm = (runtimes.inputs.values as { kserve: { servingruntime: { vllmserver: { image: string; tag: string } } } }).kserve.servingruntime.vllmserver;
      const huggingface = (runtimes.inputs.values as { kserve: { servingruntime: { huggingfaceserver: { tag: string } } } }).kserve.servingruntime.huggingfaceserver;
      assert.equal(huggingface.tag, "v0.20.0-gpu", "KServe's GPU build; the chart's default tag is the CPU one");
      assert.deepEqual(prod.imageDiskImages, [`docker.io/${vllm.image}:${vllm.tag}`, `docker.io/kserve/huggingfaceserver:${huggingface.tag}`, "docker.io/kserve/storage-initializer:v0.20.0"],
        "fully qualified, as containerd pulls them: the runtimes' images and the storage initializer that fetches hf:// weights");
    });

    it("loads the reference model size the stack sets: a 70B model's weights take longer", async () => {
      const weights = async (gb?: number) => (await coldStartOf("dev", gb ? { "gpu-platform:coldStart": { referenceModelGB: gb } } : {})).rows[0].steps.find((s) => s.step.startsWith("weights"))!;
      assert.deepEqual([(await weights()).step, (await weights()).seconds], ["weights download (16 GB)", 16]);
      assert.deepEqual([(await weights(140)).step, (await weights(140)).seconds], ["weights download (140 GB)", 139]);
    });

    it("counts the fast image pull where a saving is published (GKE streaming, EKS SOCI), and none on AKS", async () => {
      const image = async (stack: string, fast: boolean) => (await coldStartOf(stack, fast ? { "gpu-platform:coldStart": { fastImagePull: true } } : {}))
        .rows.map((r) => r.steps.find((s) => s.step === "serving image")!.seconds).find((seconds) => seconds > 0)!;
      assert.ok((await image("gke-eu", true)) < (await image("gke-eu", false)));
      assert.ok((await image("eu-prod", true)) < (await image("eu-prod", false)));
      assert.equal(await image("aks-eu", true), await image("aks-eu", false));
      assert.equal((await reportOf(await plan("onprem"))).coldStart, undefined);
    });
  });

  describe("admission policies", () => {
    it("lists each policy with the rule it mirrors, its mode per environment and its scope", async () => {
      const dev = await reportOf(await plan("dev"));
      const services = dev.admission.find((a) => a.name === "gpu-platform-no-public-services")!;
      assert.deepEqual(services, { name: "gpu-platform-no-public-services", mirrors: "no-public-load-balancers", actions: ["Warn", "Audit"], scope: "team namespaces" });
      const prod = await reportOf(await plan("eu-prod"));
      assert.ok(prod.admission.every((a) => a.actions.join() === "Deny"));
      assert.match(prod.admission.find((a) => a.name === "gpu-platform-no-host-access")!.scope, /^every namespace but gpu-operator, kube-system/);
      assert.match(renderMarkdown(prod), /\| gpu-platform-dra-device-classes \| dra-device-classes-allowed \| Deny \| team namespaces \|/);
    });
  });

  describe("inference gateway", () => {
    it("shows the endpoint, its exposure and each team's limits, read from the planned resources", async () => {
      const report = await reportOf(await plan("eu-prod"));
      const gateway = report.gateway!;
      assert.equal(gateway.endpoint, "https://inference.eu-prod.ml.example.internal/v1");
      assert.match(gateway.exposure, /^internal load balancer \(service\.beta\.kubernetes\.io\/aws-load-balancer-internal: true\)/);
      assert.deepEqual(gateway.teams, [{ team: "assistants", requestsPerMinute: 120 }, { team: "search", requestsPerMinute: 600, tokensPerMinute: 1000000 }]);
      const markdown = renderMarkdown(report);
      assert.match(markdown, /### Inference gateway\n\n- Endpoint: `https:\/\/inference\.eu-prod\.ml\.example\.internal\/v1`/);
      assert.match(markdown, /\| search \| 600 \| 1000000 \|/);
      assert.match(markdown, /\| assistants \| 120 \| no budget \|/);
    });

    it("says so when a gateway is public or cluster-only, and has no section without one", async () => {
      const exposure = async (setting: string) => (await reportOf(await plan("dev", { "gpu-platform:addons": { gateway: { exposure: setting } } }))).gateway!.exposure;
      assert.match(await exposure("public"), /^PUBLIC load balancer/);
      assert.match(await exposure("clusterIP"), /^cluster only/);
      assert.equal((await reportOf(await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false } } }))).gateway, undefined);
    });
  });

  describe("picture", () => {
    it("shows network, cluster, system nodes, the GPU pool, add-ons and teams, with their dependencies", async () => {
      const { graph } = await reportOf(await plan("dev"));
      const kinds = new Set(graph.nodes.map((n) => n.kind));
      for (const kind of ["network", "cluster", "system-nodes", "gpu-pool", "autoscaler", "addon", "team", "storage"]) assert.ok(kinds.has(kind as never), kind);
      const edge = (from: string, to: string) => graph.edges.some((e) => e.from === from && e.to === to);
      assert.ok(edge("network", "cluster") && edge("cluster", "system-nodes"));
      assert.ok(edge("addon:cert-manager", "addon:kserve-crd") && edge("addon:kserve-crd", "addon:kserve"));
      assert.ok(edge("autoscaler", "gpu-pool:l4"), "GPU capacity comes from Karpenter");
      assert.ok(!edge("cluster", "addon:kserve"), "transitive arrows are left out");
    });

    it("writes it as a Mermaid flowchart with every node and arrow", async () => {
      const { graph } = await reportOf(await plan("dev"));
      const text = mermaid(graph);
      assert.match(text, /^flowchart LR\n/);
      assert.equal((text.match(/ --> /g) ?? []).length, graph.edges.length);
      assert.ok(graph.nodes.every((n) => text.includes(n.label)));
    });
  });

  describe("cost", () => {
    it("adds up control plane, system nodes and baseline GPUs when idle, and every pool's bound at worst", async () => {
      const { cost } = await reportOf(await plan("dev", idlePool));
      const line = (kind: string) => cost.lines.find((l) => l.kind === kind)!;
      assert.equal(Math.round(line("control-plane").idleMonthly), 73, "EKS $0.10/h × 730 h");
      const gpu = line("baseline-gpu");
      assert.ok(gpu.idleMonthly > 0 && gpu.worstCaseMonthly === gpu.idleMonthly * 8, "1 of 8 GPUs always on");
      assert.equal(Math.round(cost.idleMonthly), Math.round(cost.lines.reduce((s, l) => s + l.idleMonthly, 0)));
      assert.ok(cost.worstCaseMonthly > cost.idleMonthly);
    });

    it("agrees with the policy pack's worst-case GPU spend", async () => {
      const p = await plan("dev");
      const { cost } = await reportOf(p);
      const gpuLines = cost.lines.filter((l) => l.kind === "gpu-pool" || l.kind === "baseline-gpu");
      const policy = worstCaseGpuSpend(p.resources.map((r) => ({ type: r.type, props: r.inputs, urn: r.urn, name: r.name })));
      assert.equal(Math.round(gpuLines.reduce((s, l) => s + l.worstCaseMonthly, 0)), Math.round(policy.usdPerMonth));
    });

    it("prices an idle model per pool: nothing at min 0, its smallest node at min 1 unless baseline nodes run anyway", async () => {
      const report = await reportOf(await plan("eu-prod"));
      const byPool = Object.fromEntries(report.cost.modelsAtZero.map((m) => [m.pool, m]));
      const l40s = byPool.l40s;
      assert.equal(l40s.machine, "g6e.xlarge");
      assert.equal(l40s.idleAtMin0Monthly, 0);
      const gpuLine = report.cost.lines.find((l) => l.item.startsWith("GPU pool l40s"))!;
      // One GPU at the pool's price: the same hourly figure the pool's worst case is built from (16 GPUs).
      assert.ok(Math.abs(l40s.idleAtMin1Monthly - gpuLine.worstCaseMonthly / 16) < 0.01);
      // eu-prod's l4 pool keeps a baseline node: min 1 costs nothing more than min 0.
      assert.ok(byPool.l4.idleAtMin0Monthly > 0);
      assert.equal(byPool.l4.idleAtMin1Monthly, byPool.l4.idleAtMin0Monthly);
      assert.match(renderMarkdown(report), /\| l40s \| g6e\.xlarge \| \$0 \| \$[\d,]+ \|/);
    });

    it("prices each team's quota at its pools' GPU price", async () => {
      const { cost } = await reportOf(await plan("dev"));
      const search = cost.perTeam.find((t) => t.team === "search")!;
      const pool = cost.lines.find((l) => l.kind === "gpu-pool")!;
      assert.equal(search.gpus, 4);
      assert.equal(Math.round(search.worstCaseMonthly), Math.round(pool.worstCaseMonthly / 2));
    });

    it("says an existing cluster's cost is not modelled", async () => {
      const { cost } = await reportOf(await plan("onprem"));
      assert.equal(cost.worstCaseMonthly, 0);
      assert.match(cost.notes.join(" "), /not modelled/);
    });
  });

  describe("modelled rollout", () => {
    it("runs through the cluster and system nodes, never through GPU nodes", async () => {
      const { rollout } = await reportOf(await plan("dev", idlePool));
      const types = rollout.path.map((s) => s.type);
      assert.ok(types.includes("eks:index:Cluster"));
      assert.ok(rollout.path.some((s) => s.name.endsWith("-system")));
      assert.ok(!rollout.path.some((s) => s.name.endsWith("-gpu-l4")), rollout.path.map((s) => s.name).join(" → "));
      for (let i = 1; i < rollout.path.length; i++) assert.ok(rollout.path[i].startsAt >= rollout.path[i - 1].startsAt);
    });

    it("takes no longer than cluster + system nodes + the longest add-on chain", async () => {
      const report = await reportOf(await plan("dev"));
      const minutes = (type: string, release?: string) => creationSeconds(type, release) / 60;
      const chains = [
        ["cert-manager", "kserve-crd", "kserve", "kserve-runtimes"].reduce((s, r) => s + minutes("kubernetes:helm.sh/v3:Release", r), 0),
        minutes("aws:eks/addon:Addon") + minutes("kubernetes:helm.sh/v3:Release", "kube-prometheus-stack") + minutes("kubernetes:helm.sh/v3:Release", "kueue"),
      ];
      const bound = minutes("eks:index:Cluster") + minutes("aws:eks/nodeGroup:NodeGroup") + Math.max(...chains);
      assert.ok(report.rollout.minutes <= bound + 1, `${report.rollout.minutes.toFixed(1)} min > ${bound.toFixed(1)} min + 1`);
    });
  });

  describe("diff against a saved plan", () => {
    it("lists what a new team adds and what a quota change changes, with the cost delta", async () => {
      const base = await plan("dev");
      const saved = previewJson(base, undefined, await reportOf(base));
      const [search, assistants] = stackSettings("dev").teams as { group: string }[];
      const teams = [
        { name: "search", gpus: { l4: 2 }, cpu: "32", memory: "128Gi", group: search.group },
        { name: "assistants", gpus: { l4: 4 }, cpu: "32", memory: "128Gi", group: assistants.group },
        { name: "vision", gpus: { l4: 2 }, cpu: "16", memory: "64Gi" },
      ];
      const next = await plan("dev", { "gpu-platform:teams": teams });
      const diff = diffPlans(saved, next, (await reportOf(next)).cost, "main.json");
      assert.ok(diff.added.some((urn) => urn.endsWith("team-vision")), diff.added.join("\n"));
      assert.deepEqual(diff.removed, []);
      // The quota moves within what Kueue may admit, so the namespace ceiling stays; the queue changes.
      const queue = diff.changed.find((c) => c.urn.endsWith("queues-team-search"));
      assert.deepEqual(queue?.fields, ["spec"], diff.changed.map((c) => c.urn).join("\n"));
      assert.equal(diff.worstCaseMonthlyDelta, 0, "teams do not change what the pools can cost");
    });

    it("shows the cost delta of a larger pool", async () => {
      const base = await plan("dev");
      const saved = previewJson(base, undefined, await reportOf(base));
      const bigger = await plan("dev", { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", instanceTypes: ["g6.2xlarge"], maxGpus: 16, sharing: { mode: "time-slicing", replicas: 2 } }] });
      const diff = diffPlans(saved, bigger, (await reportOf(bigger)).cost, "main.json");
      assert.ok((diff.worstCaseMonthlyDelta ?? 0) > 5000);
      assert.ok(diff.changed.some((c) => c.urn.endsWith("gpu-l4")));
      assert.ok(diff.changed.every((c) => c.replaces.length === 0), "a larger pool replaces nothing");
    });

    it("says when a change replaces a node group", async () => {
      const base = await plan("dev");
      const saved = previewJson(base, undefined, await reportOf(base));
      const bigger = await plan("dev", { "gpu-platform:systemNodes": { instanceType: "m7i.2xlarge", min: 2, max: 3 } });
      const report = { ...(await reportOf(bigger)), diff: diffPlans(saved, bigger, (await reportOf(bigger)).cost, "main.json") };
      const system = report.diff.changed.find((c) => c.urn.endsWith("NodeGroup::gpu-dev-system"))!;
      assert.deepEqual(system.replaces, ["instanceTypes"]);
      assert.match(renderMarkdown(report), /gpu-dev-system`: instanceTypes, tags — \*\*replaces it\*\* \(instanceTypes\)|gpu-dev-system`: .*\*\*replaces it\*\* \(instanceTypes\)/);
    });
  });

  it("writes Markdown, HTML and JSON from the command line, with a diff against a saved plan", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
    const run = (args: string[]) => spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(root, "plan/cli.ts"), ...args], { encoding: "utf8", cwd: root });
    const first = run(["--stack", "dev", "--json", path.join(dir, "main.json")]);
    assert.equal(first.status, 0, first.stderr);
    const second = run(["--stack", "dev", "--against", path.join(dir, "main.json"), "--markdown", path.join(dir, "dev.md"), "--html", path.join(dir, "dev.html"), "--json", path.join(dir, "dev.json")]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /Modelled first rollout: \d+\.\d minutes/);
    const markdown = fs.readFileSync(path.join(dir, "dev.md"), "utf8");
    assert.match(markdown, /```mermaid\nflowchart LR/);
    assert.match(markdown, /Worst case \/ month/);
    assert.match(markdown, /### Modelled first rollout: \d+\.\d minutes/);
    assert.match(markdown, /0 added, 0 removed, 0 changed/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "dev.json"), "utf8"));
    assert.ok(json.cost.worstCaseMonthly > 0 && json.rollout.minutes > 0 && json.diff);
    assert.match(fs.readFileSync(path.join(dir, "dev.html"), "utf8"), /<svg/);
  });

  it("renders the policy results and the add-on versions in the Markdown", async () => {
    const markdown = renderMarkdown(await reportOf(await plan("dev", idlePool)));
    assert.match(markdown, /\*\*mandatory\*\* `gpu-capacity-scales-to-zero-outside-prod`/);
    assert.match(markdown, /\| kube-prometheus-stack \| kube-prometheus-stack \| 88\.5\.3 \| monitoring \|/);
  });
});
