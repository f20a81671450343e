import { strict as assert } from "assert";
import { checkPolicies } from "../../plan/plan";
import { buildReport } from "../../plan/report/build";
import { mandatoryViolations } from "../../plan/policies";
import type { Plan } from "../../plan/program";
import { ofType, one, plan } from "../helpers/plan";
import { modelContainerName } from "../../components/azure/model-store";
import { configError, stackWith } from "../helpers/settings";

type Obj = Record<string, any>;
const on = { "gpu-platform:modelStore": { enabled: true } };

/** The team namespace's model-reader service account and model-store ConfigMap. */
function teamSide(p: Plan, team: string) {
  const account = ofType(p, "kubernetes:core/v1:ServiceAccount").find((r) => (r.inputs.metadata as Obj).namespace === team && (r.inputs.metadata as Obj).name === "model-reader")!;
  const config = ofType(p, "kubernetes:core/v1:ConfigMap").find((r) => (r.inputs.metadata as Obj).namespace === team && (r.inputs.metadata as Obj).name === "model-store")!;
  return { account, annotations: (account.inputs.metadata as Obj).annotations as Obj, data: config.inputs.data as Obj };
}

function teamsOf(p: Plan): string[] {
  return ofType(p, "kubernetes:core/v1:Namespace").map((r) => (r.inputs.metadata as Obj).labels?.["gpu-platform.io/team"]).filter(Boolean);
}

