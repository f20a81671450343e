import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SweepInputs, VolumeSweepInputs, deleteLeftoverVolumes, karpenterInstanceFilters, manualSweepCommands, sweepProvider, volumeClusterTag } from "../../../components/aws/leftovers";

/** A stand-in AWS CLI: records each call and answers describe/list calls from fixed data. */
function fakeAwsCli(dir: string, instances: string[], profiles: string[]): { cli: string; calls: () => string[][] } {
  const log = path.join(dir, "calls.jsonl");
  const cli = path.join(dir, "aws");
  fs.writeFileSync(cli, `#!${process.execPath}
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
if (args[1] === "describe-instances") process.stdout.write(JSON.stringify(${JSON.stringify(instances)}));
if (args[1] === "list-instance-profiles-for-role") process.stdout.write(JSON.stringify(${JSON.stringify(profiles)}));
`, { mode: 0o755 });
  return { cli, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line)) : []) };
}

describe("Karpenter capacity left behind on destroy", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inputs = (cli: string): SweepInputs => ({ clusterName: "gpu-dev", region: "eu-central-1", nodeRoleName: "gpu-dev-karpenter-node", awsCli: cli });

  it("terminates the cluster's Karpenter instances, waits for them, then frees the node role's instance profiles", async () => {
    const aws = fakeAwsCli(dir, ["i-0a", "i-0b"], ["gpu-dev_123"]);
    await sweepProvider.delete!("karpenter-instances-gpu-dev", inputs(aws.cli));
    const calls = aws.calls();
    assert.deepEqual(calls.map((c) => c.slice(0, 2).join(" ")), [
      "ec2 describe-instances", "ec2 terminate-instances", "ec2 wait",
      "iam list-instance-profiles-for-role", "iam remove-role-from-instance-profile", "iam delete-instance-profile",
    ]);
    const describe = calls[0];
    for (const filter of karpenterInstanceFilters("gpu-dev")) assert.ok(describe.includes(filter), `filters by ${filter}`);
    assert.ok(describe.includes("eu-central-1"));
    assert.deepEqual(calls[1].slice(-2), ["i-0a", "i-0b"]);
    assert.deepEqual(calls[2].slice(2, 3), ["instance-terminated"]);
    assert.ok(calls[4].includes("gpu-dev_123") && calls[4].includes("gpu-dev-karpenter-node"));
  });

  it("terminates nothing when Karpenter already removed its nodes", async () => {
    const aws = fakeAwsCli(dir, [], []);
    await sweepProvider.delete!("id", inputs(aws.cli));
    assert.deepEqual(aws.calls().map((c) => c[1]), ["describe-instances", "list-instance-profiles-for-role"]);
  });

  it("fails the destroy, naming the command, when the AWS CLI refuses", async () => {
    const cli = path.join(dir, "aws");
    fs.writeFileSync(cli, `#!${process.execPath}\nconsole.error("An error occurred (UnauthorizedOperation)"); process.exit(254);\n`, { mode: 0o755 });
    await assert.rejects(sweepProvider.delete!("id", inputs(cli)), /ec2 describe-instances failed: An error occurred \(UnauthorizedOperation\)/);
  });

  it("only selects instances of this cluster that Karpenter launched", () => {
    const filters = karpenterInstanceFilters("gpu-eu-prod");
    assert.ok(filters.includes("Name=tag:eks:eks-cluster-name,Values=gpu-eu-prod"));
    assert.ok(filters.includes("Name=tag-key,Values=karpenter.sh/nodepool"));
    assert.ok(manualSweepCommands("gpu-eu-prod", "eu-central-1")[1].startsWith("aws ec2 terminate-instances --region eu-central-1"));
  });

  it("runs as Pulumi's dynamic-provider host runs it: serialized, in a plain Node process", async () => {
    const aws = fakeAwsCli(dir, ["i-0c"], []);
    const serialized = await pulumi.runtime.serializeFunction(() => sweepProvider, { allowSecrets: true });
    const module = path.join(dir, "provider.js");
    fs.writeFileSync(module, serialized.text);
    const driver = `require(${JSON.stringify(module)}).${serialized.exportName}().delete("id", JSON.parse(process.argv[1])).then(() => console.log("swept"), (e) => { console.error(e.message); process.exit(1); });`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-e", driver, JSON.stringify(inputs(aws.cli))], (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))));
    assert.match(output, /swept/);
    assert.deepEqual(aws.calls().map((c) => c[1]), ["describe-instances", "terminate-instances", "wait", "list-instance-profiles-for-role"]);
  });
});

