import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { planStack, previewJson } from "../../plan/plan";
import { listStacks, readStackFile } from "../../plan/stack-files";
import { StackConfigError } from "../../stacks/errors";
import { plan } from "../helpers/plan";

const root = path.resolve(__dirname, "../..");

function runCli(args: string[]) {
  return spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(root, "plan/cli.ts"), ...args], { encoding: "utf8", cwd: root });
}

/** A scratch project holding Pulumi.yaml and one stack file derived from dev. */
function scratchStack(name: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), edit(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8")));
  return dir;
}

describe("offline plan", () => {
  /** What a stack must contain, by the kind of cluster it builds. */
  const expected: Record<string, string[]> = {
    aws: ["eks:index:Cluster", "kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "aws:sqs/queue:Queue"],
    gcp: ["gcp:container/cluster:Cluster", "gcp:container/nodePool:NodePool"],
    azure: ["azure-native:containerservice:ManagedCluster", "kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.azure.com/v1alpha2:AKSNodeClass"],
    existing: ["pulumi:providers:kubernetes"],
  };

  for (const stack of listStacks(root)) {
    it(`plans the shipped stack ${stack} with its cluster, GPU capacity and the add-ons`, async () => {
      const p = await plan(stack);
      const cloud = String(p.outputs.cloud);
      const types = new Set(p.resources.map((r) => r.type));
      for (const type of [...(expected[cloud] ?? ["(unknown cloud)"]), "kubernetes:helm.sh/v3:Release", "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue"]) {
        assert.ok(types.has(type), `missing ${type}`);
      }
    });
  }

  it("reads structured settings from the stack file as Pulumi does", () => {
    const { config } = readStackFile(root, "dev");
    assert.equal(config["gpu-platform:region"], "eu-central-1");
    assert.equal(JSON.parse(config["gpu-platform:gpuPools"])[0].name, "l4");
  });

  it("writes the shape of `pulumi preview --json` with real inputs and dependencies", async () => {
    const json = previewJson(await plan("dev"));
    assert.equal(json.changeSummary.create, json.steps.length);
    const nodePool = json.steps.find((s) => s.newState.type === "kubernetes:karpenter.sh/v1:NodePool")!;
    assert.equal(nodePool.op, "create");
    assert.match(nodePool.urn, /^urn:pulumi:dev::gpu-platform::.*\$kubernetes:karpenter\.sh\/v1:NodePool::gpu-dev-karpenter-gpu-l4$/);
    assert.equal(nodePool.newState.inputs.kind, "NodePool");
    assert.ok(nodePool.newState.parent?.endsWith("gpu-platform:aws:Karpenter::gpu-dev-karpenter"));
    assert.ok(nodePool.newState.dependencies.some((urn) => urn.endsWith("::gpu-dev-karpenter-controller") && urn.includes("helm.sh")));
    const release = json.steps.find((s) => s.newState.type === "kubernetes:helm.sh/v3:Release" && s.urn.endsWith("-controller"))!;
    assert.ok(["chart", "version", "values"].every((key) => key in release.newState.inputs));
  });

  it("keeps every secret out of the plan JSON", async () => {
    const text = JSON.stringify(previewJson(await plan("dev")));
    assert.doesNotMatch(text, /certificate-authority-data|get-token/);
    assert.match(text, /"kubeconfig":"\[secret\]"/);
  });

  it("stops on a config mistake before registering any resource of the platform", async () => {
    await assert.rejects(planStack("dev", { "gpu-platform:region": "us-east-1" }), StackConfigError);
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    const registered = [...monitor.resources.keys()];
    assert.deepEqual(registered.filter((urn) => !urn.includes("pulumi:pulumi:Stack")), []);
  });

  describe("command line", () => {
    it("prints the resource tree and counts, and writes JSON on request", () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "dev.json");
      const result = runCli(["--stack", "dev", "--json", out]);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Plan for stack "dev": \d+ resources to create/);
      assert.match(result.stdout, /\+ kubernetes:karpenter\.sh\/v1:NodePool {2}gpu-dev-karpenter-gpu-l4/);
      assert.match(result.stdout, /eks:index:Cluster +1/);
      assert.ok(JSON.parse(fs.readFileSync(out, "utf8")).steps.length > 50);
    });

    it("refuses an EU stack moved to us-east-1 with the setting named and no stack trace", () => {
      const dir = scratchStack("moved", (text) => text.replace("eu-central-1", "us-east-1"));
      const result = runCli(["--root", dir, "--stack", "moved"]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /gpu-platform:region = "us-east-1": is in jurisdiction "us", outside the stack's jurisdiction "eu" \(data must stay in its zone: policy cloud-resources-in-jurisdiction\)/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    });

    it("names an unknown region", () => {
      const dir = scratchStack("typo", (text) => text.replace("eu-central-1", "eu-central-9"));
      const result = runCli(["--root", dir, "--stack", "typo"]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /gpu-platform:region = "eu-central-9": is not a known aws region/);
    });

    it("lists the stacks there are when asked for one that does not exist", () => {
      const result = runCli(["--stack", "nope"]);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /no stack file Pulumi\.nope\.yaml; stacks here: .*dev/);
    });
  });
});
