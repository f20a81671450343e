import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamSettings } from "../stacks/schema";
import { podSecurity } from "./addons/addon";
import { scaleFromZeroBackend, teamKeySecret } from "./addons/gateway/names";
import { DraOffer, deviceQuotaKey } from "./addons/dra/offers";
import { localQueueName } from "./addons/kueue-queues";
import { type TeamModelStore, labelDomain, modelReaderServiceAccount } from "./cluster/contract";
import { RbacSubject, rbacApiGroup } from "./cluster/rbac";

export interface TeamNamespaceArgs {
  readonly team: TeamSettings;
  readonly provider: k8s.Provider;
  /** The team's ClusterQueue, when Kueue is installed: its LocalQueue points there. */
  readonly clusterQueue?: { name: string; resource: pulumi.Resource };
  /** Namespaces allowed to reach the team's pods: metrics scraping and the inference gateway. */
  readonly ingressFrom: readonly string[];
  /**
   * The most `nvidia.com/gpu` the namespace may request: its quota, plus what Kueue lets it borrow
   * when Kueue admits its work, so admission and the API server never disagree.
   */
  readonly gpuCeiling: number;
  /** Who gets `edit` in the namespace, as the cloud's authentication names the team's group. */
  readonly editors?: RbacSubject;
  /** What the team can claim from DRA pools, with what must exist first (the DeviceClasses). */
  readonly dra?: { offers: readonly DraOffer[]; dependsOn: readonly pulumi.Resource[] };
  /** The team's part of the model store (modelStore.enabled). */
  readonly modelStore?: TeamModelStore;
  /** The inference gateway's key for this team and what a client needs to call it. */
  readonly gateway?: {
    apiKey: pulumi.Output<string>; caCertificate?: pulumi.Output<string>; hostname: string;
    /** The interceptor that holds requests for models at zero replicas, when installed. */
    scaleFromZero?: { host: string; port: number; dependsOn: pulumi.Resource[] };
  };
}

/** Sum of a team's GPU quotas across pools: the namespace's hard GPU ceiling. */
export function teamGpuTotal(team: TeamSettings): number {
  return Object.values(team.gpus).reduce((sum, gpus) => sum + gpus, 0);
}

/**
 * A team's namespace: restricted Pod Security, a hard quota that includes GPUs, default limits,
 * default-deny networking with the few allows serving needs, its Kueue LocalQueue, and edit
 * rights for the team's group.
 */
export class TeamNamespace extends pulumi.ComponentResource {
  readonly namespace: k8s.core.v1.Namespace;

