import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { GateInputs, clusterAdminChecks, gateProvider, waitForAccess } from "../../../components/cluster/api-access-probe";

/** A loopback API server that answers access reviews: refused until `allowAfter` reviews came. */
async function apiServer(allowAfter: number, refuseWith?: number): Promise<{ url: string; reviews: { token?: string; verb: string; resource: string }[]; close(): Promise<void> }> {
  const reviews: { token?: string; verb: string; resource: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      if (request.url !== "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" || request.method !== "POST") {
        response.writeHead(404).end();
        return;
      }
      const attributes = JSON.parse(body).spec.resourceAttributes;
      reviews.push({ token: request.headers.authorization, verb: attributes.verb, resource: attributes.resource });
      if (refuseWith) {
        response.writeHead(refuseWith, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", message: "selfsubjectaccessreviews is forbidden: User \"ci\" cannot create" }));
        return;
      }
      const allowed = reviews.length > allowAfter;
      response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ status: { allowed } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, reviews, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A credential plugin, as aws/gke-gcloud-auth-plugin/kubelogin are: prints an ExecCredential. */
function credentialPlugin(dir: string, token: string): string {
  const file = path.join(dir, "plugin.js");
  fs.writeFileSync(file, `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: ${JSON.stringify(token)} } }));\n`);
  return file;
}

function kubeconfigFor(server: string, plugin: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server } }],
    contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
    "current-context": "c",
    users: [{ name: "u", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: process.execPath, args: [plugin] } } }],
  });
}

describe("API access gate", function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inputs = (kubeconfig: string, waitSeconds = 5): GateInputs => ({
    kubeconfig, checks: clusterAdminChecks, waitSeconds, pollSeconds: 0.05,
    unreachableHint: "HINT-NETWORK: set apiAccess.publicCidrs", forbiddenHint: "HINT-RBAC: grant the deployer",
  });

  it("waits while the API refuses the deployer (a role assignment propagating), then lets Pulumi go on", async () => {
    const api = await apiServer(4);
    try {
      await waitForAccess(inputs(kubeconfigFor(api.url, credentialPlugin(dir, "t0k3n"))));
      const last = api.reviews.slice(-clusterAdminChecks.length);
      assert.deepEqual(last.map((r) => `${r.verb} ${r.resource}`), clusterAdminChecks.map((c) => `${c.verb} ${c.resource}`));
      assert.ok(api.reviews.every((r) => r.token === "Bearer t0k3n"), "every review carries the plugin's token");
      assert.ok(api.reviews.length > 4, "asked again after being refused");
    } finally {
      await api.close();
    }
  });

  it("fails with the access hint when the API answers but never allows the deployer", async () => {
    const api = await apiServer(Number.MAX_SAFE_INTEGER);
    try {
      await assert.rejects(waitForAccess(inputs(kubeconfigFor(api.url, credentialPlugin(dir, "x")), 0.3)),
        /may not create customresourcedefinitions.*HINT-RBAC/);
    } finally {
      await api.close();
    }
  });

  it("fails with the network hint when nothing answers at the endpoint", async () => {
    const api = await apiServer(0);
    await api.close();
    await assert.rejects(waitForAccess(inputs(kubeconfigFor(api.url, credentialPlugin(dir, "x")), 0.3)),
      /cannot reach the API at http:\/\/127\.0\.0\.1:\d+.*HINT-NETWORK/);
  });

  it("fails fast, saying which credential command failed, when this machine is not logged in", async () => {
    const broken = path.join(dir, "broken.js");
    fs.writeFileSync(broken, "console.error('not logged in'); process.exit(1);\n");
    const started = Date.now();
    await assert.rejects(waitForAccess(inputs(kubeconfigFor("http://127.0.0.1:9", broken), 600)), /credential command .* failed: not logged in\. That is this machine's login, not the network/);
    assert.ok(Date.now() - started < 10_000, "a login does not heal by waiting out the gate");
  });

  /** Runs the gate's create as Pulumi's dynamic-provider host does: serialized, in a plain Node process. */
  async function createSerialized(gate: GateInputs): Promise<{ ok: boolean; output: string }> {
    const serialized = await pulumi.runtime.serializeFunction(() => gateProvider, { allowSecrets: true });
    const module = path.join(dir, "provider.js");
    fs.writeFileSync(module, serialized.text);
    const driver = `const provider = require(${JSON.stringify(module)}).${serialized.exportName}();
provider.create(JSON.parse(process.argv[1])).then((r) => console.log("created", r.id), (e) => { console.error(e.message); process.exit(1); });`;
    return new Promise((resolve) =>
      execFile(process.execPath, ["-e", driver, JSON.stringify(gate)], { env: { PATH: process.env.PATH } }, (error, stdout, stderr) => resolve({ ok: !error, output: error ? stderr : stdout })));
  }

  it("runs as Pulumi's dynamic-provider host runs it: serialized, in a plain Node process", async () => {
    const api = await apiServer(1);
    try {
      const { ok, output } = await createSerialized(inputs(kubeconfigFor(api.url, credentialPlugin(dir, "s"))));
      assert.ok(ok, output);
      assert.match(output, /created api-access/);
      assert.ok(api.reviews.length > 1);
    } finally {
      await api.close();
    }
  });

  it("keeps the API's own refusal in its message when serialized", async () => {
    const api = await apiServer(0, 403);
    try {
      const { ok, output } = await createSerialized(inputs(kubeconfigFor(api.url, credentialPlugin(dir, "s")), 0.3));
      assert.equal(ok, false);
      assert.match(output, /refused the access review: the API answered 403: selfsubjectaccessreviews is forbidden: User "ci" cannot create\. HINT-RBAC/);
    } finally {
      await api.close();
    }
  });

  it("keeps no kubeconfig in its state, and asks again only when the kubeconfig or the checks change", async () => {
    const api = await apiServer(0);
    try {
      const first = inputs(kubeconfigFor(api.url, credentialPlugin(dir, "x")));
      const { outs } = await gateProvider.create(first);
      assert.equal(outs.kubeconfig, undefined);
      assert.match(outs.kubeconfigDigest, /^[0-9a-f]{64}$/);
      assert.equal((await gateProvider.diff!("api-access", outs, { ...first, waitSeconds: 60 })).changes, false);
      assert.equal((await gateProvider.diff!("api-access", outs, { ...first, kubeconfig: kubeconfigFor("https://elsewhere", "p") })).changes, true);
      assert.equal((await gateProvider.diff!("api-access", outs, { ...first, checks: clusterAdminChecks.slice(1) })).changes, true);
      assert.equal((await gateProvider.diff!("api-access", outs, { ...first, deployer: "another-identity" })).changes, true, "a new deployer's access must propagate too");
    } finally {
      await api.close();
    }
  });
});
