import { strict as assert } from "assert";
import * as os from "os";
import { one, ofType, plan, release } from "../../helpers/plan";
import { configError, parse, stackSettings, stackWith } from "../../helpers/settings";

const stack = "onprem";

describe("existing cluster", () => {
  it("installs only the add-ons and tenancy: no cloud resources at all", async () => {
    const p = await plan(stack);
    const clouds = p.resources.filter((r) => /^(aws|gcp|azure-native|eks):/.test(r.type) || /^pulumi:providers:(aws|gcp|azure-native)$/.test(r.type));
    assert.deepEqual(clouds.map((r) => r.type), []);
    assert.ok(ofType(p, "kubernetes:helm.sh/v3:Release").length >= 7);
  });

  it("reaches the cluster through the configured kubeconfig file and context, kept secret", async () => {
    const p = await plan(stack);
    const provider = one(p, "pulumi:providers:kubernetes");
    assert.equal(provider.inputs.kubeconfig, "[secret]");
    assert.equal(provider.inputs.context, "onprem-fra-platform");
    assert.equal(p.outputs.kubeconfig, "[secret]");
    assert.ok(os.homedir().length > 0);
  });

  it("finds each pool's nodes by the labels the stack gives, tolerating the GPU taint", async () => {
    const flavors = ofType(await plan(stack), "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor");
    const h100 = flavors.find((f) => f.name.endsWith("gpu-h100"))!.inputs.spec as { nodeLabels: Record<string, string>; tolerations: object[] };
    assert.deepEqual(h100.nodeLabels, { "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3" });
    assert.equal(h100.tolerations.length, 1);
  });

  it("tolerates nothing for pools whose nodes are not tainted", async () => {
    const pools = [{ name: "h100", gpu: "H100", maxGpus: 8, existingNodes: { labels: { "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3" }, gpusPerNode: 8, tainted: false } }];
    const p = await plan(stack, { "gpu-platform:gpuPools": pools, "gpu-platform:teams": [] });
    const flavor = one(p, "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor").inputs.spec as { tolerations: object[] };
    assert.deepEqual(flavor.tolerations, []);
  });

  it("runs controllers on the nodes the stack names and stores metrics in its storage class", async () => {
    const p = await plan(stack);
    const kueue = release(p, "kueue")!.inputs.values as { controllerManager: { nodeSelector: Record<string, string> } };
    assert.deepEqual(kueue.controllerManager.nodeSelector, { "node-role.kubernetes.io/infra": "" });
    const prometheus = release(p, "kube-prometheus-stack")!.inputs.values as { prometheus: { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string } } } } } };
    assert.equal(prometheus.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName, "ceph-rbd");
  });

  it("lets the GPU Operator bring only what the nodes do not run already", async () => {
    // onprem's nodes have the host's driver (existing.gpuNodeSoftware.driver).
    const values = release(await plan(stack), "gpu-operator")!.inputs.values as Record<string, { enabled: boolean }>;
    assert.deepEqual([values.driver.enabled, values.toolkit.enabled, values.devicePlugin.enabled], [false, true, true]);
    const bare = release(await plan(stack, { "gpu-platform:existing": { ...(stackSettings(stack).existing as object), gpuNodeSoftware: {} } }), "gpu-operator")!.inputs.values as Record<string, { enabled: boolean }>;
    assert.deepEqual([bare.driver.enabled, bare.toolkit.enabled, bare.devicePlugin.enabled], [true, true, true], "by default the operator brings everything");
  });

  it("shares a time-sliced pool: its nodes are selected by the label that picks their sharing entry", async () => {
    const p = await plan(stack);
    const flavor = ofType(p, "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor").find((f) => (f.inputs.metadata as { name: string }).name.includes("l40s"))!;
    assert.deepEqual((flavor.inputs.spec as { nodeLabels: object }).nodeLabels, { "nvidia.com/device-plugin.config": "l40s" });
    const values = release(p, "gpu-operator")!.inputs.values as { devicePlugin: { config: { data: Record<string, string> } } };
    assert.match(values.devicePlugin.config.data.l40s, /replicas: 4/);
  });

  describe("configuration errors", () => {
    const pool = { name: "h100", gpu: "H100", maxGpus: 8, existingNodes: { labels: { "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3" }, gpusPerNode: 8 } };
    const onprem = (changes: Record<string, unknown>) => configError(stackWith(stack, { teams: [], gpuPools: [pool], ...changes }));

    it("asks how to find a pool's nodes", () => {
      assert.match(onprem({ gpuPools: [{ name: "h100", gpu: "H100", maxGpus: 8 }] }), /gpuPools\[0\]\.existingNodes = \(not set\): is required on an existing cluster/);
    });

    it("asks for exactly one kubeconfig source", () => {
      assert.match(onprem({ existing: { kubeconfigPath: "~/.kube/a", kubeconfig: "apiVersion: v1" } }), /gpu-platform:existing = .*give exactly one of kubeconfig \(a secret\) or kubeconfigPath/);
      assert.match(onprem({ existing: {} }), /give exactly one of kubeconfig/);
    });

    it("refuses settings for nodes or networks the platform does not build", () => {
      assert.match(onprem({ gpuPools: [{ ...pool, baselineNodes: 1 }] }), /gpuPools\[0\]\.baselineNodes = 1: applies only where the platform starts nodes/);
      assert.match(onprem({ network: { vpcCidr: "10.0.0.0/16" } }), /gpu-platform:network = .*does not apply to an existing cluster/);
      assert.match(onprem({ eks: { gpuNodeImage: "bottlerocket" } }), /gpu-platform:eks = .*applies only when cloud is aws; this stack's cloud is existing/);
    });

    it("refuses existing-node descriptions on a cloud the platform builds", () => {
      const message = configError(stackWith("dev", { gpuPools: [{ name: "l4", gpu: "L4", maxGpus: 8, existingNodes: pool.existingNodes }], teams: [] }));
      assert.match(message, /gpuPools\[0\]\.existingNodes = .*applies only when cloud is existing/);
    });

    it("asks a shared pool to be selected by its sharing label, which the platform cannot put on nodes it did not start", () => {
      const shared = { ...pool, sharing: { mode: "time-slicing", replicas: 2 } };
      const message = onprem({ gpuPools: [shared] });
      assert.match(message, /gpuPools\[0\]\.existingNodes\.labels = .*must carry nvidia\.com\/device-plugin\.config=h100, .*kubectl label node <node> nvidia\.com\/device-plugin\.config=h100/);
      assert.match(message, /existingNodes\.labels\.nvidia\.com\/gpu\.product = "NVIDIA-H100-80GB-HBM3": selects nothing once the pool is shared: GPU feature discovery renames the product to <product>-SHARED once time-shared/);
      assert.equal(parse(stackWith(stack, { teams: [], gpuPools: [{ ...shared, existingNodes: { labels: { "nvidia.com/device-plugin.config": "h100" }, gpusPerNode: 8 } }] }), stack).gpuPools[0].unitsPerGpu, 2);
    });

    it("asks a MIG pool for both labels the GPU Operator reads, without the -SHARED advice", () => {
      const mig = { ...pool, sharing: { mode: "mig", profile: "all-1g.10gb" }, existingNodes: { labels: { "nvidia.com/device-plugin.config": "h100" }, gpusPerNode: 8 } };
      const message = onprem({ gpuPools: [mig] });
      assert.match(message, /must carry nvidia\.com\/mig\.config=all-1g\.10gb, by which the GPU Operator gives them the pool's MIG layout/);
      assert.doesNotMatch(message, /SHARED/);
      const byProduct = onprem({ gpuPools: [{ ...mig, existingNodes: { labels: { "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3", "nvidia.com/device-plugin.config": "h100", "nvidia.com/mig.config": "all-1g.10gb" }, gpusPerNode: 8 } }] });
      assert.match(byProduct, /gpu\.product = "NVIDIA-H100-80GB-HBM3": selects nothing once the pool is shared: GPU feature discovery renames the product to <product>-MIG-<profile>/);
      assert.equal(parse(stackWith(stack, { teams: [], gpuPools: [{ ...mig, existingNodes: { labels: { "nvidia.com/device-plugin.config": "h100", "nvidia.com/mig.config": "all-1g.10gb" }, gpusPerNode: 8 } }] }), stack).gpuPools[0].unitsPerGpu, 7);
    });

    it("refuses sharing on nodes that run their own device plugin, which would never apply it", () => {
      const shared = { ...pool, sharing: { mode: "time-slicing", replicas: 2 }, existingNodes: { labels: { "nvidia.com/device-plugin.config": "h100" }, gpusPerNode: 8 } };
      assert.match(onprem({ gpuPools: [shared], existing: { ...(stackSettings(stack).existing as object), gpuNodeSoftware: { devicePlugin: true } } }),
        /gpuPools\[0\]\.sharing\.mode = "time-slicing": cannot be applied: existing\.gpuNodeSoftware\.devicePlugin says the nodes run their own device plugin/);
    });

    it("refuses a GPU count per node above the pool's bound", () => {
      assert.match(onprem({ gpuPools: [{ ...pool, maxGpus: 4 }] }), /gpuPools\[0\]\.maxGpus = 4: is below the 8 GPUs of one node/);
    });
  });
});
