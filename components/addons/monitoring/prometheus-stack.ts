import * as k8s from "@pulumi/kubernetes";
import type { AddonContext, AddonScope } from "../addon";
import { requests } from "../requests";

/** The Secret Grafana reads its admin login from, created before the release. */
export const grafanaAdminSecret = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/** ConfigMaps with this label, in any namespace, become Grafana dashboards. */
export const grafanaDashboardLabel = { key: "grafana_dashboard", value: "1" } as const;

/** Managed control planes (EKS, GKE, AKS) expose none of these to scrape; their alerts would only misfire. */
const hiddenControlPlane = ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"] as const;

/** Prometheus keeps this share of its volume for metrics; the rest is headroom for compaction. */
const retentionShareOfVolume = 0.9;

export function grafanaAdminLogin(ctx: AddonContext, scope: AddonScope): k8s.core.v1.Secret[] {
  const password = ctx.credentials.grafanaAdminPassword;
  if (!password) throw new Error("monitoring is installed but no Grafana password was generated");
  return [new k8s.core.v1.Secret(`${scope.name}-grafana-admin`, {
    metadata: { name: grafanaAdminSecret.name, namespace: scope.namespace },
    type: "Opaque",
    stringData: { [grafanaAdminSecret.userKey]: "admin", [grafanaAdminSecret.passwordKey]: password },
  }, scope.opts)];
}

/** kube-prometheus-stack values: one Prometheus that watches every namespace, on system nodes. */
export function prometheusStackValues(ctx: AddonContext, onSystemNodes: Record<string, string>) {
  const settings = ctx.config.addons.monitoring;
  const off = { enabled: false };
  return {
    crds: { enabled: true },
    defaultRules: {
      rules: {
        etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false,
        nodeExporterAlerting: false, nodeExporterRecording: false,
      },
    },
    ...Object.fromEntries(hiddenControlPlane.map((component) => [component, off])),
    // node-exporter needs the host's network, PIDs and filesystem, i.e. a privileged namespace; the
    // GPU Operator's stays the only one. GPU, container and object metrics come from DCGM, the
    // kubelet and kube-state-metrics.
    nodeExporter: off,
    prometheusOperator: {
      nodeSelector: onSystemNodes,
      resources: requests("50m", "128Mi"),
      admissionWebhooks: { patch: { nodeSelector: onSystemNodes, resources: requests("10m", "32Mi") } },
    },
    prometheus: {
      prometheusSpec: {
        // Select monitors and rules from every namespace, not only those labelled for this release:
        // the DCGM exporter's and the teams' own monitors are installed by others.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        serviceMonitorNamespaceSelector: {},
        podMonitorNamespaceSelector: {},
        ruleNamespaceSelector: {},
        retention: settings.retention,
        retentionSize: `${Math.floor(settings.storageGiB * retentionShareOfVolume)}GiB`,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: ctx.cluster.storage.className,
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${settings.storageGiB}Gi` } },
            },
          },
        },
        // Removing the stack removes its volume too, instead of leaving a paid-for disk behind.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        nodeSelector: onSystemNodes,
        resources: requests("500m", "2Gi"),
      },
    },
    alertmanager: { alertmanagerSpec: { nodeSelector: onSystemNodes, resources: requests("20m", "64Mi") } },
    // Subchart keys (kube-state-metrics 8.4.0, grafana 12.11.1), read at those charts' tags.
    "kube-state-metrics": {
      nodeSelector: onSystemNodes,
      resources: requests("20m", "128Mi"),
      // The pool of each node and the queue of each pod, for the cost rules (kube_node_labels, kube_pod_labels).
      metricLabelsAllowlist: ["nodes=[gpu-platform.io/pool]", "pods=[kueue.x-k8s.io/queue-name]"],
    },
    grafana: {
      nodeSelector: onSystemNodes,
      resources: requests("50m", "128Mi"),
      // A `helm test` pod Pulumi never runs; it would only be one more unpinned image.
      testFramework: { enabled: false },
      admin: { existingSecret: grafanaAdminSecret.name, userKey: grafanaAdminSecret.userKey, passwordKey: grafanaAdminSecret.passwordKey },
      sidecar: {
        resources: requests("10m", "64Mi"),
        dashboards: { enabled: true, label: grafanaDashboardLabel.key, labelValue: grafanaDashboardLabel.value, searchNamespace: "ALL" },
      },
    },
  };
}
