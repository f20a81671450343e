/**
 * Day-2 safety of the whole platform: changes that must never replace a cluster or its node
 * groups, and a destroy order that removes what runs on the cluster before the cluster.
 */
import { strict as assert } from "assert";
import { deleteClusterFirst } from "../../components/aws/eks-cluster";
import { charts } from "../../components/versions";
import { planStack } from "../../plan/plan";
import { replacingChanges, replacingInputs } from "../../plan/report/replacements";
import type { Plan, PlannedResource } from "../../plan/program";
import { plan, prerequisites } from "../helpers/plan";
import { stackSettings } from "../helpers/settings";

/** Resources the change would replace: same URN, a replacing input changed; or gone altogether. */
function replaced(before: Plan, after: Plan): string[] {
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const found: string[] = [];
  for (const r of before.resources.filter((x) => x.type in replacingInputs)) {
    const next = now.get(r.urn);
    if (!next) {
      found.push(`${r.name} removed`);
      continue;
    }
    for (const path of replacingChanges(r.type, r.inputs, next.inputs)) found.push(`${r.name}.${path}`);
  }
  return found;
}

const stacks = ["dev", "gke-eu", "aks-eu"];

describe("platform", () => {
  describe("safe updates: never replace a cluster or node group for a routine change", () => {
    for (const stack of stacks) {
      const settings = () => stackSettings(stack);
      const changes: [string, () => Record<string, unknown>][] = [
        ["a team added", () => ({ "gpu-platform:teams": [...(settings().teams as object[]), { name: "vision", gpus: {}, cpu: "8", memory: "32Gi" }] })],
        ["a team's quota changed", () => {
          const teams = structuredClone(settings().teams) as { gpus: Record<string, number> }[];
          for (const pool of Object.keys(teams[0].gpus)) teams[0].gpus[pool] = Math.max(0, teams[0].gpus[pool] - 1);
          return { "gpu-platform:teams": teams };
        }],
        ["a pool's maxGpus raised", () => {
          const pools = structuredClone(settings().gpuPools) as { maxGpus: number }[];
          pools[0].maxGpus += 4;
          return { "gpu-platform:gpuPools": pools };
        }],
        ["tags changed", () => ({ "gpu-platform:tags": { ...(settings().tags as object), owner: "ml-platform-2", "cost-center": "4713", team: "infra" } })],
        ["the Kubernetes version upgraded", () => ({ "gpu-platform:kubernetesVersion": "1.36" })],
        ["an add-on switched off", () => ({ "gpu-platform:addons": { ...(settings().addons as object), argocd: { enabled: false } } })],
        ["an API network added (on GKE the IP endpoint turns public in place)", () => ({ "gpu-platform:apiAccess": { publicCidrs: ["198.51.100.0/24", ...((settings().apiAccess as { publicCidrs?: string[] } | undefined)?.publicCidrs ?? [])] } })],
      ];
      for (const [change, overrides] of changes) {
        it(`${stack}: ${change}`, async () => {
          assert.deepEqual(replaced(await plan(stack), await plan(stack, overrides())), []);
        });
      }
    }

    it("dev: a chart version bump changes the release only", async () => {
      const before = await plan("dev");
      const kueue = charts.kueue as { version: string };
      const pinned = kueue.version;
      kueue.version = "0.19.3";
      try {
        const after = await planStack("dev");
        assert.deepEqual(replaced(before, after), []);
        const release = after.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "kueue")!;
        assert.equal(release.inputs.version, "0.19.3");
        assert.equal(release.urn, before.resources.find((r) => r.urn === release.urn)?.urn, "same resource, updated in place");
      } finally {
        kueue.version = pinned;
      }
    });

    it("dev: admins reordered, one removed, one added: only the removed one's entry goes", async () => {
      const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
      const before = await plan("dev", { "gpu-platform:eks": { adminRoleArns: [role("a"), role("b"), role("c")] } });
      const after = await plan("dev", { "gpu-platform:eks": { adminRoleArns: [role("d"), role("c"), role("a")] } });
      assert.deepEqual(replaced(before, after).map((r) => r.replace(/-[0-9a-f]{8}/, "")), ["gpu-dev-access-admin-b removed", "gpu-dev-access-admin-b removed"]);
    });

    it("eu-prod: a change to the SSO provider replaces its association, and the plan diff says so", async () => {
      const settings = stackSettings("eu-prod").eks as { identityProvider: object };
      const after = await plan("eu-prod", { "gpu-platform:eks": { ...settings, identityProvider: { ...settings.identityProvider, clientId: "kubernetes-2" } } });
      assert.deepEqual(replaced(await plan("eu-prod"), after), ["gpu-eu-prod-access-sso.oidc"]);
    });

    it("the checker itself notices a change that does replace: a new system machine type", async () => {
      const after = await plan("dev", { "gpu-platform:systemNodes": { instanceType: "m7i.2xlarge", min: 2, max: 3 } });
      assert.deepEqual(replaced(await plan("dev"), after), ["gpu-dev-system.instanceTypes"]);
    });

    it("leaves autoscaled sizes to the autoscaler on update", async () => {
      const nodeGroups = (await plan("dev")).resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
      assert.ok(nodeGroups.every((r) => r.ignoreChanges.includes("scalingConfig.desiredSize")));
      const gkePools = (await plan("gke-eu")).resources.filter((r) => r.type === "gcp:container/nodePool:NodePool");
      assert.ok(gkePools.every((r) => r.ignoreChanges.includes("initialNodeCount") && r.inputs.nodeCount === undefined));
    });
  });

  describe("replacements that can happen", () => {
    it("deletes a fixed-name cluster or node pool before creating its replacement, which would otherwise clash on the name", async () => {
      const fixedNames: Record<string, string[]> = {
        "gke-eu": ["gcp:container/cluster:Cluster", "gcp:container/nodePool:NodePool"],
        "aks-eu": ["azure-native:containerservice:ManagedCluster"],
      };
      for (const [stack, types] of Object.entries(fixedNames)) {
        const p = await plan(stack);
        for (const r of p.resources.filter((x) => types.includes(x.type))) assert.equal(r.deleteBeforeReplace, true, `${stack}: ${r.name}`);
      }
      const baseline = await plan("aks-eu", { "gpu-platform:gpuPools": [{ name: "a100", gpu: "A100-80GB", instanceTypes: ["Standard_NC24ads_A100_v4"], maxGpus: 2, baselineNodes: 1, capacityTypes: ["on-demand"] }], "gpu-platform:teams": [] });
      assert.ok(baseline.resources.filter((r) => r.type === "azure-native:containerservice:AgentPool").every((r) => r.deleteBeforeReplace));
    });

    it("gke-eu: a new image disk replaces every GPU node pool (secondary boot disks cannot change in place), and the plan diff says so", async () => {
      const after = await plan("gke-eu", { "gpu-platform:coldStart": { imageDisk: "global/images/serving-v2" } });
      const gpuPools = (await plan("gke-eu")).resources.filter((r) => r.type === "gcp:container/nodePool:NodePool" && !r.name.endsWith("-system")).map((r) => `${r.name}.nodeConfig.secondaryBootDisks`);
      assert.deepEqual(replaced(await plan("gke-eu"), after).sort(), gpuPools.sort());
      assert.ok(gpuPools.length > 0);
    });

    it("reaches into pulumi-eks to make its EKS cluster delete-before-replace, and nothing else", async () => {
      const opts = { protect: true };
      const cluster = await deleteClusterFirst({ custom: true, type: "aws:eks/cluster:Cluster", name: "gpu-dev-eksCluster", props: { name: "gpu-dev" }, opts });
      assert.deepEqual(cluster?.opts, { protect: true, deleteBeforeReplace: true });
      assert.deepEqual(cluster?.props, { name: "gpu-dev" });
      assert.equal(await deleteClusterFirst({ custom: true, type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: {}, opts }), undefined);
    });
  });

  describe("prod protection", () => {
    for (const stack of stacks) {
      it(`${stack}: protects the cluster and turns on the cloud's deletion protection in prod`, async () => {
        const p = await plan(stack, { "gpu-platform:environment": "prod" });
        const cluster = p.resources.find((r) => ["eks:index:Cluster", "gcp:container/cluster:Cluster", "azure-native:containerservice:ManagedCluster"].includes(r.type))!;
        assert.equal(cluster.protect, true);
        if (cluster.type !== "azure-native:containerservice:ManagedCluster") assert.equal(cluster.inputs.deletionProtection, true);
      });
    }
  });

  describe("clean destroy", () => {
    /** A destroy order Pulumi could take: a resource only after everything that waits for it. */
    function destroyOrder(p: Plan): string[] {
      const after = prerequisites(p);
      const order: string[] = [];
      const remaining = new Set(p.resources.map((r) => r.urn));
      const waitingOn = new Map(p.resources.map((r) => [r.urn, after(r)]));
      while (remaining.size > 0) {
        const next = [...remaining].filter((urn) => ![...remaining].some((other) => other !== urn && waitingOn.get(other)!.has(urn)));
        assert.ok(next.length > 0, "the dependency graph has a cycle");
        for (const urn of next.sort()) {
          order.push(urn);
          remaining.delete(urn);
        }
      }
      return order;
    }

    for (const stack of stacks) {
      it(`${stack}: removes everything that runs on the cluster before the cluster, and the cluster before its network`, async () => {
        const p = await plan(stack);
        const order = destroyOrder(p);
        const position = (r: PlannedResource) => order.indexOf(r.urn);
        const cluster = p.resources.find((r) => ["eks:index:Cluster", "gcp:container/cluster:Cluster", "azure-native:containerservice:ManagedCluster"].includes(r.type))!;
        const onCluster = p.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === "aws:eks/nodeGroup:NodeGroup" || r.type === "gcp:container/nodePool:NodePool" || r.type === "aws:eks/addon:Addon");
        assert.ok(onCluster.length > 20);
        for (const r of onCluster) assert.ok(position(r) < position(cluster), `${r.name} would outlive the cluster`);
        const clusterNeeds = prerequisites(p)(cluster);
        const network = p.resources.filter((r) => /Subnet|subnetwork/i.test(r.type) && clusterNeeds.has(r.urn));
        assert.ok(network.length > 0);
        for (const r of network) assert.ok(position(r) > position(cluster), `${r.name} would go before the cluster`);
      });
    }

    it("dev: keeps the NAT gateway and private routes until Karpenter, the nodes and the storage driver are gone", async () => {
      const p = await plan("dev");
      const order = destroyOrder(p);
      const at = (predicate: (r: PlannedResource) => boolean) => p.resources.filter(predicate).map((r) => order.indexOf(r.urn));
      const egress = at((r) => r.type === "aws:ec2/natGateway:NatGateway" || (r.type === "aws:ec2/routeTableAssociation:RouteTableAssociation" && r.name.includes("private")));
      assert.ok(egress.length >= 2);
      const needsEgress = at((r) => (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "karpenter") || r.type === "aws:eks/nodeGroup:NodeGroup" || (r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "aws-ebs-csi-driver"));
      assert.equal(needsEgress.length, 3);
      for (const i of needsEgress) assert.ok(egress.every((j) => j > i), "the way out would go first");
    });

    it("dev: terminates Karpenter's leftover instances after the controller and before the network and node role", async () => {
      const p = await plan("dev");
      const order = destroyOrder(p);
      const at = (predicate: (r: PlannedResource) => boolean) => p.resources.filter(predicate).map((r) => order.indexOf(r.urn));
      const [sweep] = at((r) => r.type === "pulumi-nodejs:dynamic/aws:LeftoverCapacity");
      const [controller] = at((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "karpenter");
      for (const i of [...at((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool"), controller]) assert.ok(i < sweep, "Karpenter gets to drain its own nodes first");
      const after = at((r) => r.type === "aws:ec2/natGateway:NatGateway" || r.type === "aws:ec2/subnet:Subnet" || (r.type === "aws:iam/role:Role" && r.name === "gpu-dev-karpenter-node"));
      assert.ok(after.length >= 4);
      for (const i of after) assert.ok(i > sweep, "instances and their instance profiles must be gone first");
    });

    it("dev: removes Karpenter's NodePools and node class before Karpenter, and custom resources before their CRDs", async () => {
      const p = await plan("dev", { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, argocd: { gitops: { repoURL: "https://git.example.com/ml/serving.git", revision: "main" } } } });
      const order = destroyOrder(p);
      const release = (name: string) => order.indexOf(p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === name)!.urn);
      const ofType = (prefix: string) => p.resources.filter((r) => r.type.startsWith(prefix)).map((r) => order.indexOf(r.urn));
      for (const i of ofType("kubernetes:karpenter.")) assert.ok(i < release("karpenter") && i < release("karpenter-crd"));
      for (const i of ofType("kubernetes:kueue.x-k8s.io/")) assert.ok(i < release("kueue"));
      for (const i of ofType("kubernetes:monitoring.coreos.com/")) assert.ok(i < release("kube-prometheus-stack"));
      for (const i of ofType("kubernetes:argoproj.io/")) assert.ok(i < release("argocd") && i < release("kserve"), "InferenceServices go before KServe");
      assert.ok(release("kserve") < release("kserve-crd") && release("kserve-crd") < release("cert-manager"));
    });
  });
});
