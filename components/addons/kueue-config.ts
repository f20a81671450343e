import { stringify } from "yaml";
import type { DraOffer } from "./dra/offers";

/**
 * Kueue's configuration file, with its ClusterQueue metrics on when Prometheus runs, and DRA counted: the claims of every offer count as `nvidia.com/gpu`,
 * the resource each pool's flavor already has quota for, so one nominal quota covers a team's
 * device-plugin GPUs and its claims alike (a MIG slice counts one, as the device plugin counts it).
 *
 * The chart takes the file whole (managerConfig.controllerManagerConfigYaml), so the rest repeats
 * the defaults of kueue v0.19.2 charts/kueue/values.yaml; KueueDRAIntegration is beta and on there.
 */
export function kueueManagerConfig(offers: readonly DraOffer[], options: { queueResourceMetrics: boolean }): string {
  return stringify({
    apiVersion: "config.kueue.x-k8s.io/v1beta2",
    kind: "Configuration",
    health: { healthProbeBindAddress: ":8081" },
    // Per ClusterQueue usage, nominal quota and borrowing as metrics, for the cost dashboard.
    metrics: { bindAddress: ":8443", ...(options.queueResourceMetrics ? { enableClusterQueueResources: true } : {}) },
    webhook: { port: 9443 },
    leaderElection: { leaderElect: true, resourceName: "c1f6bfd2.kueue.x-k8s.io" },
    controller: {
      groupKindConcurrency: {
        "Job.batch": 5, Pod: 5, "Workload.kueue.x-k8s.io": 10, "LocalQueue.kueue.x-k8s.io": 5, "ClusterQueue.kueue.x-k8s.io": 5, "ResourceFlavor.kueue.x-k8s.io": 1,
      },
    },
    clientConnection: { qps: 300, burst: 500 },
    integrations: {
      frameworks: [
        "batch/job", "kubeflow.org/mpijob", "ray.io/rayjob", "ray.io/rayservice", "ray.io/raycluster", "jobset.x-k8s.io/jobset",
        "workload.codeflare.dev/appwrapper", "trainer.kubeflow.org/trainjob", "pod", "deployment", "statefulset", "leaderworkerset.x-k8s.io/leaderworkerset",
      ],
    },
    ...(offers.length > 0 ? { resources: { deviceClassMappings: [{ name: "nvidia.com/gpu", deviceClassNames: [...new Set(offers.map((offer) => offer.deviceClass))] }] } } : {}),
  });
}
