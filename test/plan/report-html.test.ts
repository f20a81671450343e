import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { checkPolicies } from "../../plan/plan";
import { buildReport } from "../../plan/report/build";
import { formatUsd, renderHtml } from "../../plan/report/html";
import type { PlanReport } from "../../plan/report/model";
import { plan } from "../helpers/plan";

const chromiumPath = "/usr/bin/chromium";

/** An EKS dev stack as the report builder describes it, with a diff and one violation. */
const report: PlanReport = {
  admission: [{ name: "gpu-platform-no-public-services", mirrors: "no-public-load-balancers", actions: ["Warn", "Audit"], scope: "team namespaces" }],
  project: "gpu-inference-platform",
  stack: "dev",
  cloud: "aws",
  region: "eu-central-1",
  jurisdiction: "eu",
  environment: "dev",
  resourceCount: 187,
  resourcesByType: [
    { type: "kubernetes:helm.sh/v3:Release", count: 11 },
    { type: "kubernetes:core/v1:Namespace", count: 14 },
    { type: "aws:ec2/subnet:Subnet", count: 6 },
    { type: "aws:eks/cluster:Cluster", count: 1 },
    { type: "kubernetes:karpenter.sh/v1:NodePool", count: 2 },
  ],
  addons: [
    { release: "cert-manager", chart: "cert-manager", version: "v1.19.1", namespace: "cert-manager" },
    { release: "karpenter", chart: "karpenter", version: "1.8.1", namespace: "kube-system" },
    { release: "gpu-operator", chart: "gpu-operator", version: "v25.10.0", namespace: "gpu-operator" },
    { release: "kueue", chart: "kueue", version: "0.14.4", namespace: "kueue-system" },
    { release: "kserve", chart: "kserve", version: "v0.16.0", namespace: "kserve" },
  ],
  policies: {
    policies: [
      { name: "gpu-spend-within-budget", enforcementLevel: "mandatory" },
      { name: "gpu-capacity-scales-to-zero-outside-prod", enforcementLevel: "mandatory" },
      { name: "eks-cluster-endpoint-private", enforcementLevel: "mandatory" },
      { name: "helm-release-version-pinned", enforcementLevel: "advisory" },
    ],
    violations: [
      { policyName: "helm-release-version-pinned", enforcementLevel: "advisory", urn: "urn:pulumi:dev::gpu-inference-platform::kubernetes:helm.sh/v3:Release::kserve-runtimes", message: "chart version <latest> is not pinned" },
      { policyName: "helm-release-version-pinned", enforcementLevel: "advisory", message: "second finding of the same rule" },
    ],
    configFile: "policy/config/dev.json",
  },
  cost: {
    modelsAtZero: [{ pool: "l4", machine: "g6.xlarge", idleAtMin0Monthly: 0, idleAtMin1Monthly: 587.4 }],
    currency: "USD",
    pricesAsOf: "2025-11-03",
    region: "eu-central-1",
    idleMonthly: 412.6,
    worstCaseMonthly: 23456.4,
    lines: [
      { item: "EKS control plane", kind: "control-plane", idleMonthly: 73, worstCaseMonthly: 73, basis: "$0.10/h × 730 h" },
      { item: "System node group (2 × m6i.large)", kind: "system-nodes", idleMonthly: 339.6, worstCaseMonthly: 339.6, basis: "2 × $0.2326/h × 730 h" },
      { item: "GPU pool l4 (g6.xlarge, 0–8 GPUs)", kind: "gpu-pool", idleMonthly: 0, worstCaseMonthly: 5980.2, basis: "8 × $1.024/h × 730 h" },
      { item: "GPU pool h100 (p5.48xlarge, 0–8 GPUs)", kind: "gpu-pool", idleMonthly: 0, worstCaseMonthly: 17063.6, basis: "1 × $23.374/h × 730 h" },
    ],
    perTeam: [
      { team: "ml-research", gpus: 8, worstCaseMonthly: 17063.6 },
      { team: "search", gpus: 4, worstCaseMonthly: 2990.1 },
    ],
    notes: ["On-demand prices; Spot and savings plans would lower them.", "Data transfer and storage are not counted."],
  },
  rollout: {
    minutes: 41.5,
    timesAsOf: "2025-10",
    path: [
      { urn: "urn:pulumi:dev::gpu-inference-platform::aws:ec2/vpc:Vpc::dev-vpc", type: "aws:ec2/vpc:Vpc", name: "dev-vpc", minutes: 1, startsAt: 0 },
      { urn: "urn:pulumi:dev::gpu-inference-platform::aws:ec2/natGateway:NatGateway::dev-nat", type: "aws:ec2/natGateway:NatGateway", name: "dev-nat", minutes: 2, startsAt: 1 },
      { urn: "urn:pulumi:dev::gpu-inference-platform::aws:eks/cluster:Cluster::dev-cluster", type: "aws:eks/cluster:Cluster", name: "dev-cluster", minutes: 12, startsAt: 3 },
      { urn: "urn:pulumi:dev::gpu-inference-platform::aws:eks/nodeGroup:NodeGroup::dev-system", type: "aws:eks/nodeGroup:NodeGroup", name: "dev-system", minutes: 3.5, startsAt: 15 },
      { urn: "urn:pulumi:dev::gpu-inference-platform::kubernetes:helm.sh/v3:Release::dev-gpu-operator", type: "kubernetes:helm.sh/v3:Release", name: "dev-gpu-operator", minutes: 23, startsAt: 18.5 },
    ],
  },
  graph: {
    nodes: [
      { id: "vpc", label: "VPC (3 zones)", kind: "network" },
      { id: "cluster", label: "EKS control plane", kind: "cluster" },
      { id: "system", label: "System node group", kind: "system-nodes" },
      { id: "ebs", label: "gp3-encrypted", kind: "storage" },
      { id: "karpenter", label: "Karpenter", kind: "autoscaler" },
      { id: "pool:l4", label: "GPU pool l4", kind: "gpu-pool" },
      { id: "pool:h100", label: "GPU pool h100", kind: "gpu-pool" },
      { id: "cert-manager", label: "cert-manager", kind: "addon" },
      { id: "kserve", label: "KServe", kind: "addon" },
      { id: "kueue", label: "Kueue", kind: "addon" },
      { id: "gpu-operator", label: "GPU Operator", kind: "addon" },
      { id: "team:ml-research", label: "Team ml-research", kind: "team" },
      { id: "team:search", label: "Team search", kind: "team" },
    ],
    edges: [
      { from: "vpc", to: "cluster" },
      { from: "cluster", to: "system" },
      { from: "cluster", to: "ebs" },
      { from: "system", to: "karpenter" },
      { from: "karpenter", to: "pool:l4" },
      { from: "karpenter", to: "pool:h100" },
      { from: "system", to: "cert-manager" },
      { from: "cert-manager", to: "kserve" },
      { from: "system", to: "kueue" },
      { from: "system", to: "gpu-operator" },
      { from: "kueue", to: "team:ml-research" },
      { from: "kueue", to: "team:search" },
      { from: "kserve", to: "team:ml-research" },
    ],
  },
  apiAccess: {
    summary: "public endpoint, admitting 203.0.113.0/24. Admin: the IAM role that creates the cluster (EKS creator access entry).",
    paths: [{ kind: "public-endpoint", networks: ["203.0.113.0/24"], description: "public endpoint, admitting 203.0.113.0/24" }],
    deployerAdmin: "the IAM role that creates the cluster (EKS creator access entry)",
  },
  destroy: ["pulumi destroy terminates every instance Karpenter launched for gpu-dev"],
  diff: {
    against: "plan-main.json",
    added: ["urn:pulumi:dev::gpu-inference-platform::kubernetes:karpenter.sh/v1:NodePool::dev-h100"],
    removed: ["urn:pulumi:dev::gpu-inference-platform::kubernetes:core/v1:Namespace::team-legacy"],
    changed: [{ urn: "urn:pulumi:dev::gpu-inference-platform::kubernetes:helm.sh/v3:Release::dev-kueue", fields: ["version", "values.controllerManager.replicas"], replaces: [] }],
    idleMonthlyDelta: 0,
    worstCaseMonthlyDelta: 17063.6,
  },
};

