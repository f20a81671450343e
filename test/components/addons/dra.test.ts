import { strict as assert } from "assert";
import { draOffers, deviceQuotaKey } from "../../../components/addons/dra/offers";
import { parse as parseYaml } from "yaml";
import { one, ofType, plan, release } from "../../helpers/plan";
import { configError, devWith, stackWith } from "../../helpers/settings";
import { parse } from "../../helpers/settings";

type Obj = Record<string, any>;
/** kubernetes-models' base class (its types resolve only under ESM resolution). */
type Validated = { validate(): void };
const devicePluginOff = "nvidia.com/gpu.deploy.device-plugin";
const allocation = "gpu-platform.io/gpu-allocation";
const mng = "aws:eks/nodeGroup:NodeGroup";
const gkePool = "gcp:container/nodePool:NodePool";

describe("GPUs as DRA devices", () => {
  describe("nodes", () => {
    it("switches the device plugin off exactly on DRA nodes, where the DRA driver's plugin runs (EKS)", async () => {
      const p = await plan("eu-prod");
      const labelled = (labels: Obj) => labels[devicePluginOff] === "false" && labels[allocation] === "dra";
      assert.ok(labelled(one(p, mng, "gpu-l40s-dra").inputs.labels as Obj));
      for (const group of ofType(p, mng).filter((g) => !g.name.endsWith("-dra"))) assert.ok(!(devicePluginOff in ((group.inputs.labels as Obj) ?? {})), group.name);
      for (const pool of ofType(p, "kubernetes:karpenter.sh/v1:NodePool")) assert.ok(!(devicePluginOff in (pool.inputs.spec as Obj).template.metadata.labels), pool.name);
      const driver = release(p, "dra-driver-nvidia-gpu")!.inputs;
      assert.deepEqual((driver.values as Obj).kubeletPlugin.nodeSelector, { [allocation]: "dra" });
      assert.equal(driver.namespace, "gpu-operator", "its privileged plugin stays in the one privileged namespace");
      assert.equal((driver.values as Obj).nvidiaDriverRoot, "/", "the EKS NVIDIA AMI carries the driver on the host");
      assert.equal((driver.values as Obj).gpuResourcesEnabledOverride, true);
      assert.equal((driver.values as Obj).resources.computeDomains.enabled, false);
    });

    it("serves an EKS DRA pool from always-on managed nodes and never from Karpenter, which refuses pods with claims", async () => {
      const p = await plan("eu-prod");
      assert.deepEqual((one(p, mng, "gpu-l40s-dra").inputs.scalingConfig as Obj), { minSize: 2, maxSize: 2, desiredSize: 2 });
      const karpenterPools = ofType(p, "kubernetes:karpenter.sh/v1:NodePool").map((r) => (r.inputs.metadata as Obj).name);
      assert.ok(karpenterPools.length > 0 && !karpenterPools.some((name: string) => name.includes("dra")));
    });

    it("on GKE, turns GKE's device plugin and driver installation off on the DRA pool only, and installs the driver from GKE's pinned installer", async () => {
      const p = await plan("gke-eu");
      const dra = one(p, gkePool, "gpu-l4-dra").inputs.nodeConfig as Obj;
      assert.equal(dra.labels["gke-no-default-nvidia-gpu-device-plugin"], "true");
      assert.equal(dra.labels[devicePluginOff], "false");
      assert.deepEqual(dra.guestAccelerators[0].gpuDriverInstallationConfig, { gpuDriverVersion: "INSTALLATION_DISABLED" });
      assert.equal(dra.guestAccelerators[0].gpuSharingConfig, undefined);
      const other = one(p, gkePool, "gpu-l4").inputs.nodeConfig as Obj;
      assert.equal(other.labels["gke-no-default-nvidia-gpu-device-plugin"], undefined);
      assert.equal(other.guestAccelerators[0].gpuDriverInstallationConfig.gpuDriverVersion, "DEFAULT");
      const installer = one(p, "kubernetes:yaml/v2:ConfigFile", "gpu-driver-installer").inputs;
      assert.match(String(installer.file), /^https:\/\/raw\.githubusercontent\.com\/GoogleCloudPlatform\/container-engine-accelerators\/[0-9a-f]{40}\/nvidia-driver-installer\/cos\/daemonset-preloaded\.yaml$/);
      assert.equal((release(p, "dra-driver-nvidia-gpu")!.inputs.values as Obj).nvidiaDriverRoot, "/home/kubernetes/bin/nvidia");
    });

    it("lets DCGM name the pod behind a claimed GPU", async () => {
      const p = await plan("eu-prod");
      const dcgm = (release(p, "gpu-operator")!.inputs.values as Obj).dcgmExporter;
      assert.deepEqual(dcgm.env, [{ name: "KUBERNETES_ENABLE_DRA", value: "true" }]);
      assert.equal(dcgm.enablePodLabels, true);
      const binding = one(p, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "dra-dcgm").inputs;
      assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "nvidia-dcgm-exporter", namespace: "gpu-operator" }]);
      assert.equal((release(await plan("dev"), "gpu-operator")!.inputs.values as Obj).dcgmExporter.env, undefined, "only with DRA pools");
    });

    it("installs nothing of DRA on a stack without a DRA pool", async () => {
      const p = await plan("dev");
      assert.equal(release(p, "dra-driver-nvidia-gpu"), undefined);
      assert.equal(p.resources.filter((r) => r.type.startsWith("kubernetes:resource.k8s.io/")).length, 0);
      assert.doesNotMatch((release(p, "kueue")!.inputs.values as Obj).managerConfig.controllerManagerConfigYaml, /deviceClassMappings/);
    });
  });

  describe("claims", () => {
    it("offers each team a whole GPU and a memory floor, or the MIG slices its pool is cut into, named predictably", async () => {
      const p = await plan("eu-prod");
      const templates = ofType(p, "kubernetes:resource.k8s.io/v1:ResourceClaimTemplate").filter((t) => (t.inputs.metadata as Obj).namespace === "search");
      assert.deepEqual(templates.map((t) => (t.inputs.metadata as Obj).name).sort(), ["gpu", "gpu-min-48gb"]);
      const mig = draOffers(parse(devWith({ gpuPools: [{ name: "a100", gpu: "A100", maxGpus: 8, baselineNodes: 1, allocation: "dra", sharing: { mode: "mig", profile: "all-3g.20gb" } }], teams: [] })).gpuPools);
      assert.deepEqual(mig.map((o) => [o.template, o.deviceClass]), [["mig-3g-20gb", "mig-3g-20gb.gpu-platform.io"]]);
      assert.match(mig[0].selector!, /type == "mig" && device\.attributes\["gpu\.nvidia\.com"\]\.profile == "3g\.20gb"/);
    });

    it("keeps selectors in DeviceClasses, never in templates, so Kueue can admit a claim while the pool is at zero", async () => {
      const p = await plan("gke-eu");
      for (const t of ofType(p, "kubernetes:resource.k8s.io/v1:ResourceClaimTemplate")) {
        const request = (t.inputs.spec as Obj).spec.devices.requests[0];
        assert.equal(request.exactly.selectors, undefined);
        assert.deepEqual([request.exactly.allocationMode, request.exactly.count], ["ExactCount", 1]);
      }
      const floor = one(p, "kubernetes:resource.k8s.io/v1:DeviceClass", "dra-gpu-min-24gb").inputs.spec as Obj;
      // 90% of 24 GiB: NVML reports an L4's 24 GB as 23,034 MiB.
      assert.match(floor.selectors[0].cel.expression, /memory\.compareTo\(quantity\("22118Mi"\)\) >= 0$/);
    });

    it("counts claims in the units quotas use: Kueue maps every offered class to nvidia.com/gpu, the namespace caps each class like its GPUs", async () => {
      const p = await plan("eu-prod");
      const config = parseYaml((release(p, "kueue")!.inputs.values as Obj).managerConfig.controllerManagerConfigYaml) as Obj;
      const offered = [...new Set(ofType(p, "kubernetes:resource.k8s.io/v1:ResourceClaimTemplate").map((t) => (t.inputs.spec as Obj).spec.devices.requests[0].exactly.deviceClassName))].sort();
      const [mapping] = config.resources.deviceClassMappings;
      assert.equal(config.resources.deviceClassMappings.length, 1);
      assert.deepEqual([mapping.name, [...mapping.deviceClassNames].sort()], ["nvidia.com/gpu", offered]);
      assert.equal(config.kind, "Configuration");
      const hard = (one(p, "kubernetes:core/v1:ResourceQuota", "team-search-quota").inputs.spec as Obj).hard;
      for (const deviceClass of offered) assert.equal(hard[deviceQuotaKey(deviceClass)], hard["requests.nvidia.com/gpu"], deviceClass);
      const queue = one(p, "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", "team-search").inputs.spec as Obj;
      const flavor = queue.resourceGroups[0].flavors.find((f: Obj) => f.name === "gpu-l40s-dra");
      assert.equal(flavor.resources.find((r: Obj) => r.name === "nvidia.com/gpu").nominalQuota, 2);
    });

    it("writes core DRA objects the Kubernetes API schema accepts (resource.k8s.io/v1, kubernetes-models 5.1.0)", async () => {
      const models = {
        DeviceClass: (await import("kubernetes-models/resource.k8s.io/v1/DeviceClass")).DeviceClass,
        ResourceClaimTemplate: (await import("kubernetes-models/resource.k8s.io/v1/ResourceClaimTemplate")).ResourceClaimTemplate,
      };
      const p = await plan("eu-prod");
      const objects = p.resources.filter((r) => r.type.startsWith("kubernetes:resource.k8s.io/v1:"));
      assert.ok(objects.length >= 3);
      for (const object of objects) {
        const kind = object.type.split(":").pop() as keyof typeof models;
        const model = new models[kind]({ metadata: object.inputs.metadata, spec: object.inputs.spec } as never) as unknown as Validated;
        assert.doesNotThrow(() => model.validate(), object.name);
      }
      const broken = new models.ResourceClaimTemplate({ metadata: { name: "x" }, spec: { spec: { devices: { requests: [{ name: "gpu", exactly: { deviceClassName: 1 } }] } } } } as never) as unknown as Validated;
      assert.throws(() => broken.validate());
    });

    it("lists each team's claim templates in the stack outputs", async () => {
      const p = await plan("eu-prod");
      const outputs = p.outputs as Obj;
      assert.deepEqual(outputs.teamQueues.search.claimTemplates, ["gpu", "gpu-min-48gb"]);
    });
  });

  describe("where DRA runs, and where it is refused", () => {
    const dra = (changes: Obj) => ({ name: "h", gpu: "L40S", instanceTypes: ["g6e.xlarge"], maxGpus: 2, baselineNodes: 2, allocation: "dra", ...changes });
    it("refuses a DRA pool on AKS, naming Node Auto Provisioning", () => {
      const settings = stackWith("aks-eu", {});
      const pools = settings.gpuPools as Obj[];
      assert.match(configError({ ...settings, gpuPools: [{ ...pools[0], allocation: "dra" }] } as never),
        /gpuPools\[0\]\.allocation = "dra": AKS Node Auto Provisioning, which starts the platform's GPU nodes on azure, does not support Dynamic Resource Allocation/);
    });

    it("asks an EKS DRA pool for always-on nodes that fill its bound, and for al2023", () => {
      assert.match(configError(devWith({ gpuPools: [dra({ baselineNodes: 0 })], teams: [] })), /gpuPools\[0\]\.baselineNodes = 0: a DRA pool on aws is a managed node group of always-on g6e\.xlarge nodes, without scale-to-zero .*set baselineNodes to 2/);
      assert.match(configError(devWith({ gpuPools: [dra({})], teams: [], eks: { gpuNodeImage: "bottlerocket" } })), /allocation = "dra": Bottlerocket runs its own NVIDIA device plugin/);
    });

    it("refuses time-slicing on any DRA pool, and GKE partitions on a GKE one", () => {
      assert.match(configError(devWith({ gpuPools: [dra({ sharing: { mode: "time-slicing", replicas: 2 } })], teams: [] })), /sharing\.mode = "time-slicing": a DRA pool hands out whole GPUs or MIG slices/);
      const gke = stackWith("gke-eu", {});
      const pools = gke.gpuPools as Obj[];
      const migDra = pools.map((pool) => (pool.name === "a100" ? { ...pool, allocation: "dra" } : pool));
      assert.match(configError({ ...gke, gpuPools: migDra } as never), /sharing\.mode = "mig": a GKE DRA pool takes no GKE partition or time-sharing settings/);
    });
  });
});
