import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../stacks/load";
import { AddonLayer } from "./addons/addon-layer";
import { interceptorProxy, modelHeader } from "./addons/autoscaling/scale-from-zero";
import { aiGateway, argocd, certManager, draDriver, envoyGateway, gpuOperator, kedaHttp, kserve, kueue, monitoring } from "./addons/catalog";
import { DraDevices } from "./addons/dra/dra-devices";
import { draOffers } from "./addons/dra/offers";
import { InferenceGateway } from "./addons/gateway/inference-gateway";
import { envoyGatewayNamespace, tokenCostMetadata } from "./addons/gateway/names";
import { teamLimits } from "./addons/gateway/team-limits";
import { AddonCredentials } from "./addons/credentials";
import { GitOpsBootstrap } from "./addons/gitops";
import { KueueQueues, clusterQueueName, localQueueName, teamGpuUnits } from "./addons/kueue-queues";
import { gpuCostRules } from "./addons/monitoring/gpu-cost";
import { GpuMonitoring } from "./addons/monitoring/gpu-monitoring";
import { ServingMetrics } from "./addons/monitoring/serving-metrics";
import type { ClusterHandle } from "./cluster/contract";
import { clusterBuilders } from "./cluster/registry";
import { AdmissionPolicies } from "./admission/admission-policies";
import { admissionPolicies, readPackConfig } from "../policy/admission";
import { TeamNamespace, teamGpuTotal } from "./tenancy";

export interface GpuPlatformArgs {
  readonly config: PlatformConfig;
}

/**
 * The whole platform for one stack: a cluster from the configured cloud, its GPU capacity, the
 * add-ons installed on it, and a namespace per team.
 */
export class GpuPlatform extends pulumi.ComponentResource {
  readonly cluster: ClusterHandle;
  readonly addons: AddonLayer;
  readonly credentials: AddonCredentials;
  readonly teams: TeamNamespace[];
  /** The inference gateway, when the stack installs it. */
  readonly gateway?: InferenceGateway;
  /** Per team, where its model store is (modelStore.enabled): s3://…, gs://… or az://…. */
  readonly modelStores: Record<string, pulumi.Output<string>>;
  /** Per team: its namespace, the Kueue queue its workloads name, and its GPU quota. */
  readonly teamQueues: Record<string, { namespace: string; localQueue?: string; clusterQueue?: string; gpus: number; claimTemplates?: string[] }>;

