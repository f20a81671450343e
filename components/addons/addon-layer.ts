import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../stacks/load";
import type { ClusterHandle } from "../cluster/contract";
import { Addon, AddonContext } from "./addon";
import { addonCatalog } from "./catalog";
import type { AddonCredentials } from "./credentials";

export interface AddonLayerArgs {
  readonly config: PlatformConfig;
  readonly cluster: ClusterHandle;
  readonly credentials: AddonCredentials;
}

/** `oci://` charts are addressed by URL; classic repositories by name plus repository. */
function chartSource(addon: Addon, repository: string): Pick<k8s.helm.v3.ReleaseArgs, "chart" | "repositoryOpts"> {
  return repository.startsWith("oci://")
    ? { chart: `${repository}/${addon.chart.chart}` }
    : { chart: addon.chart.chart, repositoryOpts: { repo: repository } };
}

/**
 * Installs every switched-on add-on through the cluster's Kubernetes provider. Independent
 * add-ons install side by side; each waits only for the system nodes, the add-ons it names and, if it
 * keeps data, the storage class.
 */
export class AddonLayer extends pulumi.ComponentResource {
  private readonly releases = new Map<Addon, k8s.helm.v3.Release>();

  constructor(name: string, args: AddonLayerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:AddonLayer", name, {}, opts);
    const { config, cluster, credentials } = args;
    const ctx: AddonContext = { config, cluster, credentials };
    const onCluster = { parent: this, provider: cluster.provider };
    const namespaces = new Map<string, k8s.core.v1.Namespace>();

    for (const addon of addonCatalog) {
      const setting = config.addons[addon.id];
      if (!setting.enabled || (addon.wanted && !addon.wanted(config))) continue;
      for (const dependency of addon.after) {
        if (!this.releases.has(dependency)) throw new Error(`add-on ${addon.release} needs ${dependency.release}, which is switched off or listed after it in the catalog`);
      }
      let namespace = namespaces.get(addon.namespace);
      if (!namespace) {
        namespace = new k8s.core.v1.Namespace(`${name}-${addon.namespace}`, {
          metadata: { name: addon.namespace, labels: { ...addon.namespaceLabels } },
        }, onCluster);
        namespaces.set(addon.namespace, namespace);
      }
      const prerequisites = addon.prerequisites?.(ctx, {
        name: `${name}-${addon.release}`,
        namespace: addon.namespace,
        opts: { ...onCluster, dependsOn: [namespace] },
      }) ?? [];
      const release = new k8s.helm.v3.Release(`${name}-${addon.release}`, {
        name: addon.release,
        ...chartSource(addon, setting.repository ?? addon.chart.repository),
        version: addon.chart.version,
        namespace: addon.namespace,
        values: addon.values(ctx),
        ...(addon.skipCrds ? { skipCrds: true } : {}),
        cleanupOnFail: true,
        maxHistory: 10,
      }, {
        ...onCluster,
        dependsOn: [namespace, ...prerequisites, ...cluster.systemNodes, ...(addon.needsStorage ? cluster.storage.ready : []), ...[...addon.after, ...(addon.afterIfInstalled ?? [])].flatMap((dependency) => this.releases.get(dependency) ?? [])],
      });
      this.releases.set(addon, release);
    }
    this.registerOutputs({});
  }

  /** Every UI the installed add-ons serve, with the command that reaches it. */
  userInterfaces(): { name: string; namespace: string; service: string; portForward: string }[] {
    return [...this.releases.keys()].flatMap((addon) => (addon.uis ?? []).map((ui) => ({
      name: ui.name,
      namespace: addon.namespace,
      service: ui.service,
      portForward: `kubectl -n ${addon.namespace} port-forward svc/${ui.service} ${ui.localPort}:${ui.port}`,
    })));
  }

  /** The release of an add-on, if the stack installs it: what its custom resources wait for. */
  releaseOf(addon: Addon): k8s.helm.v3.Release | undefined {
    return this.releases.get(addon);
  }
}
