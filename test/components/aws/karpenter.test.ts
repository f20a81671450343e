import { strict as assert } from "assert";
import { controllerPolicy } from "../../../components/aws/karpenter/controller-policy";
import { charts, nodeImageAliases } from "../../../components/versions";
import { PlannedResource } from "../../../plan/program";
import { one, ofType, plan } from "../../helpers/plan";

const nodePoolType = "kubernetes:karpenter.sh/v1:NodePool";
const nodeClassType = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const releaseType = "kubernetes:helm.sh/v3:Release";

type NodePoolSpec = {
  limits: Record<string, string>;
  template: {
    metadata: { labels: Record<string, string> };
    spec: { taints: object[]; requirements: { key: string; values: string[] }[]; nodeClassRef: { name: string } };
  };
  disruption: { consolidationPolicy: string; budgets: object[] };
};
const spec = (r: PlannedResource) => r.inputs.spec as NodePoolSpec;
const requirement = (s: NodePoolSpec, key: string) => s.template.spec.requirements.find((r) => r.key === key)?.values;

/** Stockholm offers both models (stacks/gpu-regions.ts). */
const twoPools = [
  { name: "l4", gpu: "L4", maxGpus: 8 },
  { name: "h100", gpu: "H100", instanceTypes: ["p5.48xlarge"], maxGpus: 16, baselineNodes: 1, capacityTypes: ["on-demand"] },
];