  constructor(name: string, args: GpuPlatformArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:index:GpuPlatform", name, {}, opts);
    const { config } = args;
    this.cluster = clusterBuilders[config.cloud](name, { config }, { parent: this });
    this.credentials = new AddonCredentials(`${name}-credentials`, { config }, { parent: this });
    this.addons = new AddonLayer(`${name}-addons`, { config, cluster: this.cluster, credentials: this.credentials }, { parent: this });
    const provider = this.cluster.provider;

    const kueueRelease = this.addons.releaseOf(kueue);
    const queues = kueueRelease && new KueueQueues(`${name}-queues`, {
      config, pools: this.cluster.gpuPools, provider, kueue: kueueRelease,
    }, { parent: this });

    const prometheusStack = this.addons.releaseOf(monitoring);
    if (prometheusStack) {
      const operator = this.addons.releaseOf(gpuOperator);
      new GpuMonitoring(`${name}-gpu-monitoring`, {
        provider,
        prometheusStack,
        monitoringNamespace: monitoring.namespace,
        gpuOperator: operator && { release: operator, namespace: gpuOperator.namespace },
        idleGpuAlertHours: config.addons.monitoring.idleGpuAlertHours,
        cost: { rules: gpuCostRules(config), idleSharePercent: config.addons.monitoring.idleShareAlertPercent },
      }, { parent: this });
    }

    const gatewayReleases = [envoyGateway, aiGateway, certManager].map((addon) => this.addons.releaseOf(addon));
    if (gatewayReleases.every((release) => release !== undefined)) {
      this.gateway = new InferenceGateway(`${name}-gateway`, {
        gateway: config.addons.gateway,
        cloud: config.cloud,
        clusterName: config.clusterName,
        teams: teamLimits(config),
        provider,
        systemNodeSelector: this.cluster.systemNodeSelector,
        prometheus: prometheusStack,
        dependsOn: gatewayReleases,
      }, { parent: this });
    }

    // Only inference traffic (through the gateway's Envoy proxies, or the scale-from-zero
    // interceptor holding it) and Prometheus' scrapes may reach team pods.
    const kserveRelease = this.addons.releaseOf(kserve);
    const interceptor = this.gateway && this.addons.releaseOf(kedaHttp);
    const ingressFrom = [this.gateway && envoyGatewayNamespace, interceptor && kedaHttp.namespace, prometheusStack && monitoring.namespace].filter((ns): ns is string => ns !== undefined);
    const draRelease = this.addons.releaseOf(draDriver);
    const offers = draRelease ? draOffers(config.gpuPools) : [];
    const draDevices = draRelease && new DraDevices(`${name}-dra`, { offers, provider, driver: draRelease, gpuOperatorNamespace: gpuOperator.namespace }, { parent: this });

    const modelStores = config.modelStore.enabled ? this.cluster.teamModelStores?.(config.teams.map((team) => team.name), this) : undefined;
    this.teams = config.teams.map((team) => {
      const clusterQueue = queues?.clusterQueues.get(team.name);
      return new TeamNamespace(`${name}-team-${team.name}`, {
        team,
        provider,
        clusterQueue: clusterQueue && { name: clusterQueueName(team.name), resource: clusterQueue },
        ingressFrom,
        gateway: this.gateway && {
          apiKey: this.gateway.teamKeys.get(team.name)!, caCertificate: this.gateway.caCertificate, hostname: this.gateway.hostname,
          scaleFromZero: interceptor && { ...interceptorProxy, dependsOn: [interceptor, ...this.gateway.ready] },
        },
        modelStore: modelStores?.get(team.name),
        editors: team.group === undefined ? undefined : this.cluster.teamSubject({ ...team, group: team.group }),
        dra: draRelease && { offers, dependsOn: [draRelease, ...draDevices!.deviceClasses] },
        gpuCeiling: this.cluster.gpuPools.reduce((sum, handle) => {
          const { nominal, borrowing } = teamGpuUnits(team, handle);
          return sum + nominal + (queues ? borrowing : 0);
        }, 0),
      }, { parent: this });
    });

    this.modelStores = Object.fromEntries([...(modelStores ?? new Map())].map(([team, store]) => [team, store.uri]));
    this.teamQueues = Object.fromEntries(config.teams.map((team) => [team.name, {
      namespace: team.name,
      ...(queues ? { localQueue: localQueueName, clusterQueue: clusterQueueName(team.name) } : {}),
      gpus: teamGpuTotal(team),
      ...(offers.length > 0 ? { claimTemplates: offers.map((offer) => offer.template) } : {}),
    }]));

    const argocdRelease = this.addons.releaseOf(argocd);
    const gitops = config.addons.argocd.gitops;
    if (argocdRelease && gitops) {
      new GitOpsBootstrap(`${name}-gitops`, {
        provider,
        argocdNamespace: argocd.namespace,
        ...gitops,
        teamNamespaces: config.teams.map((team) => team.name),
        dependsOn: [argocdRelease, ...this.teams, ...(kserveRelease ? [kserveRelease] : [])],
      }, { parent: this });
    }
    if (prometheusStack && kserveRelease && config.teams.length > 0) {
      new ServingMetrics(`${name}-serving-metrics`, {
        provider,
        prometheusStack,
        monitoringNamespace: monitoring.namespace,
        teamNamespaces: config.teams.map((team) => team.name),
        dependsOn: this.teams,
      }, { parent: this });
    }
    // The pack config of the stack's environment: one source for the plan-time rules and these.
    new AdmissionPolicies(`${name}-admission`, {
      policies: admissionPolicies(readPackConfig(config.environment), {
        dra: offers.length > 0,
        gateway: this.gateway && { modelHeader, interceptorHost: interceptorProxy.host, tokenCostKey: tokenCostMetadata.key },
      }),
      provider,
    }, { parent: this });
    this.registerOutputs({ clusterName: this.cluster.name });
  }
}
