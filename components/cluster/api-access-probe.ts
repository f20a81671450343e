import type * as pulumi from "@pulumi/pulumi";

/*
 * Asks the Kubernetes API whether the identity running Pulumi may administer the cluster. Runs
 * inside Pulumi's dynamic-provider host, which receives these functions as serialized text, so
 * this file imports nothing at run time and loads only Node's built-in modules, where they run.
 */

/** One thing the deployer must be allowed to do, asked of the API as a SelfSubjectAccessReview. */
export interface AccessCheck {
  readonly verb: string;
  /** API group; "" is the core group. */
  readonly group: string;
  readonly resource: string;
}

/** What installing the platform takes: CRDs, cluster-wide RBAC and namespaces. */
export const clusterAdminChecks: readonly AccessCheck[] = [
  { verb: "create", group: "apiextensions.k8s.io", resource: "customresourcedefinitions" },
  { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
  { verb: "create", group: "", resource: "namespaces" },
];

export interface GateInputs {
  /** JSON kubeconfig, as the Kubernetes provider gets it. */
  readonly kubeconfig: string;
  readonly checks: readonly AccessCheck[];
  /** How long to keep asking: cloud role assignments take minutes to reach the API server. */
  readonly waitSeconds: number;
  readonly pollSeconds: number;
  /** What to check when the API cannot be reached from the machine running Pulumi. */
  readonly unreachableHint: string;
  /** What to check when the API answers but refuses the deployer. */
  readonly forbiddenHint: string;
  /** Who the deployer is, where the cloud grants it access by identity: a new one is waited for anew. */
  readonly deployer?: string;
}

/** Credential commands that fail this many times in a row fail the gate: a login does not heal by waiting. */
const credentialAttempts = 3;

interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  apiVersion?: string;
  provideClusterInfo?: boolean;
}

interface Credentials {
  token?: string;
  cert?: string;
  key?: string;
}

/** The current context's server, CA and user, from a kubeconfig in JSON. */
function contextOf(kubeconfig: string): { server: string; ca?: string; user: Record<string, unknown>; cluster: Record<string, unknown> } {
  const doc = JSON.parse(kubeconfig) as {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string } }[];
    clusters?: { name: string; cluster: Record<string, unknown> }[];
    users?: { name: string; user: Record<string, unknown> }[];
  };
  const context = (doc.contexts ?? []).find((c) => c.name === doc["current-context"]) ?? (doc.contexts ?? [])[0];
  const cluster = (doc.clusters ?? []).find((c) => c.name === context?.context.cluster)?.cluster;
  const user = (doc.users ?? []).find((u) => u.name === context?.context.user)?.user ?? {};
  if (!cluster || typeof cluster.server !== "string") throw new Error("the kubeconfig names no server for its current context");
  const caData = cluster["certificate-authority-data"];
  return { server: cluster.server, ca: typeof caData === "string" ? caData : undefined, user, cluster };
}

/** Runs the kubeconfig's credential plugin (aws, gke-gcloud-auth-plugin, kubelogin) as kubectl would. */
function runExec(exec: ExecConfig, cluster: Record<string, unknown>): Promise<Credentials> {
  const { execFile } = require("child_process") as typeof import("child_process");
  const env: Record<string, string | undefined> = { ...process.env };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1beta1",
    kind: "ExecCredential",
    spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster } : {}) },
  });
  return new Promise((resolve, reject) => {
    execFile(exec.command, exec.args ?? [], { env, timeout: 60_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(credentialFailure(`the kubeconfig's credential command "${exec.command}" failed: ${String(stderr || error.message).trim().split("\n").slice(-3).join(" ")}`));
        return;
      }
      try {
        const status = (JSON.parse(stdout) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
        resolve({ token: status.token, cert: status.clientCertificateData, key: status.clientKeyData });
      } catch {
        reject(credentialFailure(`the kubeconfig's credential command "${exec.command}" printed no ExecCredential`));
      }
    });
  });
}

async function credentialsOf(user: Record<string, unknown>, cluster: Record<string, unknown>): Promise<Credentials> {
  if (user.exec) return runExec(user.exec as ExecConfig, cluster);
  const decode = (value: unknown) => (typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : undefined);
  return { token: typeof user.token === "string" ? user.token : undefined, cert: decode(user["client-certificate-data"]), key: decode(user["client-key-data"]) };
}

/**
 * An answer from the API server (it was reached, whatever it said), as a plain Error with a mark:
 * Pulumi's closure serializer turns classes into functions, and a serialized Error subclass loses
 * its message.
 */
