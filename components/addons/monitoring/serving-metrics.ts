import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The label KServe puts on every pod of an InferenceService, naming it (kserve v0.20.0
 * pkg/constants: InferenceServicePodLabelKey).
 */
export const inferenceServiceLabel = "serving.kserve.io/inferenceservice";

/**
 * Where KServe's runtimes serve Prometheus metrics: kserve-runtime-configs v0.20.0 annotates every
 * ClusterServingRuntime with prometheus.kserve.io/port "8080" and path /metrics, and vLLM serves
 * its OpenAI API and /metrics on that one port (--port=8080).
 */
export const servingMetricsEndpoint = { port: 8080, path: "/metrics" } as const;

export interface ServingMetricsArgs {
  readonly provider: k8s.Provider;
  readonly prometheusStack: pulumi.Resource;
  readonly monitoringNamespace: string;
  readonly teamNamespaces: readonly string[];
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * Serving metrics from every model in every team namespace (vLLM's queue depth, running requests,
 * KV-cache use, time to first token), each series labelled with its `team` and `model`: what
 * autoscaling queries read and what the conformance requirement ai_service_metrics asks for.
 */
export class ServingMetrics extends pulumi.ComponentResource {
  constructor(name: string, args: ServingMetricsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:ServingMetrics", name, {}, opts);
    const metaLabel = `__meta_kubernetes_pod_label_${inferenceServiceLabel.replace(/[^a-zA-Z0-9]/g, "_")}`;
    new k8s.apiextensions.CustomResource(name, {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "inference-services", namespace: args.monitoringNamespace },
      spec: {
        selector: { matchExpressions: [{ key: inferenceServiceLabel, operator: "Exists" }] },
        namespaceSelector: { matchNames: [...args.teamNamespaces] },
        podMetricsEndpoints: [{
          // The runtimes name no container port; the number is what they listen on.
          portNumber: servingMetricsEndpoint.port,
          path: servingMetricsEndpoint.path,
          interval: "15s",
          relabelings: [
            { sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "team", action: "replace" },
            { sourceLabels: [metaLabel], targetLabel: "model", action: "replace" },
          ],
        }],
      },
    }, { parent: this, provider: args.provider, dependsOn: [args.prometheusStack, ...args.dependsOn] });
    this.registerOutputs({});
  }
}