  constructor(name: string, args: TeamNamespaceArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:tenancy:TeamNamespace", name, {}, opts);
    const { team } = args;
    this.namespace = new k8s.core.v1.Namespace(name, {
      metadata: { name: team.name, labels: { ...podSecurity("restricted"), [`${labelDomain}/team`]: team.name } },
    }, { parent: this, provider: args.provider });
    const inNamespace = { parent: this, provider: args.provider, dependsOn: [this.namespace] };
    const metadata = (suffix: string) => ({ name: suffix, namespace: team.name });

    // Claims count per DeviceClass; each is capped like the device plugin's GPUs, and Kueue counts
    // both against the same quota (components/addons/kueue-config.ts).
    const claimCaps = Object.fromEntries((args.dra?.offers ?? []).map((offer) => [deviceQuotaKey(offer.deviceClass), String(args.gpuCeiling)]));
    new k8s.core.v1.ResourceQuota(`${name}-quota`, {
      metadata: metadata("team-quota"),
      spec: { hard: { "requests.cpu": team.cpu, "requests.memory": team.memory, "requests.nvidia.com/gpu": String(args.gpuCeiling), ...claimCaps } },
    }, inNamespace);

    for (const offer of args.dra?.offers ?? []) {
      new k8s.resource.v1.ResourceClaimTemplate(`${name}-claim-${offer.template}`, {
        metadata: { ...metadata(offer.template), annotations: { "gpu-platform.io/description": offer.description } },
        // No selectors here: they are in the class, so Kueue can admit the claim before a node exists.
        spec: { spec: { devices: { requests: [{ name: "gpu", exactly: { deviceClassName: offer.deviceClass, allocationMode: "ExactCount", count: 1 } }] } } },
      }, { ...inNamespace, dependsOn: [this.namespace, ...args.dra!.dependsOn] });
    }

    new k8s.core.v1.LimitRange(`${name}-limits`, {
      metadata: metadata("team-defaults"),
      spec: { limits: [{ type: "Container", defaultRequest: { cpu: "250m", memory: "512Mi" }, default: { cpu: "2", memory: "4Gi" } }] },
    }, inNamespace);

    new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, {
      metadata: metadata("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    }, inNamespace);
    new k8s.networking.v1.NetworkPolicy(`${name}-allow`, {
      metadata: metadata("allow-same-namespace-and-platform"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{
          from: [
            { podSelector: {} },
            ...args.ingressFrom.map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
          ],
        }],
      },
    }, inNamespace);

    if (args.clusterQueue) {
      new k8s.apiextensions.CustomResource(`${name}-queue`, {
        apiVersion: "kueue.x-k8s.io/v1beta2",
        kind: "LocalQueue",
        metadata: metadata(localQueueName),
        spec: { clusterQueue: args.clusterQueue.name },
      }, { ...inNamespace, dependsOn: [this.namespace, args.clusterQueue.resource] });
    }

    if (args.gateway) {
      // Copies for the team to read: the gateway checks its own, which teams cannot write.
      new k8s.core.v1.Secret(`${name}-gateway-key`, {
        metadata: metadata(teamKeySecret),
        stringData: { key: args.gateway.apiKey },
      }, inNamespace);
      new k8s.core.v1.ConfigMap(`${name}-gateway`, {
        metadata: metadata("inference-gateway"),
        data: {
          endpoint: `https://${args.gateway.hostname}/v1`,
          ...(args.gateway.caCertificate ? { "ca.crt": args.gateway.caCertificate } : {}),
        },
      }, inNamespace);
      const wake = args.gateway.scaleFromZero;
      if (wake) {
        // What a team's AIServiceBackend names for a model that may be at zero replicas.
        new k8s.apiextensions.CustomResource(`${name}-scale-from-zero`, {
          apiVersion: "gateway.envoyproxy.io/v1alpha1",
          kind: "Backend",
          metadata: metadata(scaleFromZeroBackend),
          spec: { endpoints: [{ fqdn: { hostname: wake.host, port: wake.port } }] },
        }, { ...inNamespace, dependsOn: [this.namespace, ...wake.dependsOn] });
      }
    }

    if (args.modelStore) {
      const store = args.modelStore;
      new k8s.core.v1.ServiceAccount(`${name}-model-reader`, {
        metadata: { ...metadata(modelReaderServiceAccount), annotations: { ...store.reader.serviceAccountAnnotations } },
      }, { ...inNamespace, dependsOn: [this.namespace, store.reader.ready] });
      // What a model's pod needs to stream from the store: the URI, the streamer's settings, and
      // the labels the cloud's identity webhook looks for.
      new k8s.core.v1.ConfigMap(`${name}-model-store`, {
        metadata: metadata("model-store"),
        data: {
          uri: store.uri,
          serviceAccount: modelReaderServiceAccount,
          podLabels: JSON.stringify(store.reader.podLabels),
          ...store.env,
        },
      }, inNamespace);
    }

    if (args.editors) {
      new k8s.rbac.v1.RoleBinding(`${name}-edit`, {
        metadata: metadata("team-edit"),
        subjects: [{ ...args.editors, apiGroup: rbacApiGroup }],
        roleRef: { kind: "ClusterRole", name: "edit", apiGroup: rbacApiGroup },
      }, inNamespace);
    }
    this.registerOutputs({});
  }
}