function apiAnswer(status: number, message: string): Error & { apiStatus: number } {
  return Object.assign(new Error(message), { apiStatus: status });
}
const isApiAnswer = (error: unknown): error is Error & { apiStatus: number } => typeof (error as { apiStatus?: unknown })?.apiStatus === "number";

/** A failure of the kubeconfig's credential command: this machine's login, not the network. */
function credentialFailure(message: string): Error & { credentials: true } {
  return Object.assign(new Error(message), { credentials: true as const });
}
const isCredentialFailure = (error: unknown) => (error as { credentials?: unknown })?.credentials === true;

/** Asks the API whether the caller may do `check`; resolves to its `status.allowed`. */
function mayI(server: string, ca: string | undefined, credentials: Credentials, check: AccessCheck): Promise<boolean> {
  const url = new URL("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", server.endsWith("/") ? server : `${server}/`);
  const transport = (url.protocol === "http:" ? require("http") : require("https")) as typeof import("https");
  const body = JSON.stringify({
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { verb: check.verb, group: check.group, resource: check.resource } },
  });
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: "POST",
      timeout: 15_000,
      ...(ca ? { ca: Buffer.from(ca, "base64") } : {}),
      ...(credentials.cert && credentials.key ? { cert: credentials.cert, key: credentials.key } : {}),
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
      },
    }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve((JSON.parse(text) as { status?: { allowed?: boolean } }).status?.allowed === true);
          } catch {
            reject(apiAnswer(status, "the API answered the access review with something that is not JSON"));
          }
          return;
        }
        const reason = (() => {
          try {
            return (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            return text;
          }
        })();
        reject(apiAnswer(status, `the API answered ${status}${reason ? `: ${reason.trim().slice(0, 200)}` : ""}`));
      });
    });
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url.host} within 15 s`)));
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Asks until the API answers that the deployer may do every check, or the wait runs out; then
 * fails with the hint that fits what went wrong (never reached, or reached and refused).
 */
export async function waitForAccess(inputs: GateInputs): Promise<void> {
  const deadline = Date.now() + inputs.waitSeconds * 1000;
  const { server, ca, user, cluster } = contextOf(inputs.kubeconfig);
  let reached = false;
  let last = "";
  let credentialFailures = 0;
  for (;;) {
    try {
      const credentials = await credentialsOf(user, cluster);
      const refused: string[] = [];
      for (const check of inputs.checks) {
        if (!(await mayI(server, ca, credentials, check))) refused.push(`${check.verb} ${check.resource}`);
      }
      reached = true;
      credentialFailures = 0;
      if (refused.length === 0) return;
      last = `the API at ${server} answers, but the identity running Pulumi may not ${refused.join(", ")}`;
    } catch (error) {
      if (isCredentialFailure(error)) {
        if (++credentialFailures >= credentialAttempts) {
          throw new Error(`${(error as Error).message}. That is this machine's login, not the network or the cluster: check the cloud CLI is installed and signed in as the identity that runs pulumi up.`);
        }
      } else {
        credentialFailures = 0;
      }
      if (isApiAnswer(error)) reached = true;
      last = isApiAnswer(error) ? `the API at ${server} refused the access review: ${error.message}` : `cannot reach the API at ${server}: ${(error as Error).message}`;
    }
    if (Date.now() >= deadline) {
      const hint = reached ? inputs.forbiddenHint : inputs.unreachableHint;
      throw new Error(`After ${inputs.waitSeconds} s, ${last}. ${hint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, inputs.pollSeconds * 1000));
  }
}

/** What the gate keeps in its state: no kubeconfig, only a digest to tell when it changes. */
export interface GateState extends Omit<GateInputs, "kubeconfig"> {
  readonly kubeconfigDigest: string;
}

function stateOf(inputs: GateInputs): GateState {
  const { createHash } = require("crypto") as typeof import("crypto");
  const { kubeconfig, ...rest } = inputs;
  return { ...rest, kubeconfigDigest: createHash("sha256").update(kubeconfig).digest("hex") };
}

/** Waits on create, and again whenever the kubeconfig or the checks change. */
export const gateProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GateInputs) {
    await waitForAccess(inputs);
    return { id: "api-access", outs: stateOf(inputs) };
  },
  async diff(_id: string, olds: GateState, news: GateInputs) {
    const next = stateOf(news);
    return { changes: olds.kubeconfigDigest !== next.kubeconfigDigest || JSON.stringify(olds.checks) !== JSON.stringify(next.checks) || olds.deployer !== next.deployer };
  },
  async update(_id: string, _olds: GateState, news: GateInputs) {
    await waitForAccess(news);
    return { outs: stateOf(news) };
  },
};
