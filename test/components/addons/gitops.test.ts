import { strict as assert } from "assert";
import { Plan } from "../../../plan/program";
import { one, ofType, plan, release } from "../../helpers/plan";
import { configError, devWith } from "../../helpers/settings";

const gitops = { repoURL: "https://git.example.com/ml/serving-configs.git", path: "clusters/dev", revision: "release-2026.11" };
const withGitops = { "gpu-platform:addons": { kserve: { runtimes: ["vllm"] }, argocd: { gitops } } };
const project = (p: Plan, name: string) =>
  ofType(p, "kubernetes:argoproj.io/v1alpha1:AppProject").find((r) => (r.inputs.metadata as { name: string }).name === name)!.inputs.spec as Record<string, any>;

describe("Argo CD", () => {
  type ArgoValues = { server: { service: { type: string } }; configs: { secret: { argocdServerAdminPassword: string } }; dex: { enabled: boolean } };

  it("is reachable only inside the cluster", async () => {
    const values = release(await plan("dev"), "argocd")!.inputs.values as ArgoValues;
    assert.equal(values.server.service.type, "ClusterIP");
  });

  it("sets the admin password's hash from a generated secret and exports the password only as a secret", async () => {
    const p = await plan("dev");
    const values = release(p, "argocd")!.inputs.values as ArgoValues;
    assert.equal(values.configs.secret.argocdServerAdminPassword, "[secret]");
    assert.equal(p.outputs.argocdAdminPassword, "[secret]");
    assert.ok(one(p, "random:index/randomPassword:RandomPassword", "-argocd"));
  });

  it("bootstraps nothing unless the stack names a repository", async () => {
    const p = await plan("dev");
    assert.equal(ofType(p, "kubernetes:argoproj.io/v1alpha1:Application").length, 0);
  });

  describe("GitOps bootstrap", () => {
    it("points one root Application at the repository, folder and revision from the stack", async () => {
      const root = one(await plan("dev", withGitops), "kubernetes:argoproj.io/v1alpha1:Application").inputs as { metadata: { finalizers: string[] }; spec: Record<string, any> };
      assert.deepEqual(root.spec.source, { repoURL: gitops.repoURL, path: gitops.path, targetRevision: gitops.revision });
      assert.equal(root.spec.project, "gitops-bootstrap");
      assert.deepEqual(root.spec.syncPolicy.automated, { prune: true, selfHeal: true });
      assert.deepEqual(root.metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
    });

    it("lets team Applications deploy only into team namespaces, without touching quotas, policies or RBAC", async () => {
      const teams = project(await plan("dev", withGitops), "teams");
      assert.deepEqual(teams.destinations.map((d: { namespace: string }) => d.namespace).sort(), ["assistants", "search"]);
      assert.deepEqual(teams.sourceRepos, [gitops.repoURL]);
      assert.deepEqual(teams.clusterResourceWhitelist, []);
      const blocked = teams.namespaceResourceBlacklist.map((k: { kind: string }) => k.kind);
      for (const kind of ["ResourceQuota", "LimitRange", "NetworkPolicy", "RoleBinding", "LocalQueue"]) assert.ok(blocked.includes(kind), kind);
    });

    it("lets the root Application create only Applications, only in Argo CD's namespace", async () => {
      const bootstrap = project(await plan("dev", withGitops), "gitops-bootstrap");
      assert.deepEqual(bootstrap.destinations, [{ server: "https://kubernetes.default.svc", namespace: "argocd" }]);
      assert.deepEqual(bootstrap.namespaceResourceWhitelist, [{ group: "argoproj.io", kind: "Application" }]);
    });

    it("creates the root after Argo CD, KServe and the team namespaces, so destroy removes InferenceServices first", async () => {
      const p = await plan("dev", withGitops);
      const root = one(p, "kubernetes:argoproj.io/v1alpha1:Application");
      for (const name of ["argocd", "kserve"]) assert.ok(root.dependencies.includes(release(p, name)!.urn), name);
      const searchNamespace = one(p, "kubernetes:core/v1:Namespace", "team-search");
      assert.ok(root.dependencies.includes(searchNamespace.urn));
    });

    it("refuses a bootstrap without Argo CD, or with no team to deploy to", () => {
      assert.match(configError(devWith({ addons: { argocd: { enabled: false, gitops } } })), /addons\.argocd\.gitops = .*GitOps bootstrap needs Argo CD/);
      assert.match(configError(devWith({ teams: [], addons: { argocd: { gitops } } })), /addons\.argocd\.gitops = .*deploys only into team namespaces/);
    });

    it("asks for the revision to follow and a Git URL it can clone", () => {
      assert.match(configError(devWith({ addons: { argocd: { gitops: { repoURL: gitops.repoURL } } } })), /addons\.argocd\.gitops\.revision/);
      assert.match(configError(devWith({ addons: { argocd: { gitops: { ...gitops, repoURL: "github.com/ml/serving" } } } })), /addons\.argocd\.gitops\.repoURL = "github\.com\/ml\/serving": must be an https:\/\/, ssh:\/\/ or git@host:path Git repository URL/);
    });
  });
});