describe("Karpenter (aws)", () => {
  it("creates one NodePool per GPU pool", async () => {
    const p = await plan("dev", { "gpu-platform:region": "eu-north-1", "gpu-platform:gpuPools": twoPools, "gpu-platform:teams": [] });
    assert.deepEqual(ofType(p, nodePoolType).map((r) => (r.inputs.metadata as { name: string }).name).sort(), ["gpu-h100", "gpu-l4"]);
  });

  it("taints every GPU NodePool so CPU pods never land on GPUs", async () => {
    const [pool] = ofType(await plan("dev"), nodePoolType);
    assert.deepEqual(spec(pool).template.spec.taints, [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }]);
  });

  it("bounds a time-shared NodePool at maxGpus both in the slices nodes advertise and in vCPUs of one machine size", async () => {
    // dev: 8 g6.2xlarge (one L4, 8 vCPUs), each GPU shared by 2 pods. Karpenter counts an initialized
    // node at 2 slices per GPU but plans new ones at 1 GPU each; vCPUs it counts alike both ways,
    // so 8 × 8 vCPUs is what holds a burst of pending pods to 8 machines.
    const [pool] = ofType(await plan("dev"), nodePoolType);
    assert.deepEqual(spec(pool).limits, { "nvidia.com/gpu": "16", cpu: "64" });
  });

  it("bounds a MIG NodePool in MIG instances and in vCPUs", async () => {
    const p = await plan("dev", { "gpu-platform:region": "eu-north-1", "gpu-platform:teams": [],
      "gpu-platform:gpuPools": [{ name: "h100", gpu: "H100", instanceTypes: ["p5.48xlarge"], maxGpus: 16, capacityTypes: ["on-demand"], sharing: { mode: "mig", profile: "all-1g.10gb" } }] });
    // 16 H100s = 2 machines of 8, each GPU cut into 7 1g.10gb instances.
    assert.deepEqual(spec(ofType(p, nodePoolType)[0]).limits, { "nvidia.com/gpu": "112", cpu: "384" });
  });

  it("keeps an unshared NodePool bounded in GPUs alone, which Karpenter counts alike before and after launch", async () => {
    const p = await plan("dev", { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", instanceTypes: ["g6.xlarge", "g6.12xlarge"], maxGpus: 8 }] });
    assert.deepEqual(spec(ofType(p, nodePoolType)[0]).limits, { "nvidia.com/gpu": "8" });
  });

  it("gives NodePools and the node class time to drain their GPU nodes on delete", async () => {
    const p = await plan("dev");
    // The node class' finalizer drains every node, each up to the NodePool's one-hour grace.
    for (const r of [...ofType(p, nodePoolType), ...ofType(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")]) assert.equal(r.deleteTimeout, "90m", r.name);
  });

  it("never expires nodes under running inference: drift replaces them one at a time instead", async () => {
    const { template, disruption } = spec(ofType(await plan("dev"), nodePoolType)[0]) as unknown as { template: { spec: Record<string, unknown> }; disruption: { budgets: unknown[] } };
    assert.equal(template.spec.expireAfter, "Never");
    assert.equal(template.spec.terminationGracePeriod, "1h", "a budget may hold a draining node an hour, not forever");
    assert.deepEqual(disruption.budgets, [{ nodes: "100%", reasons: ["Empty"] }, { nodes: "1", reasons: ["Drifted"] }]);
  });

  it("subtracts baseline nodes' GPUs from the NodePool bound so the pool never exceeds maxGpus", async () => {
    const p = await plan("dev", { "gpu-platform:region": "eu-north-1", "gpu-platform:gpuPools": twoPools, "gpu-platform:teams": [] });
    const h100 = ofType(p, nodePoolType).find((r) => r.name.endsWith("gpu-h100"))!;
    assert.deepEqual(spec(h100).limits, { "nvidia.com/gpu": "8" });
    assert.deepEqual(requirement(spec(h100), "karpenter.sh/capacity-type"), ["on-demand"]);
  });

  it("launches only the pool's machine types, spot first with on-demand fallback", async () => {
    const s = spec(ofType(await plan("dev"), nodePoolType)[0]);
    assert.deepEqual(requirement(s, "node.kubernetes.io/instance-type"), ["g6.2xlarge"]);
    assert.deepEqual(requirement(s, "karpenter.sh/capacity-type"), ["spot", "on-demand"]);
  });

  it("labels pool nodes for Kueue flavors and the GPU Operator's sharing config", async () => {
    const labels = spec(ofType(await plan("dev"), nodePoolType)[0]).template.metadata.labels;
    assert.equal(labels["gpu-platform.io/pool"], "l4");
    assert.equal(labels["gpu-platform.io/gpu"], "l4");
    assert.equal(labels["nvidia.com/device-plugin.config"], "l4");
  });

  it("reclaims only empty GPU nodes and replaces drifted ones one at a time", async () => {
    const s = spec(ofType(await plan("dev"), nodePoolType)[0]);
    assert.equal(s.disruption.consolidationPolicy, "WhenEmpty");
    assert.deepEqual(s.disruption.budgets, [{ nodes: "100%", reasons: ["Empty"] }, { nodes: "1", reasons: ["Drifted"] }]);
  });

  it("launches GPU nodes with IMDSv2, an encrypted volume and a pinned AMI", async () => {
    const nodeClass = one(await plan("dev"), nodeClassType).inputs.spec as Record<string, unknown>;
    assert.deepEqual(nodeClass.amiSelectorTerms, [{ alias: nodeImageAliases.al2023 }]);
    assert.doesNotMatch(nodeImageAliases.al2023, /latest/);
    assert.equal((nodeClass.metadataOptions as Record<string, unknown>).httpTokens, "required");
    const [root] = nodeClass.blockDeviceMappings as { rootVolume: boolean; ebs: { encrypted: boolean; volumeSize: string } }[];
    assert.equal(root.rootVolume, true);
    assert.equal(root.ebs.encrypted, true);
    assert.equal(root.ebs.volumeSize, "200Gi");
  });

  it("places GPU nodes in the cluster's private subnets and tags them like everything else", async () => {
    const p = await plan("dev");
    const nodeClass = one(p, nodeClassType).inputs.spec as { subnetSelectorTerms: { id: string }[]; tags: Record<string, string> };
    const privateIds = ofType(p, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("private")).length;
    assert.equal(nodeClass.subnetSelectorTerms.length, privateIds);
    assert.ok(nodeClass.subnetSelectorTerms.every((t) => /^subnet-/.test(t.id)));
    assert.equal(nodeClass.tags["cost-center"], "4711");
  });

  it("installs the pinned chart from the Karpenter OCI registry onto system nodes only", async () => {
    const p = await plan("dev");
    const controller = one(p, releaseType, "karpenter-controller").inputs;
    assert.equal(controller.chart, "oci://public.ecr.aws/karpenter/karpenter");
    assert.equal(controller.version, charts.karpenter.version);
    assert.match(String(controller.version), /^\d+\.\d+\.\d+$/);
    const values = controller.values as { nodeSelector: Record<string, string>; settings: Record<string, string>; replicas: number };
    assert.equal(values.nodeSelector["gpu-platform.io/role"], "system");
    assert.equal(values.settings.clusterName, "gpu-dev");
    assert.equal(values.settings.interruptionQueue, "gpu-dev");
    assert.equal(values.replicas, 2);
    const crds = one(p, releaseType, "karpenter-crd").inputs;
    assert.equal(crds.chart, "oci://public.ecr.aws/karpenter/karpenter-crd");
    assert.equal(crds.version, charts.karpenter.version);
    assert.equal(controller.skipCrds, true);
  });

  it("feeds spot interruption, rebalance, state-change and health events into its queue", async () => {
    const p = await plan("dev");
    const queue = one(p, "aws:sqs/queue:Queue");
    assert.equal(queue.inputs.sqsManagedSseEnabled, true);
    const rules = ofType(p, "aws:cloudwatch/eventRule:EventRule").map((r) => JSON.parse(r.inputs.eventPattern as string)["detail-type"][0]);
    assert.deepEqual(rules.sort(), [
      "AWS Health Event",
      "EC2 Capacity Reservation Instance Interruption Warning",
      "EC2 Instance Rebalance Recommendation",
      "EC2 Instance State-change Notification",
      "EC2 Spot Instance Interruption Warning",
    ]);
    const targets = ofType(p, "aws:cloudwatch/eventTarget:EventTarget");
    assert.ok(targets.every((t) => t.inputs.arn === `arn:aws:sqs:eu-central-1:123456789012:gpu-dev`));
  });

  it("lets its nodes join through an EC2_LINUX access entry", async () => {
    const entry = one(await plan("dev"), "aws:eks/accessEntry:AccessEntry", "-karpenter-node").inputs;
    assert.equal(entry.type, "EC2_LINUX");
    assert.match(String(entry.principalArn), /^arn:aws:iam::123456789012:role\//);
  });

  it("gives the controller its IAM role through Pod Identity in kube-system", async () => {
    const association = one(await plan("dev"), "aws:eks/podIdentityAssociation:PodIdentityAssociation", "-karpenter-controller").inputs;
    assert.equal(association.namespace, "kube-system");
    assert.equal(association.serviceAccount, "karpenter");
  });

  describe("ordering", () => {
    it("installs the controller after its CRDs, its identity and the system nodes", async () => {
      const p = await plan("dev");
      const controller = one(p, releaseType, "karpenter-controller");
      for (const dependency of [one(p, releaseType, "karpenter-crd"), one(p, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "-karpenter-controller"), one(p, "aws:eks/nodeGroup:NodeGroup", "-system")]) {
        assert.ok(controller.dependencies.includes(dependency.urn), `controller must wait for ${dependency.name}`);
      }
    });

    it("makes NodePools and the EC2NodeClass depend on the controller so destroy removes them while it still runs", async () => {
      const p = await plan("dev");
      const controller = one(p, releaseType, "karpenter-controller");
      const nodeClass = one(p, nodeClassType);
      assert.ok(nodeClass.dependencies.includes(controller.urn));
      for (const pool of ofType(p, nodePoolType)) {
        assert.ok(pool.dependencies.includes(controller.urn));
        assert.ok(pool.dependencies.includes(nodeClass.urn));
      }
    });

    it("keeps the node access entry until the EC2NodeClass is gone", async () => {
      const p = await plan("dev");
      assert.ok(one(p, nodeClassType).dependencies.includes(one(p, "aws:eks/accessEntry:AccessEntry", "-karpenter-node").urn));
    });
  });

  describe("controller IAM policy", () => {
    const policy = JSON.parse(controllerPolicy({
      partition: "aws", region: "eu-central-1", accountId: "123456789012", clusterName: "gpu-dev",
      nodeRoleArn: "arn:aws:iam::123456789012:role/nodes", interruptionQueueArn: "arn:aws:sqs:eu-central-1:123456789012:gpu-dev",
    })) as { Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }[] };
    const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid)!;

    it("terminates only instances this cluster's NodePools launched", () => {
      const deletion = statement("AllowScopedDeletion");
      assert.deepEqual(deletion.Action, ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"]);
      assert.equal(deletion.Condition?.StringEquals["aws:ResourceTag/kubernetes.io/cluster/gpu-dev"], "owned");
      const terminators = policy.Statement.filter((s) => [s.Action].flat().includes("ec2:TerminateInstances"));
      assert.equal(terminators.length, 1);
    });

    it("passes only the node role, and only to EC2", () => {
      const pass = statement("AllowPassingInstanceRole");
      assert.equal(pass.Resource, "arn:aws:iam::123456789012:role/nodes");
      assert.deepEqual(pass.Condition?.StringEquals["iam:PassedToService"], ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]);
    });

    it("reads only its own interruption queue and describes only its own cluster", () => {
      assert.equal(statement("AllowInterruptionQueueActions").Resource, "arn:aws:sqs:eu-central-1:123456789012:gpu-dev");
      assert.equal(statement("AllowAPIServerEndpointDiscovery").Resource, "arn:aws:eks:eu-central-1:123456789012:cluster/gpu-dev");
    });

    it("fits in an inline role policy (10,240 characters)", () => {
      assert.ok(JSON.stringify(policy).length < 10240);
    });
  });
});
