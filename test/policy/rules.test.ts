/**
 * One compliant case and at least one violation per rule. Compliant cases are the shipped stacks'
 * own plans; violations change one field of them.
 */
import { strict as assert } from "assert";
import { worstCaseGpuSpend } from "../../policy/cost";
import { policies } from "../../policy/policies";
import type { Plan } from "../../plan/program";
import { plan } from "../helpers/plan";
import { changed, messages, violations, withResource, without } from "../helpers/policy";

type Inputs = Record<string, any>;

/** Asserts a rule passes one plan and flags the other with a message matching `expected`. */
async function bothOutcomes(rule: string, compliant: Plan, violating: Plan, expected: RegExp, config = {}, violatingConfig = config) {
  assert.deepEqual(messages(await violations(rule, compliant, config)), "", `${rule} should pass the compliant plan`);
  const found = await violations(rule, violating, violatingConfig);
  assert.ok(found.length > 0, `${rule} should flag the violating plan`);
  assert.match(messages(found), expected);
}

const dev = () => plan("dev");
const gke = () => plan("gke-eu");
const aks = () => plan("aks-eu");
const eksCluster = "eks:index:Cluster";
const gkeCluster = "gcp:container/cluster:Cluster";
const aksCluster = "azure-native:containerservice:ManagedCluster";
const nodePool = "kubernetes:karpenter.sh/v1:NodePool";
const namespace = "kubernetes:core/v1:Namespace";
const release = "kubernetes:helm.sh/v3:Release";