/** A hostile stack name and labels: if any of them ran, `window.__pwned` would be set. */
const payload = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
const hostile: PlanReport = {
  ...report,
  stack: `dev${payload}`,
  graph: { ...report.graph, nodes: report.graph.nodes.map((n, i) => (i === 0 ? { ...n, label: `VPC ${payload}` } : n)) },
  cost: { ...report.cost, notes: [...report.cost.notes, `note ${payload}`] },
  addons: [...report.addons, { release: `r${payload}`, chart: "c", version: `"'><script>window.__pwned=3</script>`, namespace: "n" }],
  policies: { ...report.policies, violations: [...report.policies.violations, { policyName: `p${payload}`, enforcementLevel: "advisory", message: payload }] },
};

describe("HTML plan report", () => {
  it("formats money as whole dollars with separators", () => {
    assert.equal(formatUsd(12345.4), "$12,345");
    assert.equal(formatUsd(1234567.5), "$1,234,568");
    assert.equal(formatUsd(0), "$0");
    assert.equal(formatUsd(-80.2), "-$80");
  });

  it("leaves out the diff section when there is nothing to compare against", () => {
    const { diff: _diff, ...withoutDiff } = report;
    assert.doesNotMatch(renderHtml(withoutDiff), /id="diff"/);
    assert.match(renderHtml(report), /<section id="diff"/);
  });

  it("says how pulumi up reaches the API, and warns when nothing does", () => {
    const html = renderHtml(report);
    assert.match(html, /<section id="access"[\s\S]*<li data-access="public-endpoint">public endpoint, admitting 203\.0\.113\.0\/24<\/li>[\s\S]*<h3>On destroy<\/h3>/);
    const closed = renderHtml({ ...report, apiAccess: { summary: "", paths: [], deployerAdmin: undefined } });
    assert.match(closed, /data-access="none">No way in from outside the cluster's own network/);
    assert.match(closed, /Admin: nothing makes the deployer admin/);
  });

  it("escapes every string from the report", () => {
    const html = renderHtml(hostile);
    assert.equal(html.match(/<script/gi), null);
    assert.equal(html.match(/<img/gi), null);
    assert.match(html, /<title>Plan: dev&lt;script&gt;window.__pwned = 1&lt;\/script&gt;/);
  });

  it("references nothing outside the page", () => {
    const html = renderHtml(report).replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "");
    assert.doesNotMatch(html, /https?:\/\/|src=|<link|@import|url\((?!#)/i);
  });

  describe("in headless Chromium", function () {
    this.timeout(60_000);
    let browser: Browser | undefined;
    let dir: string;

    before(async function () {
      if (!fs.existsSync(chromiumPath)) {
        console.log(`    skipping the browser tests: no Chromium at ${chromiumPath} (install the chromium package to run them)`);
        this.skip();
      }
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
    });

    after(async () => {
      await browser?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Writes the page, opens it, and records console errors, page errors and every request. */
    async function open(which: PlanReport, file: string): Promise<{ page: Page; url: string; errors: string[]; requests: string[] }> {
      const target = path.join(dir, file);
      fs.writeFileSync(target, renderHtml(which));
      const url = pathToFileURL(target).href;
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(url, { waitUntil: "load" });
      return { page, url, errors, requests };
    }

    it("loads without console errors and without a single request beyond the page itself", async () => {
      const { page, url, errors, requests } = await open(report, "report.html");
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [url]);
      assert.equal(await page.title(), "Plan: dev");
      await page.close();
    });

    it("shows every section", async () => {
      const { page } = await open(report, "sections.html");
      for (const id of ["summary", "graph", "cost", "rollout", "access", "addons", "policies", "resources", "diff"]) {
        assert.ok(await page.locator(`section#${id}`).isVisible(), `section #${id} is visible`);
      }
      const summary = await page.locator("#summary").innerText();
      for (const fact of ["aws", "eu-central-1", "eu", "dev", "187"]) assert.ok(summary.includes(fact), `summary shows ${fact}`);
      await page.close();
    });

    it("draws the graph with one box per node and one path per edge, at a real size", async () => {
      const { page } = await open(report, "graph.html");
      const svg = page.locator("#graph svg");
      assert.equal(await svg.getAttribute("role"), "img");
      const box = (await svg.boundingBox())!;
      assert.ok(box.width > 300 && box.height > 100, `svg is ${box.width}×${box.height}`);
      assert.equal(await page.locator("#graph svg g.node").count(), report.graph.nodes.length);
      assert.equal(await page.locator("#graph svg .edge").count(), report.graph.edges.length);
      // Every box and every edge is actually painted, not just present.
      const sizes = await page.$$eval("#graph svg g.node, #graph svg path.edge", (elements) => elements.map((e) => (e as unknown as { getBBox(): { width: number; height: number } }).getBBox()).map((b) => b.width + b.height));
      assert.ok(sizes.every((s) => s > 0), "every node and edge has a non-empty box");
      const vpc = (await page.locator(`#graph g.node[data-node-id="vpc"]`).boundingBox())!;
      const team = (await page.locator(`#graph g.node[data-node-id="team:search"]`).boundingBox())!;
      assert.ok(vpc.x + vpc.width < team.x, "the network sits left of a team that depends on it");
      await page.close();
    });

    it("shows the cost figures and the rollout minutes", async () => {
      const { page } = await open(report, "figures.html");
      const cost = await page.locator("#cost").innerText();
      for (const figure of ["$413", "$23,456", "$17,064", "$2,990", "2025-11-03", "ml-research", "Data transfer and storage are not counted."]) {
        assert.ok(cost.includes(figure), `cost shows ${figure}`);
      }
      const rollout = await page.locator("#rollout").innerText();
      assert.ok(rollout.includes("41.5 min"), "rollout shows the total");
      const steps = await page.locator("#rollout ol li").allInnerTexts();
      assert.deepEqual(steps.map((s) => s.split(" ")[0]), report.rollout.path.map((s) => s.name));
      assert.match(steps[4], /starts at minute 18\.5, takes 23 min/);
      const policies = await page.locator("#policies").innerText();
      assert.match(policies, /4 rules evaluated/);
      assert.match(policies, /ADVISORY\s+helm-release-version-pinned|advisory\s+helm-release-version-pinned/i);
      assert.ok(policies.includes("chart version <latest> is not pinned"));
      const diff = await page.locator("#diff").innerText();
      assert.ok(diff.includes("+$17,064"));
      assert.ok(diff.includes("values.controllerManager.replicas"));
      await page.close();
    });

    it("says so when no rule is violated", async () => {
      const { page } = await open({ ...report, policies: { ...report.policies, violations: [] } }, "clean.html");
      assert.match(await page.locator("#policies").innerText(), /No violations\./);
      await page.close();
    });

    it("shows injected markup as text and never runs it", async () => {
      const { page, errors, requests, url } = await open(hostile, "hostile.html");
      assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator("script, img, #graph foreignObject").count(), 0);
      assert.ok((await page.locator("h1").innerText()).includes("<script>window.__pwned = 1</script>"));
      assert.ok((await page.locator(`#graph g.node[data-node-id="vpc"] text`).textContent())!.includes(payload));
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [url]);
      await page.close();
    });

    it("renders the dev stack's real report cleanly", async () => {
      const p = await plan("dev");
      const real = buildReport(p, await checkPolicies(p));
      const { page, url, errors, requests } = await open(real, "dev.html");
      assert.deepEqual(errors, []);
      assert.deepEqual(requests, [url]);
      for (const id of ["summary", "graph", "cost", "rollout", "addons", "policies", "resources"]) {
        assert.ok(await page.locator(`section#${id}`).isVisible(), `section #${id} is visible`);
      }
      assert.ok(real.graph.nodes.length > 0);
      assert.equal(await page.locator("#graph svg g.node").count(), real.graph.nodes.length);
      assert.equal(await page.locator("#graph svg .edge").count(), new Set(real.graph.edges.map((e) => `${e.from}\0${e.to}`)).size);
      assert.ok((await page.locator("#cost").innerText()).includes(formatUsd(real.cost.worstCaseMonthly)));
      assert.equal(await page.locator("#addons tbody tr").count(), real.addons.length);
      await page.close();
    });

    it("renders a non-trivial screenshot", async () => {
      const { page } = await open(report, "screenshot.html");
      const png = path.join(dir, "report.png");
      await page.screenshot({ path: png, fullPage: true });
      const bytes = fs.readFileSync(png);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(bytes.length > 50_000, `screenshot is ${bytes.length} bytes`);
      const height = bytes.readUInt32BE(20);
      assert.ok(height > 900, `a full page taller than the viewport (${height}px)`);
      await page.close();
    });
  });
});