describe("modelStore: weights in the stack's region, one private part per team", () => {
  it("is off by default: no bucket, no reader", async () => {
    const p = await plan("dev");
    assert.deepEqual([ofType(p, "aws:s3/bucket:Bucket").length, ofType(p, "kubernetes:core/v1:ServiceAccount").filter((r) => (r.inputs.metadata as Obj).name === "model-reader").length], [0, 0]);
  });

  it("EKS: a private S3 bucket per team, readable only by that team's model-reader through Pod Identity", async () => {
    const p = await plan("eu-prod", on);
    const teams = teamsOf(p);
    const buckets = ofType(p, "aws:s3/bucket:Bucket");
    assert.equal(buckets.length, teams.length);
    for (const block of ofType(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      assert.deepEqual([block.inputs.blockPublicAcls, block.inputs.blockPublicPolicy, block.inputs.ignorePublicAcls, block.inputs.restrictPublicBuckets], [true, true, true, true]);
    }
    for (const policy of ofType(p, "aws:s3/bucketPolicy:BucketPolicy")) {
      const statement = JSON.parse(String(policy.inputs.policy)).Statement[0];
      assert.deepEqual([statement.Effect, statement.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
    }
    for (const team of teams) {
      const bucket = buckets.find((b) => (b.inputs.tags as Obj)["gpu-platform.io/team"] === team)!;
      assert.equal(bucket.protect, true, "eu-prod is protected: its weights survive a destroy");
      const association = ofType(p, "aws:eks/podIdentityAssociation:PodIdentityAssociation").find((a) => a.inputs.namespace === team && a.inputs.serviceAccount === "model-reader")!;
      const rolePolicy = ofType(p, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === association.name)!;
      const statements = JSON.parse(String(rolePolicy.inputs.policy)).Statement as Obj[];
      const arn = `arn:aws:s3:::${bucket.name}`;
      assert.deepEqual(statements.map((s) => [s.Action, s.Resource]), [[["s3:ListBucket", "s3:GetBucketLocation"], arn], ["s3:GetObject", `${arn}/*`]], "read only, this bucket only");
      const side = teamSide(p, team);
      assert.equal(side.data.uri, `s3://${bucket.name}`);
      assert.deepEqual(side.annotations, {}, "Pod Identity needs no annotation");
    }
  });

  it("GKE: a single-region bucket per team, with its reader's Google account granted objectViewer on it and nothing in the project", async () => {
    const p = await plan("gke-eu", on);
    const region = String(p.config["gpu-platform:region"]);
    for (const team of teamsOf(p)) {
      const bucket = ofType(p, "gcp:storage/bucket:Bucket").find((b) => (b.inputs.labels as Obj)["gpu-platform-team"] === team)!;
      assert.deepEqual([bucket.inputs.location, bucket.inputs.uniformBucketLevelAccess, bucket.inputs.publicAccessPrevention], [region, true, "enforced"]);
      const grants = ofType(p, "gcp:storage/bucketIAMMember:BucketIAMMember").filter((g) => g.inputs.bucket === bucket.name);
      // objectViewer reads objects; the streamer also opens the bucket itself (storage.buckets.get).
      assert.deepEqual(grants.map((g) => g.inputs.role).sort(), ["roles/storage.legacyBucketReader", "roles/storage.objectViewer"]);
      const grant = grants[0];
      assert.ok(grants.every((g) => g.inputs.member === grant.inputs.member));
      const side = teamSide(p, team);
      assert.equal(grant.inputs.member, `serviceAccount:${side.annotations["iam.gke.io/gcp-service-account"]}`);
      const binding = ofType(p, "gcp:serviceaccount/iAMMember:IAMMember").find((b) => String(b.inputs.member).endsWith(`[${team}/model-reader]`));
      assert.ok(binding, "the Google account trusts exactly the team's model-reader");
      assert.equal(side.data.uri, `gs://${bucket.name}`);
      assert.ok(!ofType(p, "gcp:projects/iAMMember:IAMMember").some((m) => m.inputs.member === grant.inputs.member), "no project-wide role");
    }
  });

  it("AKS: one premium block-blob account in the region, Entra-only, with a container per team its reader may read", async () => {
    const p = await plan("aks-eu", on);
    const account = one(p, "azure-native:storage:StorageAccount").inputs as Obj;
    assert.deepEqual(
      [account.location, account.kind, account.sku.name, account.allowSharedKeyAccess, account.allowBlobPublicAccess, account.minimumTlsVersion],
      [p.config["gpu-platform:region"], "BlockBlobStorage", "Premium_LRS", false, false, "TLS1_2"],
    );
    assert.match(account.accountName, /^[a-z0-9]{3,24}$/);
    for (const team of teamsOf(p)) {
      const container = ofType(p, "azure-native:storage:BlobContainer").find((c) => c.inputs.containerName === `team-${team}`)!;
      assert.deepEqual([container.inputs.publicAccess, container.protect], ["None", false]);
      const credential = ofType(p, "azure-native:managedidentity:FederatedIdentityCredential").find((c) => c.inputs.subject === `system:serviceaccount:${team}:model-reader`)!;
      const identity = ofType(p, "azure-native:managedidentity:UserAssignedIdentity").find((i) => i.inputs.resourceName === credential.inputs.resourceName)!;
      const assignments = ofType(p, "azure-native:authorization:RoleAssignment").filter((a) => a.parent === identity.parent || a.name.startsWith(identity.name));
      const reader = assignments.find((a) => String(a.inputs.scope).endsWith(`/containers/team-${team}`))!;
      assert.match(String(reader.inputs.roleDefinitionId), /\/roleDefinitions\/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/, "Storage Blob Data Reader");
      assert.equal(assignments.filter((a) => !String(a.inputs.scope).endsWith(`/containers/team-${team}`)).length, 0, "no grant beyond the container");
      const side = teamSide(p, team);
      assert.equal(side.data.uri, `az://team-${team}`);
      assert.equal(side.data.AZURE_STORAGE_ACCOUNT_NAME, account.accountName);
      assert.deepEqual(JSON.parse(side.data.podLabels), { "azure.workload.identity/use": "true" });
      assert.ok(side.annotations["azure.workload.identity/client-id"]);
    }
  });

  for (const stack of ["eu-prod", "gke-eu", "aks-eu"]) {
    it(`keeps the policy pack's mandatory rules on ${stack} (data stays in the jurisdiction)`, async () => {
      const p = await plan(stack, on);
      assert.deepEqual(mandatoryViolations(await checkPolicies(p)).map((v) => `${v.policyName}: ${v.message}`), []);
    });
  }

  it("is the cold-start lever for the vllm runtime: weights stream into the GPU instead of download and load", async () => {
    const report = buildReport(await plan("eu-prod", on), await checkPolicies(await plan("eu-prod", on)));
    const l40s = report.coldStart!.rows.filter((r) => r.pool === "l40s");
    const vllm = l40s.find((r) => r.runtime === "vllm")!;
    const huggingface = l40s.find((r) => r.runtime === "huggingface")!;
    assert.deepEqual(vllm.steps.filter((s) => s.step.startsWith("weights")).map((s) => [s.step, s.seconds]), [["weights stream (16 GB)", 18]]);
    assert.deepEqual(huggingface.steps.filter((s) => s.step.startsWith("weights")).map((s) => s.step), ["weights download (16 GB)", "weights load"], "KServe's huggingfaceserver downloads first");
    const lever = report.coldStart!.levers.find((l) => l.setting === "modelStore.enabled")!;
    assert.equal(lever.state, "on");
    assert.equal(lever.savings.find((s) => s.pool === "l40s")!.seconds, 16 + 51 - 18);
  });

  it("lists each team's store in the stack outputs, the same URI its namespace's ConfigMap gives", async () => {
    for (const stack of ["eu-prod", "gke-eu", "aks-eu"]) {
      const p = await plan(stack, on);
      const stores = p.outputs.modelStores as Record<string, string>;
      assert.deepEqual(Object.keys(stores).sort(), teamsOf(p).sort());
      for (const team of teamsOf(p)) assert.equal(stores[team], teamSide(p, team).data.uri, `${stack} ${team}`);
    }
    assert.equal((await plan("dev")).outputs.modelStores, undefined);
  });

  it("names buckets, roles and containers so the cloud takes them, whatever the cluster and team names", async () => {
    const longCluster = "gpu-platform-inference-eu-prod-1";
    const longTeam = "recommendations-and-ranking-team";
    const p = await plan("dev", { ...on, "gpu-platform:clusterName": longCluster, "gpu-platform:teams": [{ name: longTeam, cpu: "8", memory: "32Gi", gpus: { l4: 1 } }] });
    const bucket = one(p, "aws:s3/bucket:Bucket");
    assert.ok(bucket.name.length + 8 <= 63, `${bucket.name}: S3 names are at most 63 characters once auto-named`);
    const role = ofType(p, "aws:iam/role:Role").find((r) => r.name.includes("-models-"))!;
    assert.ok(role.name.length + 8 <= 64, `${role.name}: IAM role names are at most 64`);
    assert.equal(modelContainerName("ml"), "team-ml", "containers need three characters");
    assert.match(modelContainerName("a--b"), /^team-a-b-[0-9a-f]{6}$/, "and no doubled hyphens");
    assert.notEqual(modelContainerName("a--b"), modelContainerName("a-b"));
  });

  it("protects every part that holds weights on a protected stack, containers included", async () => {
    const p = await plan("aks-eu", { ...on, "gpu-platform:environment": "prod" });
    assert.ok(ofType(p, "azure-native:storage:BlobContainer").every((c) => c.protect));
    assert.equal(one(p, "azure-native:storage:StorageAccount").protect, true);
  });

  it("is refused on an existing cluster, whose cloud account the platform does not manage", () => {
    assert.match(configError(stackWith("onprem", { modelStore: { enabled: true } })), /modelStore\.enabled = true: creates object storage and identities in the stack's cloud account/);
  });
});