describe("policy rules", () => {
  it("has at least 15 rules, each with a kebab-case name and a description", () => {
    assert.ok(policies.length >= 15, `${policies.length} rules`);
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      assert.ok(p.description.length > 20, p.name);
    }
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
  });

  describe("cloud-resources-in-jurisdiction", () => {
    it("flags a provider region outside the stack's jurisdiction, naming region and jurisdiction", async () => {
      const p = await dev();
      const moved = changed(p, "pulumi:providers:aws", (inputs) => ({ ...inputs, region: "us-east-1" }));
      await bothOutcomes("cloud-resources-in-jurisdiction", p, moved, /placed in us-east-1, in jurisdiction "us", but the stack's data must stay in "eu"/);
    });

    it("checks Azure locations and GKE node zones too", async () => {
      const a = await aks();
      await bothOutcomes("cloud-resources-in-jurisdiction", a, changed(a, aksCluster, (i) => ({ ...i, location: "eastus" })), /placed in eastus/);
      const g = await gke();
      const zones = changed(g, "gcp:container/nodePool:NodePool", (i) => ({ ...i, nodeLocations: ["us-central1-a"] }), "-gpu-l4");
      await bothOutcomes("cloud-resources-in-jurisdiction", g, zones, /placed in us-central1/);
    });

    it("refuses a stack whose resources carry no jurisdiction", async () => {
      const p = await dev();
      const untagged = changed(p, "pulumi:providers:aws", (inputs) => ({ ...inputs, defaultTags: JSON.stringify({ tags: { owner: "x" } }) }));
      const stripped = without(untagged, (r) => r.type !== eksCluster);
      await bothOutcomes("cloud-resources-in-jurisdiction", p, stripped, /No resource carries a valid "jurisdiction" tag/);
    });
  });

  describe("object-storage-private", () => {
    const store = { "gpu-platform:modelStore": { enabled: true } };
    it("flags an S3 bucket without a full public access block", async () => {
      const p = await plan("eu-prod", store);
      await bothOutcomes("object-storage-private", p, changed(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", (i) => ({ ...i, restrictPublicBuckets: false }), "-search"), /leaves restrictPublicBuckets off/);
      await bothOutcomes("object-storage-private", p, without(p, (r) => !(r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" && r.name.endsWith("-search"))), /2 S3 bucket\(s\) but 1 public access block/);
    });

    it("flags a Cloud Storage bucket without public access prevention or with object ACLs", async () => {
      const p = await plan("gke-eu", store);
      await bothOutcomes("object-storage-private", p, changed(p, "gcp:storage/bucket:Bucket", (i) => ({ ...i, publicAccessPrevention: "inherited" }), "-search"), /does not enforce public access prevention/);
      await bothOutcomes("object-storage-private", p, changed(p, "gcp:storage/bucket:Bucket", (i) => ({ ...i, uniformBucketLevelAccess: false }), "-search"), /allows object ACLs/);
    });

    it("flags an Azure storage account with public blobs or account keys", async () => {
      const p = await plan("aks-eu", store);
      await bothOutcomes("object-storage-private", p, changed(p, "azure-native:storage:StorageAccount", (i) => ({ ...i, allowSharedKeyAccess: true })), /allowSharedKeyAccess is not false/);
      await bothOutcomes("object-storage-private", p, changed(p, "azure-native:storage:StorageAccount", (i) => { const { allowBlobPublicAccess: _, ...rest } = i; return rest; }), /allowBlobPublicAccess is not false/);
    });
  });

  describe("no-cross-region-replication", () => {
    it("flags multi-Region KMS keys and replication configurations", async () => {
      const p = await dev();
      await bothOutcomes("no-cross-region-replication", p, changed(p, "aws:kms/key:Key", (i) => ({ ...i, multiRegion: true })), /is multi-Region/);
      await bothOutcomes("no-cross-region-replication", p, withResource(p, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "copy", {}), /replicates data to another region/);
    });
  });

  describe("gpu-capacity-has-upper-bound", () => {
    it("flags a GPU NodePool without a GPU limit and a GKE GPU pool without a maximum", async () => {
      const p = await dev();
      await bothOutcomes("gpu-capacity-has-upper-bound", p, changed(p, nodePool, (i: Inputs) => { delete i.spec.limits; }), /can start GPUs without limit; set spec\.limits\["nvidia\.com\/gpu"\]/);
      const g = await gke();
      await bothOutcomes("gpu-capacity-has-upper-bound", g, changed(g, "gcp:container/nodePool:NodePool", (i: Inputs) => { delete i.autoscaling; }, "-gpu-l4"), /set a maximum node count/);
    });
  });

  describe("stack-gpu-ceiling", () => {
    it("flags pools that together may start more GPUs than the stack's ceiling", async () => {
      const p = await dev();
      await bothOutcomes("stack-gpu-ceiling", p, p, /may start 8 GPUs .* above the ceiling of 4/, { "stack-gpu-ceiling": { maxGpus: 8 } }, { "stack-gpu-ceiling": { maxGpus: 4 } });
    });

    it("counts a time-shared pool's physical GPUs from its vCPU bound, not the slices its GPU limit counts", async () => {
      const p = await dev();
      // dev: 16 slices (2 per L4) but 64 vCPUs of g6.2xlarge, i.e. 8 machines of one GPU.
      assert.deepEqual((p.resources.find((r) => r.type === nodePool)!.inputs.spec as Inputs).limits, { "nvidia.com/gpu": "16", cpu: "64" });
      const wider = changed(p, nodePool, (i: Inputs) => { i.spec.limits.cpu = "128"; });
      await bothOutcomes("stack-gpu-ceiling", p, wider, /may start 16 GPUs/, { "stack-gpu-ceiling": { maxGpus: 8 } });
    });
  });

  describe("team-namespace-has-gpu-quota-and-queue", () => {
    it("flags a team namespace without a GPU quota or a LocalQueue", async () => {
      const p = await dev();
      const noQuota = without(p, (r) => !(r.type === "kubernetes:core/v1:ResourceQuota" && r.name.includes("team-search")));
      await bothOutcomes("team-namespace-has-gpu-quota-and-queue", p, noQuota, /Team namespace "search" has no ResourceQuota on requests\.nvidia\.com\/gpu/);
      const noQueue = without(p, (r) => !(r.type === "kubernetes:kueue.x-k8s.io/v1beta2:LocalQueue" && r.name.includes("team-search")));
      await bothOutcomes("team-namespace-has-gpu-quota-and-queue", p, noQueue, /"search" has no Kueue LocalQueue/);
    });
  });

  describe("team-gpu-quotas-fit-capacity", () => {
    it("flags a pool whose teams' quotas add up to more GPUs than it can start, unless overcommit is allowed", async () => {
      const p = await dev();
      // dev time-slices L4s in two, so 16 units are 8 GPUs.
      const greedy = changed(p, "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue", (i: Inputs) => { i.spec.resourceGroups[0].flavors[0].resources[2].nominalQuota = 16; }, "team-search");
      await bothOutcomes("team-gpu-quotas-fit-capacity", p, greedy, /Team GPU quotas on gpu-l4 \(team-search: 8, team-assistants: 4\) add up to 12 GPUs but the pool can start only 8/);
      assert.equal((await violations("team-gpu-quotas-fit-capacity", greedy, { "team-gpu-quotas-fit-capacity": { allowOvercommit: true } })).length, 0);
    });
  });

  describe("gpu-spend-within-budget", () => {
    it("flags a worst-case monthly GPU bill above the budget, itemised per pool", async () => {
      const p = await dev();
      await bothOutcomes("gpu-spend-within-budget", p, p, /Worst-case GPU spend is \$[\d,]+ a month in eu-central-1, above the budget of \$1,000 \(.*8 × L4/, {}, { "gpu-spend-within-budget": { monthlyBudgetUsd: 1000 } });
    });

    it("prices a pool by the dearest GPU it may start, at the region's price", async () => {
      const p = await dev();
      const mixed = changed(p, nodePool, (i: Inputs) => { i.spec.template.spec.requirements[0].values = ["g6.xlarge", "p4d.24xlarge"]; i.spec.limits = { "nvidia.com/gpu": "8" }; });
      const [line] = worstCaseGpuSpend(mixed.resources.map((r) => ({ type: r.type, props: r.inputs, urn: r.urn, name: r.name }))).lines;
      assert.equal(line.model, "A100");
      assert.ok(line.usdPerGpuHour > 2.745, "Frankfurt costs more than the us-east-1 reference");
      assert.equal(Math.round(line.usdPerMonth), Math.round(8 * line.usdPerGpuHour * 730));
    });
  });

  describe("gpu-capacity-scales-to-zero-outside-prod", () => {
    it("flags always-on GPUs in a dev stack and allows them in prod", async () => {
      const idle = await plan("dev", { "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] });
      await bothOutcomes("gpu-capacity-scales-to-zero-outside-prod", await dev(), idle, /keeps 1 GPUs running while idle in a dev stack; set the pool's baselineNodes to 0/);
      const prod = await plan("dev", { "gpu-platform:environment": "prod", "gpu-platform:gpuPools": [{ name: "l4", gpu: "L4", maxGpus: 8, baselineNodes: 1 }], "gpu-platform:teams": [] });
      assert.equal((await violations("gpu-capacity-scales-to-zero-outside-prod", prod)).length, 0);
    });
  });

  describe("gpu-capacity-prefers-spot-outside-prod", () => {
    it("advises spot for scaling GPU pools outside prod", async () => {
      const p = await dev();
      const onDemand = changed(p, nodePool, (i: Inputs) => { i.spec.template.spec.requirements[1].values = ["on-demand"]; });
      await bothOutcomes("gpu-capacity-prefers-spot-outside-prod", p, onDemand, /uses on-demand GPUs only in a dev stack/);
      assert.equal((await violations("gpu-capacity-prefers-spot-outside-prod", onDemand))[0].enforcementLevel, "advisory");
    });
  });

  describe("cluster-api-endpoint-restricted", () => {
    it("flags an API endpoint open to 0.0.0.0/0 on every cloud", async () => {
      const p = await dev();
      await bothOutcomes("cluster-api-endpoint-restricted", p, changed(p, eksCluster, (i) => ({ ...i, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] })), /open to 0\.0\.0\.0\/0/);
      await bothOutcomes("cluster-api-endpoint-restricted", p, changed(p, eksCluster, (i) => ({ ...i, endpointPublicAccess: true, publicAccessCidrs: undefined })), /accepts every address/);
      const g = await gke();
      await bothOutcomes("cluster-api-endpoint-restricted", g, changed(g, gkeCluster, (i: Inputs) => { i.masterAuthorizedNetworksConfig.cidrBlocks = [{ cidrBlock: "0.0.0.0/0" }]; }), /authorised network is 0\.0\.0\.0\/0/);
      const publicGoogle = changed(g, gkeCluster, (i: Inputs) => { i.privateClusterConfig.enablePrivateEndpoint = false; i.masterAuthorizedNetworksConfig = { cidrBlocks: [{ cidrBlock: "203.0.113.0/24" }], gcpPublicCidrsAccessEnabled: true }; });
      await bothOutcomes("cluster-api-endpoint-restricted", g, publicGoogle, /admits all of Google Cloud's public addresses/);
      const a = await aks();
      await bothOutcomes("cluster-api-endpoint-restricted", a, changed(a, aksCluster, (i: Inputs) => { i.apiServerAccessProfile.authorizedIPRanges = []; }), /no authorizedIPRanges/);
    });
  });

  describe("cluster-api-reachable-by-deployer", () => {
    it("refuses an EKS stack whose private endpoint nothing outside its VPC reaches", async () => {
      const p = await dev();
      const privateOnly = changed(p, eksCluster, (i) => ({ ...i, endpointPublicAccess: false, publicAccessCidrs: undefined }));
      await bothOutcomes("cluster-api-reachable-by-deployer", p, privateOnly, /private inside a network this stack creates.*apiAccess\.publicCidrs.*apiAccess\.privateCidrs/);
      // A 443 rule from a connected network is a way in.
      const connected = withResource(privateOnly, "aws:ec2/securityGroupRule:SecurityGroupRule", "api-runners", { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.200.0.0/20"] });
      assert.equal(messages(await violations("cluster-api-reachable-by-deployer", connected)), "");
      const wrongPort = withResource(privateOnly, "aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.200.0.0/20"] });
      assert.notEqual(messages(await violations("cluster-api-reachable-by-deployer", wrongPort)), "");
      const egress = withResource(privateOnly, "aws:ec2/securityGroupRule:SecurityGroupRule", "out", { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.200.0.0/20"] });
      assert.notEqual(messages(await violations("cluster-api-reachable-by-deployer", egress)), "", "an egress rule lets nothing in");
    });

    it("refuses a GKE stack without its DNS endpoint and with a private IP endpoint", async () => {
      const g = await gke();
      const noDns = changed(g, gkeCluster, (i: Inputs) => { i.controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic = false; });
      await bothOutcomes("cluster-api-reachable-by-deployer", g, noDns, /gcp cluster's API is private.*DNS endpoint/);
    });

    it("refuses an AKS stack that does not make the deployer admin, or whose API is private", async () => {
      const a = await aks();
      const noDeployer = without(a, (r) => !r.name.endsWith("-access-deployer"));
      await bothOutcomes("cluster-api-reachable-by-deployer", a, noDeployer, /Nothing makes the identity running pulumi up an admin of the azure cluster/);
      const privateAks = changed(a, aksCluster, (i: Inputs) => { i.apiServerAccessProfile = { enablePrivateCluster: true }; });
      await bothOutcomes("cluster-api-reachable-by-deployer", a, privateAks, /azure cluster's API is private/);
    });

    it("passes an existing cluster, reached through its kubeconfig", async () => {
      assert.equal(messages(await violations("cluster-api-reachable-by-deployer", await plan("onprem"))), "");
    });
  });

  describe("cluster-secrets-encrypted", () => {
    it("flags EKS and GKE clusters without a key for secrets", async () => {
      const p = await dev();
      await bothOutcomes("cluster-secrets-encrypted", p, changed(p, eksCluster, (i: Inputs) => { delete i.encryptionConfigKeyArn; }), /does not encrypt secrets with a KMS key/);
      const g = await gke();
      await bothOutcomes("cluster-secrets-encrypted", g, changed(g, gkeCluster, (i: Inputs) => { i.databaseEncryption = { state: "DECRYPTED" }; }), /Cloud KMS key/);
    });
  });

  describe("cluster-audit-logs-enabled", () => {
    it("flags a control plane that keeps no audit log", async () => {
      const p = await dev();
      await bothOutcomes("cluster-audit-logs-enabled", p, changed(p, eksCluster, (i) => ({ ...i, enabledClusterLogTypes: ["api"] })), /add "audit" to enabledClusterLogTypes/);
      const a = await aks();
      await bothOutcomes("cluster-audit-logs-enabled", a, without(a, (r) => r.type !== "azure-native:monitor:DiagnosticSetting"), /AKS cluster .* keeps no audit log/);
    });
  });

  describe("node-metadata-protected", () => {
    it("flags IMDSv1 on launch templates and node classes, and GKE nodes without the metadata server", async () => {
      const p = await dev();
      await bothOutcomes("node-metadata-protected", p, changed(p, "aws:ec2/launchTemplate:LaunchTemplate", (i: Inputs) => { i.metadataOptions.httpTokens = "optional"; }), /allows IMDSv1/);
      await bothOutcomes("node-metadata-protected", p, changed(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", (i: Inputs) => { i.spec.metadataOptions.httpPutResponseHopLimit = 2; }), /EC2NodeClass .* more than one hop/);
      const g = await gke();
      await bothOutcomes("node-metadata-protected", g, changed(g, "gcp:container/nodePool:NodePool", (i: Inputs) => { i.nodeConfig.workloadMetadataConfig.mode = "GCE_METADATA"; }, "-gpu-l4"), /GKE_METADATA/);
    });
  });

  describe("workload-identity-enabled", () => {
    it("flags clusters where pods would use node credentials", async () => {
      const p = await dev();
      await bothOutcomes("workload-identity-enabled", p, without(p, (r) => !(r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "eks-pod-identity-agent")), /no eks-pod-identity-agent/);
      const g = await gke();
      await bothOutcomes("workload-identity-enabled", g, changed(g, gkeCluster, (i: Inputs) => { delete i.workloadIdentityConfig; }), /no Workload Identity pool/);
      const a = await aks();
      await bothOutcomes("workload-identity-enabled", a, changed(a, aksCluster, (i: Inputs) => { i.securityProfile.workloadIdentity.enabled = false; }), /no workload identity/);
    });
  });

  describe("no-public-load-balancers", () => {
    it("flags public LoadBalancer Services and Helm values asking for one, not internal ones", async () => {
      const p = await dev();
      const service = (annotations: Inputs) => withResource(p, "kubernetes:core/v1:Service", "web", { apiVersion: "v1", kind: "Service", metadata: { name: "web", annotations }, spec: { type: "LoadBalancer" } });
      await bothOutcomes("no-public-load-balancers", service({ "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }), service({}), /Service "web" is a public LoadBalancer/);
      const exposed = changed(p, release, (i: Inputs) => { i.values.server.service.type = "LoadBalancer"; }, "-argocd");
      await bothOutcomes("no-public-load-balancers", p, exposed, /asks for a public LoadBalancer at values\.server\.service/);
    });
  });

  describe("inference-gateway-private", () => {
    const envoyProxy = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy";
    const prodConfig = { "inference-gateway-private": { allowPublic: false } };
    it("refuses a public gateway in prod, takes an internal or cluster-only one, and lets the pack allow it", async () => {
      const p = await plan("eu-prod");
      const publicPlan = await plan("eu-prod", { "gpu-platform:addons": { gateway: { exposure: "public" } } });
      await bothOutcomes("inference-gateway-private", p, publicPlan, /EnvoyProxy "inference-proxy" puts the inference gateway on a public load balancer/, prodConfig);
      const clusterOnly = await plan("eu-prod", { "gpu-platform:addons": { gateway: { exposure: "clusterIP" } } });
      assert.equal(messages(await violations("inference-gateway-private", clusterOnly, prodConfig)), "");
      assert.equal(messages(await violations("inference-gateway-private", publicPlan, { "inference-gateway-private": { allowPublic: true } })), "");
    });

    it("reads Envoy Gateway's default: an EnvoyProxy without a Service type, or a Gateway without an EnvoyProxy, is public", async () => {
      const p = await plan("eu-prod");
      const untyped = changed(p, envoyProxy, (i: Inputs) => { delete i.spec.provider.kubernetes.envoyService.type; i.spec.provider.kubernetes.envoyService.annotations = {}; });
      await bothOutcomes("inference-gateway-private", p, untyped, /public load balancer/, prodConfig);
      const bare = changed(p, "kubernetes:gateway.networking.k8s.io/v1:Gateway", (i: Inputs) => { delete i.spec.infrastructure; });
      await bothOutcomes("inference-gateway-private", p, bare, /Gateway "inference" names no EnvoyProxy/, prodConfig);
    });

    it("takes an existing cluster's own internal annotation only where the stack declared the gateway internal", async () => {
      const p = await plan("onprem");
      assert.deepEqual(messages(await violations("inference-gateway-private", p, prodConfig)), "");
      const undeclared = changed(p, envoyProxy, (i: Inputs) => { i.metadata.annotations = {}; });
      await bothOutcomes("inference-gateway-private", p, undeclared, /public load balancer/, prodConfig);
    });
  });

  describe("teams-rate-limited-at-gateway", () => {
    const policyType = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
    it("flags a team with no request limit, or two, at the gateway", async () => {
      const p = await dev();
      const dropped = changed(p, policyType, (i: Inputs) => { i.spec.rateLimit.global.rules = i.spec.rateLimit.global.rules.filter((r: Inputs) => r.clientSelectors[0].headers[0].value !== "search"); });
      await bothOutcomes("teams-rate-limited-at-gateway", p, dropped, /Team "search" has 0 request limits/);
      const doubled = changed(p, policyType, (i: Inputs) => { i.spec.rateLimit.global.rules.push(i.spec.rateLimit.global.rules[0]); });
      await bothOutcomes("teams-rate-limited-at-gateway", p, doubled, /has 2 request limits/);
    });

    it("does not count a token budget as the request limit, and flags a team without a key", async () => {
      const budgets = await plan("dev", { "gpu-platform:addons": { gateway: { defaultTeamLimit: { requestsPerMinute: 100, tokensPerMinute: 50000 } } } });
      assert.equal(messages(await violations("teams-rate-limited-at-gateway", budgets)), "");
      const keyless = changed(budgets, "kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy", (i: Inputs) => { i.spec.apiKeyAuth.credentialRefs = i.spec.apiKeyAuth.credentialRefs.slice(1); });
      await bothOutcomes("teams-rate-limited-at-gateway", budgets, keyless, /Team "search" has no API key/);
    });

    it("asks nothing of a stack without the gateway", async () => {
      assert.equal(messages(await violations("teams-rate-limited-at-gateway", await plan("dev", { "gpu-platform:addons": { gateway: { enabled: false } } }))), "");
    });
  });

  describe("dra-device-classes-allowed", () => {
    const migPool = (profile: string) => ({
      "gpu-platform:gpuPools": [{ name: "a100", gpu: "A100", maxGpus: 8, baselineNodes: 1, allocation: "dra", sharing: { mode: "mig", profile } }],
      "gpu-platform:teams": [{ name: "search", gpus: { a100: 8 }, cpu: "8", memory: "32Gi" }],
      "gpu-platform:environment": "staging",
    });
    const dev = { "dra-device-classes-allowed": { largestMigSlice: 3 } };
    it("holds MIG slices to the environment's largest, both ways", async () => {
      const small = await plan("dev", migPool("all-3g.20gb"));
      const large = await plan("dev", migPool("all-4g.20gb"));
      await bothOutcomes("dra-device-classes-allowed", small, large, /offers a 4g MIG slice; this environment allows at most 3g/, dev);
      assert.equal(messages(await violations("dra-device-classes-allowed", large)), "", "prod and staging allow every slice by default");
    });

    it("allows only the DeviceClasses the config names", async () => {
      const p = await plan("eu-prod");
      const narrow = { "dra-device-classes-allowed": { allowedDeviceClasses: ["gpu.nvidia.com"] } };
      assert.equal(messages(await violations("dra-device-classes-allowed", p)), "");
      assert.match(messages(await violations("dra-device-classes-allowed", p, narrow)), /ResourceClaimTemplate "search\/gpu-min-48gb" offers DeviceClass "gpu-min-48gb\.gpu-platform\.io", which this environment does not allow/);
    });
  });

  describe("team-namespaces-enforce-restricted", () => {
    it("flags a team namespace below the restricted level", async () => {
      const p = await dev();
      const relaxed = changed(p, namespace, (i: Inputs) => { i.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"; }, "team-search");
      await bothOutcomes("team-namespaces-enforce-restricted", p, relaxed, /Team namespace "search" enforces Pod Security "baseline"/);
    });
  });

  describe("only-gpu-operator-namespace-privileged", () => {
    it("flags any other privileged or unlabelled namespace", async () => {
      const p = await dev();
      const privileged = changed(p, namespace, (i: Inputs) => { i.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged"; }, "-addons-monitoring");
      await bothOutcomes("only-gpu-operator-namespace-privileged", p, privileged, /Namespace "monitoring" allows privileged pods; only gpu-operator may/);
      const unlabelled = changed(p, namespace, (i: Inputs) => { i.metadata.labels = {}; }, "-addons-kueue-system");
      await bothOutcomes("only-gpu-operator-namespace-privileged", p, unlabelled, /"kueue-system" enforces no Pod Security level/);
    });
  });

  describe("aks-local-accounts-disabled", () => {
    it("flags local accounts and clusters not authorised through Entra ID", async () => {
      const a = await aks();
      await bothOutcomes("aks-local-accounts-disabled", a, changed(a, aksCluster, (i) => ({ ...i, disableLocalAccounts: false })), /keeps local accounts/);
      await bothOutcomes("aks-local-accounts-disabled", a, changed(a, aksCluster, (i: Inputs) => { i.aadProfile.enableAzureRBAC = false; }), /Entra ID and Azure RBAC/);
    });
  });

  describe("gke-legacy-auth-disabled", () => {
    it("flags legacy ABAC and client certificates", async () => {
      const g = await gke();
      await bothOutcomes("gke-legacy-auth-disabled", g, changed(g, gkeCluster, (i) => ({ ...i, enableLegacyAbac: true })), /legacy ABAC on/);
      await bothOutcomes("gke-legacy-auth-disabled", g, changed(g, gkeCluster, (i) => ({ ...i, masterAuth: { clientCertificateConfig: { issueClientCertificate: true } } })), /issues a client certificate/);
    });
  });

  describe("helm-charts-pinned-and-approved", () => {
    it("flags a floating version and a repository nobody approved; accepts an approved mirror", async () => {
      const p = await dev();
      await bothOutcomes("helm-charts-pinned-and-approved", p, changed(p, release, (i) => ({ ...i, version: "^0.19" }), "-kueue"), /"kueue" is not pinned to an exact chart version/);
      const mirrored = changed(p, release, (i) => ({ ...i, repositoryOpts: { repo: "https://charts.example.internal/nvidia" } }), "-gpu-operator");
      await bothOutcomes("helm-charts-pinned-and-approved", p, mirrored, /comes from https:\/\/charts\.example\.internal\/nvidia, which is not approved/);
      const allowMirror = { "helm-charts-pinned-and-approved": { allowedRepositories: ["https://charts.example.internal/nvidia", "https://charts.jetstack.io", "oci://registry.k8s.io/kueue/charts", "oci://ghcr.io/kserve/charts", "oci://public.ecr.aws/karpenter", "https://prometheus-community.github.io/helm-charts", "https://argoproj.github.io/argo-helm", "oci://docker.io/envoyproxy", "https://kedacore.github.io/charts"] } };
      assert.deepEqual(messages(await violations("helm-charts-pinned-and-approved", mirrored, allowMirror)), "");
    });
  });

  describe("container-images-from-approved-registries", () => {
    it("flags an image from an unapproved registry and reads Docker Hub short names", async () => {
      const p = await dev();
      const foreign = changed(p, release, (i: Inputs) => { i.values.controllerManager.manager.image.repository = "registry.example.com/kueue/kueue"; }, "-kueue");
      await bothOutcomes("container-images-from-approved-registries", p, foreign, /uses image registry\.example\.com\/kueue\/kueue .* not approved/);
      const hub = changed(p, release, (i: Inputs) => { i.values.kserve.servingruntime.vllmserver.image = "someone/vllm"; }, "-kserve-runtimes");
      await bothOutcomes("container-images-from-approved-registries", p, hub, /someone\/vllm \(docker\.io\/someone\/vllm\)/);
    });
  });

  describe("required-tags-present", () => {
    it("flags a provider or Azure resource missing owner, cost-center or environment", async () => {
      const p = await dev();
      const untagged = changed(p, "pulumi:providers:aws", (i) => ({ ...i, defaultTags: JSON.stringify({ tags: { owner: "ml" } }) }));
      await bothOutcomes("required-tags-present", p, untagged, /lacks the tags cost-center, environment/);
      const a = await aks();
      await bothOutcomes("required-tags-present", a, changed(a, "azure-native:resources:ResourceGroup", (i) => ({ ...i, tags: {} })), /ResourceGroup .* lacks the tags owner, cost-center, environment/);
    });
  });

  describe("gpu-nodes-tainted", () => {
    it("flags GPU capacity without the nvidia.com/gpu NoSchedule taint", async () => {
      const p = await dev();
      await bothOutcomes("gpu-nodes-tainted", p, changed(p, nodePool, (i: Inputs) => { i.spec.template.spec.taints = []; }), /without the nvidia\.com\/gpu NoSchedule taint/);
      const g = await gke();
      await bothOutcomes("gpu-nodes-tainted", g, changed(g, "gcp:container/nodePool:NodePool", (i: Inputs) => { i.nodeConfig.taints = []; }, "-gpu-a100"), /gpu-a100" starts GPU nodes without/);
    });
  });

  describe("prod-clusters-protected", () => {
    it("flags a prod cluster that Pulumi or the cloud could delete", async () => {
      const prod = await plan("dev", { "gpu-platform:environment": "prod" });
      const unprotected = { ...prod, resources: prod.resources.map((r) => (r.type === eksCluster ? { ...r, protect: false } : r)) };
      await bothOutcomes("prod-clusters-protected", prod, unprotected, /Prod cluster .* is not protected/);
      await bothOutcomes("prod-clusters-protected", prod, changed(prod, eksCluster, (i) => ({ ...i, deletionProtection: false })), /no deletion protection in the cloud/);
    });
  });

  describe("kubernetes-version-supported", () => {
    it("flags a cluster outside the supported version window", async () => {
      const p = await dev();
      await bothOutcomes("kubernetes-version-supported", p, changed(p, eksCluster, (i) => ({ ...i, version: "1.29" })), /runs Kubernetes 1\.29, outside the supported window 1\.35, 1\.36/);
      const a = await aks();
      await bothOutcomes("kubernetes-version-supported", a, changed(a, aksCluster, (i) => ({ ...i, kubernetesVersion: "1.31.2" })), /1\.31\.2/);
    });
  });
});