describe("EBS volumes left behind on destroy", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "volumes-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A stand-in AWS CLI over a volume list in a file: describe lists it, delete removes; attached volumes detach after `detachAfter` listings. */
  function fakeVolumes(volumes: { id: string; state: string }[], detachAfter: number): { cli: string; calls: () => string[][] } {
    const state = path.join(dir, "volumes.json");
    const log = path.join(dir, "calls.jsonl");
    fs.writeFileSync(state, JSON.stringify({ volumes, listings: 0 }));
    const cli = path.join(dir, "aws");
    fs.writeFileSync(cli, `#!${process.execPath}
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const s = JSON.parse(fs.readFileSync(${JSON.stringify(state)}, "utf8"));
if (args[1] === "describe-volumes") {
  s.listings++;
  if (s.listings > ${detachAfter}) s.volumes.forEach((v) => { if (v.state === "in-use") v.state = "available"; });
  process.stdout.write(JSON.stringify(s.volumes));
}
if (args[1] === "delete-volume") s.volumes = s.volumes.filter((v) => v.id !== args[args.indexOf("--volume-id") + 1]);
fs.writeFileSync(${JSON.stringify(state)}, JSON.stringify(s));
`, { mode: 0o755 });
    return { cli, calls: () => fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line)) };
  }
  const sweep = (cli: string, waitSeconds = 5): VolumeSweepInputs => ({ clusterName: "gpu-dev", region: "eu-central-1", awsCli: cli, waitSeconds, pollSeconds: 0.05 });

  it("waits for the cluster's volumes to detach, deletes them, and finds them by the storage class's tag", async () => {
    const aws = fakeVolumes([{ id: "vol-1", state: "available" }, { id: "vol-2", state: "in-use" }], 2);
    assert.deepEqual((await deleteLeftoverVolumes(sweep(aws.cli))).sort(), ["vol-1", "vol-2"]);
    const describe = aws.calls().find((c) => c[1] === "describe-volumes")!;
    assert.ok(describe.includes(`Name=tag:${volumeClusterTag},Values=gpu-dev`));
  });

  it("fails the destroy, naming the volume, when one stays attached", async () => {
    const aws = fakeVolumes([{ id: "vol-9", state: "in-use" }], Number.MAX_SAFE_INTEGER);
    await assert.rejects(deleteLeftoverVolumes(sweep(aws.cli, 0.2)), /EBS volumes of gpu-dev still attached after 0\.2 s: vol-9 \(in-use\); detach them/);
  });

  it("is what the storage class tags: every volume the platform provisions carries the cluster's name", async () => {
    const { plan } = await import("../../helpers/plan");
    const p = await plan("dev");
    const storageClass = p.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
    assert.equal((storageClass.inputs.parameters as Record<string, string>).tagSpecification_1, `${volumeClusterTag}=gpu-dev`);
    const sweeper = p.resources.find((r) => r.type === "pulumi-nodejs:dynamic/aws:LeftoverVolumes")!;
    const prometheus = p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "kube-prometheus-stack")!;
    const driver = p.resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "aws-ebs-csi-driver")!;
    assert.ok(prometheus.dependencies.includes(sweeper.urn), "the release goes before the sweep");
    assert.ok(sweeper.dependencies.includes(driver.urn), "the sweep goes before the driver");
    const instances = p.resources.find((r) => r.type === "pulumi-nodejs:dynamic/aws:LeftoverCapacity")!;
    assert.ok(instances.dependencies.includes(sweeper.urn), "instances are terminated first, so the volumes they held are detached");
    const prod = await plan("dev", { "gpu-platform:environment": "prod" });
    for (const type of ["pulumi-nodejs:dynamic/aws:LeftoverVolumes", "pulumi-nodejs:dynamic/aws:LeftoverCapacity"]) {
      assert.equal(prod.resources.find((r) => r.type === type)!.protect, true, `${type} is protected in prod: deleting it deletes live capacity`);
    }
  });
});
