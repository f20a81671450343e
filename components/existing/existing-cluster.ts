import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as os from "os";
import { parse } from "yaml";
import type { PlatformConfig } from "../../stacks/load";
import type { RbacSubject } from "../cluster/rbac";
import { ClusterArgs, ClusterHandle, GpuNodeSoftware, GpuPoolHandle, PersistentStorage, gpuTaint, poolSelector } from "../cluster/contract";


/** `~/x` → `/home/me/x`: kubeconfig paths are usually written that way. */
function expandHome(path: string): string {
  return path.startsWith("~/") ? `${os.homedir()}${path.slice(1)}` : path;
}

/** The API server of the kubeconfig's context, when the kubeconfig itself is in the config. */
function serverOf(kubeconfig: string, context?: string): string {
  try {
    const doc = parse(kubeconfig) as {
      "current-context"?: string;
      contexts?: { name: string; context: { cluster: string } }[];
      clusters?: { name: string; cluster: { server: string } }[];
    };
    const contextName = context ?? doc["current-context"];
    const clusterName = doc.contexts?.find((c) => c.name === contextName)?.context.cluster;
    return doc.clusters?.find((c) => c.name === clusterName)?.cluster.server ?? "";
  } catch {
    return "";
  }
}

/**
 * A conformant cluster the platform does not build (on-premises, a sovereign cloud): it installs
 * only the add-on layer and tenancy. GPU pools describe the nodes already there, so Kueue flavors
 * and quotas still find them.
 */
export class ExistingCluster extends pulumi.ComponentResource implements ClusterHandle {
  readonly cloud = "existing" as const;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly systemNodes: pulumi.Resource[] = [];
  readonly gpuPools: GpuPoolHandle[];
  /** What the stack says the nodes run (existing.gpuNodeSoftware); the operator brings the rest. */
  readonly gpuNodeSoftware: GpuNodeSoftware;
  /** Whatever the cluster's own authentication calls the group. */
  readonly teamSubject = (team: { readonly group: string }): RbacSubject => ({ kind: "Group", name: team.group });
  readonly storage: PersistentStorage;
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  readonly limitsCriticalPods = false;

  constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:existing:ExistingCluster", name, {}, opts);
    const { config } = args;
    const settings = config.existing;
    // The provider takes either the kubeconfig's text or a path to it; both stay secret in state.
    const source = settings.kubeconfig ?? expandHome(settings.kubeconfigPath!);
    this.kubeconfig = pulumi.secret(source);
    this.name = pulumi.output(config.clusterName);
    this.endpoint = pulumi.output(settings.kubeconfig ? serverOf(settings.kubeconfig, settings.context) : "");
    this.oidcIssuer = pulumi.output("");
    this.provider = new k8s.Provider(`${name}-k8s`, {
      kubeconfig: this.kubeconfig,
      ...(settings.context ? { context: settings.context } : {}),
      enableServerSideApply: true,
    }, { parent: this });
    this.gpuPools = config.gpuPools.map((pool) => existingPool(pool));
    // A host driver sits at /; the GPU Operator's driver container mounts its own at /run/nvidia/driver.
    this.gpuNodeSoftware = { ...settings.gpuNodeSoftware, sharing: "operator", draDriverRoot: settings.gpuNodeSoftware.driver ? "/" : "/run/nvidia/driver" };
    this.storage = { className: settings.storageClass, ready: [] };
    this.systemNodeSelector = { ...settings.systemNodeLabels };
    this.registerOutputs({ name: this.name });
  }
}

function existingPool(pool: PlatformConfig["gpuPools"][number]): GpuPoolHandle {
  const selector = poolSelector(pool);
  return { pool, nodeLabels: selector, selector, taints: pool.existingNodes?.tainted === false ? [] : [gpuTaint] };
}

export function buildExistingCluster(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions): ClusterHandle {
  return new ExistingCluster(name, args, opts);
}
