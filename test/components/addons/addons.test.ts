import { strict as assert } from "assert";
import { parse as parseYaml } from "yaml";
import { Plan, PlannedResource } from "../../../plan/program";
import { one, ofType, plan, prerequisites, release as releaseOf } from "../../helpers/plan";
import { configError, devWith } from "../../helpers/settings";

const releaseType = "kubernetes:helm.sh/v3:Release";
const release = (p: Plan, name: string) => releaseOf(p, name)!;
type GpuOperatorValues = {
  driver: { enabled: boolean }; toolkit: { enabled: boolean };
  devicePlugin: { enabled: boolean; config: { data: Record<string, string> } };
};

describe("add-on layer", () => {
  it("installs every add-on of the dev stack, each pinned to an exact version", async () => {
    const releases = ofType(await plan("dev"), releaseType);
    const names = releases.map((r) => r.inputs.name).sort();
    assert.deepEqual(names, [
      "ai-gateway", "ai-gateway-crds", "argocd", "cert-manager", "envoy-gateway", "gateway-crds", "gpu-operator", "karpenter", "karpenter-crd",
      "keda", "keda-add-ons-http", "kserve", "kserve-crd", "kserve-runtimes", "kube-prometheus-stack", "kueue",
    ]);
    for (const r of releases) assert.match(String(r.inputs.version), /^v?\d+\.\d+\.\d+$/, `${r.inputs.name} is not pinned`);
  });

  it("pulls classic charts through their repository and OCI charts by URL", async () => {
    const p = await plan("dev");
    const operator = release(p, "gpu-operator").inputs;
    assert.equal(operator.chart, "gpu-operator");
    assert.deepEqual(operator.repositoryOpts, { repo: "https://helm.ngc.nvidia.com/nvidia" });
    assert.equal(release(p, "kueue").inputs.chart, "oci://registry.k8s.io/kueue/charts/kueue");
  });

  it("installs from a mirror when the stack names one", async () => {
    const p = await plan("dev", { "gpu-platform:addons": { gpuOperator: { repository: "https://charts.example.internal/nvidia" } } });
    assert.deepEqual(release(p, "gpu-operator").inputs.repositoryOpts, { repo: "https://charts.example.internal/nvidia" });
  });

  it("leaves out an add-on the stack switches off", async () => {
    const p = await plan("dev", { "gpu-platform:addons": { kserve: { enabled: false } } });
    const names = ofType(p, releaseType).map((r) => r.inputs.name);
    assert.ok(!names.includes("kserve") && !names.includes("kserve-crd"));
  });

  it("refuses KServe without cert-manager", () => {
    assert.match(configError(devWith({ addons: { certManager: { enabled: false } } })), /addons\.certManager\.enabled = false: KServe's webhooks need cert-manager/);
  });

  describe("ordering", () => {
    it("installs KServe's CRDs after cert-manager and its controller after both", async () => {
      const p = await plan("dev");
      const [cert, crd, controller] = ["cert-manager", "kserve-crd", "kserve"].map((n) => release(p, n));
      assert.ok(crd.dependencies.includes(cert.urn));
      assert.ok(controller.dependencies.includes(crd.urn) && controller.dependencies.includes(cert.urn));
    });

    it("creates every custom resource after the release that brings its CRD, so destroy deletes it first", async () => {
      const crdSource: Record<string, string> = {
        "karpenter.sh": "karpenter-crd",
        "karpenter.k8s.aws": "karpenter-crd",
        "kueue.x-k8s.io": "kueue",
        "monitoring.coreos.com": "kube-prometheus-stack",
        "argoproj.io": "argocd",
        "serving.kserve.io": "kserve-crd",
        "gateway.networking.k8s.io": "gateway-crds",
        "gateway.envoyproxy.io": "gateway-crds",
        "aigateway.envoyproxy.io": "ai-gateway-crds",
        // Issuer and Certificate: cert-manager installs its CRDs from its own templates.
        "cert-manager.io": "cert-manager",
      };
      const p = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, argocd: { gitops: { repoURL: "https://git.example.com/ml/serving.git", revision: "main" } } } });
      const waitsOn = prerequisites(p);
      const custom = p.resources.filter((r) => typeof r.inputs.apiVersion === "string" && String(r.inputs.apiVersion).split("/")[0] in crdSource);
      assert.ok(custom.length >= 15, `only ${custom.length} custom resources`);
      for (const resource of custom) {
        const source = release(p, crdSource[String(resource.inputs.apiVersion).split("/")[0]]);
        assert.ok(waitsOn(resource).has(source.urn), `${resource.name} does not wait for ${source.inputs.name}`);
      }
    });

    it("installs independent add-ons side by side, each after the system nodes only", async () => {
      const p = await plan("dev");
      const releases = ["cert-manager", "gpu-operator", "kube-prometheus-stack", "argocd"].map((n) => release(p, n));
      const system = one(p, "aws:eks/nodeGroup:NodeGroup", "-system");
      for (const r of releases) {
        assert.ok(r.dependencies.includes(system.urn), `${r.inputs.name} waits for system nodes`);
        assert.ok(releases.every((other) => !r.dependencies.includes(other.urn)), `${r.inputs.name} waits on another add-on`);
      }
      // Kueue's ServiceMonitor needs the Prometheus operator's CRDs; without monitoring it waits for nothing.
      assert.ok(release(p, "kueue").dependencies.includes(release(p, "kube-prometheus-stack").urn));
      const alone = await plan("dev", { "gpu-platform:addons": { monitoring: { enabled: false } } });
      assert.ok(!release(alone, "kueue").dependencies.some((urn) => urn.includes("helm.sh")));
    });
  });

  describe("GPU Operator", () => {
    it("leaves driver and toolkit to the EKS NVIDIA image and runs the device plugin", async () => {
      const values = release(await plan("dev"), "gpu-operator").inputs.values as GpuOperatorValues;
      assert.equal(values.driver.enabled, false);
      assert.equal(values.toolkit.enabled, false);
      assert.equal(values.devicePlugin.enabled, true);
    });

    it("leaves the device plugin to Bottlerocket, which ships its own", async () => {
      const unshared = [{ name: "l4", gpu: "L4", maxGpus: 8 }];
      const values = release(await plan("dev", { "gpu-platform:eks": { gpuNodeImage: "bottlerocket" }, "gpu-platform:gpuPools": unshared }), "gpu-operator").inputs.values as GpuOperatorValues;
      assert.equal(values.devicePlugin.enabled, false);
    });

    it("gives each time-sliced pool its replica count through the device plugin config", async () => {
      const values = release(await plan("dev"), "gpu-operator").inputs.values as GpuOperatorValues;
      const l4 = parseYaml(values.devicePlugin.config.data.l4);
      assert.deepEqual(l4.sharing.timeSlicing.resources, [{ name: "nvidia.com/gpu", replicas: 2 }]);
      assert.ok("default" in values.devicePlugin.config.data);
    });

    it("runs in the only privileged namespace; other add-ons get baseline, teams restricted", async () => {
      const namespaces = ofType(await plan("dev"), "kubernetes:core/v1:Namespace");
      const enforced = (r: PlannedResource) => ((r.inputs.metadata as { labels?: Record<string, string> }).labels ?? {})["pod-security.kubernetes.io/enforce"];
      assert.deepEqual(namespaces.filter((n) => enforced(n) === "privileged").map((n) => (n.inputs.metadata as { name: string }).name), ["gpu-operator"]);
      assert.deepEqual(namespaces.filter((n) => enforced(n) === undefined).map((n) => (n.inputs.metadata as { name: string }).name), []);
      for (const team of ["search", "assistants"]) {
        assert.equal(enforced(namespaces.find((n) => (n.inputs.metadata as { name: string }).name === team)!), "restricted");
      }
    });
  });

  describe("KServe", () => {
    type RuntimeValues = { kserve: { servingruntime: Record<string, { disabled: boolean; image?: string; tag?: string; securityContext?: Record<string, unknown> }> } };
    const runtimes = async (overrides = {}) => release(await plan("dev", overrides), "kserve-runtimes");

    type KserveValues = { kserve: { controller: { deploymentMode: string; gateway: Record<string, any> } } };
    it("runs in Standard mode and puts every InferenceService on the shared Gateway, under the stack's hostname", async () => {
      const values = release(await plan("dev"), "kserve").inputs.values as KserveValues;
      assert.equal(values.kserve.controller.deploymentMode, "Standard");
      const gateway = values.kserve.controller.gateway;
      assert.equal(gateway.disableIngressCreation, false);
      assert.deepEqual(gateway.ingressGateway, { enableGatewayApi: true, kserveGateway: "inference-gateway/inference", createGateway: false, className: "inference" });
      assert.equal(gateway.domain, "inference.gpu-dev.internal");
      assert.equal(gateway.urlScheme, "https");
    });

    it("creates no KServe routes when the gateway is off", async () => {
      const values = release(await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false } } }), "kserve").inputs.values as KserveValues;
      assert.deepEqual(values.kserve.controller.gateway, { disableIngressCreation: true });
    });

    it("offers only the runtimes the stack lists, vLLM on a pinned image instead of the chart's latest", async () => {
      const { servingruntime } = ((await runtimes()).inputs.values as RuntimeValues).kserve;
      // The multinode entry has no switch of its own (it follows huggingfaceserver), so it sets none.
      const offered = Object.entries(servingruntime).filter(([, runtime]) => typeof runtime === "object" && runtime.disabled === false).map(([name]) => name);
      assert.deepEqual(offered, ["vllmserver"]);
      assert.equal(servingruntime.huggingfaceserver_multinode.disabled, undefined);
      assert.equal(servingruntime.vllmserver.image, "vllm/vllm-openai");
      assert.match(String(servingruntime.vllmserver.tag), /^v\d+\.\d+\.\d+$/);
    });

    it("runs offered runtimes as non-root with the default seccomp profile, as team namespaces require", async () => {
      const values = (await runtimes({ "gpu-platform:addons": { kserve: { runtimes: ["vllm", "huggingface"] } } })).inputs.values as RuntimeValues;
      for (const name of ["vllmserver", "huggingfaceserver", "huggingfaceserver_multinode"]) {
        const context = values.kserve.servingruntime[name].securityContext!;
        assert.equal(context.runAsNonRoot, true, name);
        assert.deepEqual(context.seccompProfile, { type: "RuntimeDefault" }, name);
        assert.equal(context.allowPrivilegeEscalation, false, name);
      }
      assert.ok(Number(values.kserve.servingruntime.vllmserver.securityContext!.runAsUser) > 0);
    });

    it("installs runtimes after KServe and its CRDs, and not at all when none are listed", async () => {
      const p = await plan("dev");
      const installed = release(p, "kserve-runtimes");
      for (const name of ["kserve-crd", "kserve"]) assert.ok(installed.dependencies.includes(release(p, name).urn), name);
      const without = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: [] } } });
      assert.equal(releaseOf(without, "kserve-runtimes"), undefined);
    });

    it("refuses serving runtimes without KServe", () => {
      assert.match(configError(devWith({ addons: { kserve: { enabled: false, runtimes: ["vllm"] } } })), /addons\.kserve\.runtimes = \["vllm"\]: serving runtimes need KServe/);
    });

    it("names the allowed runtimes when one is unknown", () => {
      assert.match(configError(devWith({ addons: { kserve: { runtimes: ["triton"] } } })), /addons\.kserve\.runtimes\[0\] = "triton": .*"vllm"\|"huggingface"/);
    });
  });

  describe("Kueue", () => {
    it("runs a release image, not the chart's staging tag", async () => {
      const values = release(await plan("dev"), "kueue").inputs.values as { controllerManager: { manager: { image: Record<string, string> } } };
      assert.deepEqual(values.controllerManager.manager.image, { repository: "registry.k8s.io/kueue/kueue", tag: "v0.19.2", pullPolicy: "IfNotPresent" });
    });

    it("gives each team a ClusterQueue with its GPU quota on the pool's flavor, in one cohort", async () => {
      const p = await plan("dev");
      const queues = ofType(p, "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue");
      assert.equal(queues.length, 2);
      const search = queues.find((q) => q.name.endsWith("team-search"))!.inputs.spec as { cohortName: string; resourceGroups: { flavors: { name: string; resources: { name: string; nominalQuota: unknown; borrowingLimit?: unknown }[] }[] }[] };
      assert.equal(search.cohortName, "gpu-platform");
      const [flavor] = search.resourceGroups[0].flavors;
      assert.equal(flavor.name, "gpu-l4");
      // dev time-slices each L4 in two, so 4 GPUs are 8 schedulable nvidia.com/gpu, and the team may
      // borrow the other 4 GPUs' 8.
      const gpu = flavor.resources.find((r) => r.name === "nvidia.com/gpu")!;
      assert.deepEqual([gpu.nominalQuota, gpu.borrowingLimit], [8, 8]);
    });

    it("counts MIG instances, not GPUs, for a MIG pool", async () => {
      const pools = [{ name: "a100", gpu: "A100", maxGpus: 8, sharing: { mode: "mig", profile: "all-1g.5gb" } }];
      const teams = [{ name: "search", gpus: { a100: 2 }, cpu: "8", memory: "32Gi" }];
      const queue = one(await plan("dev", { "gpu-platform:gpuPools": pools, "gpu-platform:teams": teams }), "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue").inputs.spec as { resourceGroups: { flavors: { resources: { name: string; nominalQuota: unknown }[] }[] }[] };
      assert.equal(queue.resourceGroups[0].flavors[0].resources.find((r) => r.name === "nvidia.com/gpu")!.nominalQuota, 14, "2 GPUs × 7 instances of 1g.5gb");
    });

    it("selects pool nodes and tolerates the GPU taint, with or without a value, in each ResourceFlavor", async () => {
      const flavor = one(await plan("dev"), "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor").inputs.spec as { nodeLabels: Record<string, string>; tolerations: object[] };
      assert.deepEqual(flavor.nodeLabels, { "gpu-platform.io/pool": "l4" });
      assert.deepEqual(flavor.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    });

    it("ranks serving above batch", async () => {
      const classes = ofType(await plan("dev"), "kubernetes:kueue.x-k8s.io/v1beta2:WorkloadPriorityClass");
      const value = (name: string) => classes.find((c) => (c.inputs.metadata as { name: string }).name === name)!.inputs.value as number;
      assert.ok(value("serving") > value("batch"));
    });

    it("creates queues only after the Kueue release that brings their CRDs", async () => {
      const p = await plan("dev");
      const kueue = release(p, "kueue");
      const queueObjects = p.resources.filter((r) => r.type.startsWith("kubernetes:kueue.x-k8s.io/") && !r.type.endsWith("LocalQueue"));
      assert.ok(queueObjects.length >= 5);
      for (const r of queueObjects) assert.ok(r.dependencies.includes(kueue.urn), r.name);
    });
  });

  describe("team tenancy", () => {
    it("caps each team namespace's GPU requests at what Kueue may admit for it: quota plus borrowing", async () => {
      const quota = one(await plan("dev"), "kubernetes:core/v1:ResourceQuota", "search-quota").inputs.spec as { hard: Record<string, string> };
      assert.deepEqual(quota.hard, { "requests.cpu": "32", "requests.memory": "128Gi", "requests.nvidia.com/gpu": "16" });
    });

    it("caps it at the team's own quota when Kueue is off", async () => {
      const p = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, kueue: { enabled: false } } });
      const quota = one(p, "kubernetes:core/v1:ResourceQuota", "search-quota").inputs.spec as { hard: Record<string, string> };
      assert.equal(quota.hard["requests.nvidia.com/gpu"], "8", "4 GPUs time-sliced in two");
    });

    it("denies ingress by default and admits only the namespace itself, the gateway's Envoy proxies, the scale-from-zero interceptor and Prometheus", async () => {
      const policies = ofType(await plan("dev"), "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((r) => r.name.includes("team-search"));
      const deny = policies.find((r) => r.name.endsWith("default-deny"))!.inputs.spec as { podSelector: object; ingress?: object[] };
      assert.deepEqual(deny.podSelector, {});
      assert.equal(deny.ingress, undefined);
      const allow = policies.find((r) => r.name.endsWith("-allow"))!.inputs.spec as { ingress: { from: object[] }[] };
      const fromNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
      assert.deepEqual(allow.ingress[0].from, [{ podSelector: {} }, fromNamespace("envoy-gateway-system"), fromNamespace("keda"), fromNamespace("monitoring")]);
    });

    it("admits no platform namespace whose add-on the stack switches off", async () => {
      const p = await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false }, monitoring: { enabled: false } } });
      const allow = one(p, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "team-search-allow").inputs.spec as { ingress: { from: object[] }[] };
      assert.deepEqual(allow.ingress[0].from, [{ podSelector: {} }]);
    });

    it("gives each team a LocalQueue pointing at its ClusterQueue, and edit rights to the group its role maps to", async () => {
      const p = await plan("dev");
      const queue = one(p, "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue", "team-search-queue").inputs;
      assert.deepEqual(queue.spec, { clusterQueue: "team-search" });
      assert.equal((queue.metadata as { namespace: string }).namespace, "search");
      const binding = one(p, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "team-search-edit").inputs;
      assert.deepEqual(binding.subjects, [{ kind: "Group", name: "gpu-platform:team:search", apiGroup: "rbac.authorization.k8s.io" }]);
    });
  });

  describe("what the charts render (each case a finding of npm run render against the real charts)", () => {
    type Values = Record<string, any>;
    const valuesOf = async (name: string, stack = "dev"): Promise<Values> => release(await plan(stack), name)!.inputs.values as Values;
    const system = { "gpu-platform.io/role": "system" };
    const hasRequests = (resources: Values) => resources?.requests?.cpu !== undefined && resources?.requests?.memory !== undefined;

    it("puts cert-manager's post-install check on the system nodes, and requests for every cert-manager pod", async () => {
      const v = await valuesOf("cert-manager");
      assert.deepEqual(v.startupapicheck.nodeSelector, system);
      for (const part of [v, v.webhook, v.cainjector, v.startupapicheck]) assert.ok(hasRequests(part.resources));
    });

    it("puts NFD's master and garbage collector on the system nodes", async () => {
      const v = await valuesOf("gpu-operator");
      assert.deepEqual(v["node-feature-discovery"].master.nodeSelector, system);
      assert.deepEqual(v["node-feature-discovery"].gc.nodeSelector, system);
    });

    it("puts Grafana and kube-state-metrics on the system nodes, with requests for every monitoring pod, and no helm test pod", async () => {
      const v = await valuesOf("kube-prometheus-stack");
      assert.deepEqual(v.grafana.nodeSelector, system);
      assert.deepEqual(v["kube-state-metrics"].nodeSelector, system);
      for (const resources of [v.grafana.resources, v.grafana.sidecar.resources, v["kube-state-metrics"].resources, v.prometheusOperator.resources,
        v.prometheusOperator.admissionWebhooks.patch.resources, v.prometheus.prometheusSpec.resources, v.alertmanager.alertmanagerSpec.resources]) {
        assert.ok(hasRequests(resources), JSON.stringify(resources));
      }
      assert.deepEqual(v.grafana.testFramework, { enabled: false });
    });

    it("gives every Argo CD pod requests and keeps the admin password's timestamp fixed, so upgrades log nobody out", async () => {
      const v = await valuesOf("argocd");
      for (const part of [v.controller, v.repoServer, v.repoServer.copyutil, v.server, v.redis, v.redisSecretInit, v.applicationSet, v.notifications]) assert.ok(hasRequests(part.resources));
      assert.match(v.configs.secret.argocdServerAdminPasswordMtime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal((await valuesOf("argocd")).configs.secret.argocdServerAdminPasswordMtime, v.configs.secret.argocdServerAdminPasswordMtime);
    });

    it("gives KServe's storage initializer, injected into team pods, the seccomp profile restricted demands", async () => {
      const v = await valuesOf("kserve");
      assert.deepEqual(v.kserve.storage.containerSecurityContext, {
        allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
      });
    });
  });
});
