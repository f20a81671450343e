import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { reachFrom } from "../../plan/reach";
import { parse, stackSettings, stackWith } from "../helpers/settings";

const root = path.resolve(__dirname, "../..");
const configOf = (stack: string, changes: Record<string, unknown> = {}) => parse(stackWith(stack, changes), stack);

describe("can this runner reach the stack's API", () => {
  it("admits an address inside the public networks, and says through which setting", () => {
    const verdict = reachFrom(configOf("dev"), ["203.0.113.77"]);
    assert.deepEqual(verdict, { admitted: true, message: "dev (aws): 203.0.113.77 is admitted by the public endpoint (apiAccess.publicCidrs 203.0.113.0/24)" });
  });

  it("admits a runner's private address inside a network connected to the VPC (aws)", () => {
    assert.match(reachFrom(configOf("eu-prod"), ["198.51.100.7", "10.200.1.9"]).message, /10\.200\.1\.9 reaches the private endpoint \(apiAccess\.privateCidrs 10\.200\.0\.0\/20\)/);
  });

  it("refuses a runner outside every admitted network, naming the settings", () => {
    const verdict = reachFrom(configOf("eu-prod"), ["198.51.100.7", "172.17.0.2"]);
    assert.equal(verdict.admitted, false);
    assert.match(verdict.message, /this runner \(198\.51\.100\.7, 172\.17\.0\.2\) is outside apiAccess\.privateCidrs 10\.200\.0\.0\/20/);
    assert.equal(reachFrom(configOf("aks-eu"), ["198.51.100.7"]).admitted, false);
  });

  it("lets any runner through to GKE's DNS endpoint and to an existing cluster's kubeconfig", () => {
    assert.equal(reachFrom(configOf("gke-eu"), []).admitted, true);
    assert.equal(reachFrom(configOf("onprem"), []).admitted, true);
  });

  it("exits 1 with the message when run as CI runs it", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "plan/reach.ts", "--stack", "dev", "--from", "198.51.100.7 10.1.0.4"], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /dev \(aws\): this runner \(198\.51\.100\.7, 10\.1\.0\.4\) is outside apiAccess\.publicCidrs 203\.0\.113\.0\/24/);
    assert.equal(stackSettings("dev").cloud, "aws");
  });
});
