import { strict as assert } from "assert";
import { Plan } from "../../../../plan/program";
import { one, ofType, plan, release } from "../../../helpers/plan";
import { configError, devWith } from "../../../helpers/settings";


type PrometheusSpec = Record<string, unknown> & {
  retention: string;
  retentionSize: string;
  storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string; resources: { requests: { storage: string } } } } };
};
type StackValues = {
  prometheus: { prometheusSpec: PrometheusSpec };
  grafana: { admin: { existingSecret: string; userKey: string; passwordKey: string }; sidecar: { dashboards: { label: string; labelValue: string; searchNamespace: string } } };
  nodeExporter: { enabled: boolean };
};
const stackValues = (p: Plan) => release(p, "kube-prometheus-stack")!.inputs.values as StackValues;

describe("monitoring (kube-prometheus-stack)", () => {
  it("picks up monitors and rules from every namespace, not only its own release's", async () => {
    const spec = stackValues(await plan("dev")).prometheus.prometheusSpec;
    for (const kind of ["serviceMonitor", "podMonitor", "rule", "probe"]) {
      assert.equal(spec[`${kind}SelectorNilUsesHelmValues`], false, kind);
    }
    for (const kind of ["serviceMonitor", "podMonitor", "rule"]) assert.deepEqual(spec[`${kind}NamespaceSelector`], {}, kind);
  });

  it("keeps metrics on a volume of the configured size, for the configured time, below the volume's size", async () => {
    const spec = stackValues(await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, monitoring: { retention: "30d", storageGiB: 200 } } })).prometheus.prometheusSpec;
    assert.equal(spec.retention, "30d");
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "200Gi");
    assert.equal(spec.retentionSize, "180GiB");
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3-encrypted");
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Delete", whenScaled: "Retain" });
  });

  it("waits for the storage class its volume needs", async () => {
    const p = await plan("dev");
    const storageClass = one(p, "kubernetes:storage.k8s.io/v1:StorageClass");
    assert.ok(release(p, "kube-prometheus-stack")!.dependencies.includes(storageClass.urn));
  });

  it("reads Grafana's admin login from a Secret holding a generated password, created before the release", async () => {
    const p = await plan("dev");
    const values = stackValues(p);
    const secret = one(p, "kubernetes:core/v1:Secret", "grafana-admin");
    assert.deepEqual(secret.inputs.metadata, { name: values.grafana.admin.existingSecret, namespace: "monitoring" });
    assert.equal(secret.inputs.stringData, "[secret]", "the password must reach the cluster only as a secret");
    assert.ok(release(p, "kube-prometheus-stack")!.dependencies.includes(secret.urn));
    const password = one(p, "random:index/randomPassword:RandomPassword", "-grafana");
    assert.equal(password.inputs.length, 32);
    assert.equal(p.outputs.grafanaAdminPassword, "[secret]");
  });

  it("loads dashboards labelled for Grafana from every namespace", async () => {
    const { dashboards } = stackValues(await plan("dev")).grafana.sidecar;
    assert.deepEqual(dashboards, { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
  });

  it("leaves node-exporter out, so the GPU Operator's namespace stays the only privileged one", async () => {
    assert.equal(stackValues(await plan("dev")).nodeExporter.enabled, false);
  });

  it("rejects a retention Prometheus would not understand, naming the setting", () => {
    assert.match(configError(devWith({ addons: { monitoring: { retention: "15 days" } } })), /addons\.monitoring\.retention = "15 days": must be a whole number of hours, days, weeks or years/);
  });

  describe("GPU metrics, alerts and dashboard", () => {
    it("scrapes DCGM with each GPU's pool from its node and team from the pod using it", async () => {
      const monitor = one(await plan("dev"), "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").inputs as { metadata: { namespace: string }; spec: Record<string, any> };
      assert.equal(monitor.metadata.namespace, "gpu-operator");
      assert.deepEqual(monitor.spec.selector, { matchLabels: { app: "nvidia-dcgm-exporter" } });
      assert.deepEqual(monitor.spec.attachMetadata, { node: true });
      const [endpoint] = monitor.spec.endpoints;
      assert.equal(endpoint.port, "gpu-metrics");
      assert.ok(endpoint.relabelings.some((r: { sourceLabels: string[]; targetLabel: string }) => r.sourceLabels[0] === "__meta_kubernetes_node_label_gpu_platform_io_pool" && r.targetLabel === "pool"));
      assert.ok(endpoint.metricRelabelings.some((r: { sourceLabels: string[]; targetLabel: string }) => r.sourceLabels[0] === "exported_namespace" && r.targetLabel === "team"));
    });

    it("creates the monitor only after both the Prometheus CRDs and the GPU Operator exist", async () => {
      const p = await plan("dev");
      const monitor = one(p, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
      for (const name of ["kube-prometheus-stack", "gpu-operator"]) assert.ok(monitor.dependencies.includes(release(p, name)!.urn), name);
    });

    it("alerts on XID errors, full GPU memory, idle GPUs and GPU nodes that are not ready", async () => {
      const rule = one(await plan("dev"), "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "gpu-monitoring-alerts").inputs as { metadata: { namespace: string }; spec: { groups: { rules: { alert: string; expr: string }[] }[] } };
      const alerts = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
      for (const alert of ["GpuXidError", "GpuMemoryNearlyFull", "GpuIdle", "GpuNodeNotReady"]) assert.ok(alerts.includes(alert), alert);
      assert.equal(rule.metadata.namespace, "monitoring");
    });

    it("measures idleness over the hours the stack sets", async () => {
      const rule = one(await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, monitoring: { idleGpuAlertHours: 8 } } }), "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "gpu-monitoring-alerts").inputs as { spec: { groups: { rules: { alert: string; expr: string }[] }[] } };
      const idle = rule.spec.groups.flatMap((g) => g.rules).find((r) => r.alert === "GpuIdle")!;
      assert.match(idle.expr, /\[8h\]/);
    });

    it("ships the GPU dashboard as a ConfigMap Grafana's sidecar loads", async () => {
      const dashboard = one(await plan("dev"), "kubernetes:core/v1:ConfigMap", "gpu-monitoring-dashboard").inputs as { metadata: { labels: Record<string, string> }; data: Record<string, string> };
      assert.equal(dashboard.metadata.labels.grafana_dashboard, "1");
      const model = JSON.parse(Object.values(dashboard.data)[0]) as { uid: string; panels: unknown[] };
      assert.equal(model.uid, "gpu-platform-gpus");
      assert.ok(model.panels.length >= 6);
    });

    it("drops all of it when the stack switches monitoring off", async () => {
      const p = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, monitoring: { enabled: false } } });
      assert.equal(release(p, "kube-prometheus-stack"), undefined);
      for (const type of ["ServiceMonitor", "PrometheusRule"]) assert.equal(ofType(p, `kubernetes:monitoring.coreos.com/v1:${type}`).length, 0);
      assert.equal(p.outputs.grafanaAdminPassword, undefined);
    });
  });
});
