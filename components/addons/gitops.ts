import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Argo CD's name for the cluster it runs in. */
const inCluster = "https://kubernetes.default.svc";

/** The project team Applications must name: it can deploy only into team namespaces. */
export const teamsProject = "teams";
/** The project of the root Application: it can create only Applications, only in Argo CD's namespace. */
export const bootstrapProject = "gitops-bootstrap";

/**
 * Tenancy guard rails a team's Git repository must not rewrite: quotas, limits, network isolation,
 * RBAC and the team's Kueue queue are the platform's.
 */
export const platformOwnedKinds = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  { group: "networking.k8s.io", kind: "NetworkPolicy" },
  { group: "rbac.authorization.k8s.io", kind: "Role" },
  { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
  { group: "kueue.x-k8s.io", kind: "LocalQueue" },
  // The gateway's: a team's own Gateway would open a load balancer, its own policies drop its key or limit.
  { group: "gateway.networking.k8s.io", kind: "Gateway" },
  { group: "gateway.networking.k8s.io", kind: "ListenerSet" },
  { group: "gateway.envoyproxy.io", kind: "SecurityPolicy" },
  { group: "gateway.envoyproxy.io", kind: "BackendTrafficPolicy" },
  { group: "gateway.envoyproxy.io", kind: "ClientTrafficPolicy" },
  { group: "gateway.envoyproxy.io", kind: "EnvoyPatchPolicy" },
  { group: "gateway.envoyproxy.io", kind: "EnvoyExtensionPolicy" },
  { group: "gateway.envoyproxy.io", kind: "EnvoyProxy" },
  { group: "aigateway.envoyproxy.io", kind: "GatewayConfig" },
  { group: "aigateway.envoyproxy.io", kind: "QuotaPolicy" },
  { group: "aigateway.envoyproxy.io", kind: "BackendSecurityPolicy" },
];

export interface GitOpsBootstrapArgs {
  readonly provider: k8s.Provider;
  readonly argocdNamespace: string;
  readonly repoURL: string;
  readonly path: string;
  readonly revision: string;
  readonly teamNamespaces: readonly string[];
  /**
   * What the synced Applications need and must outlive them: Argo CD itself, the team namespaces,
   * and KServe, so InferenceServices are deleted while their controller still runs.
   */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * App of apps: one root Application syncs the repository's folder of Applications; those deploy
 * the teams' serving configs (InferenceServices) into team namespaces and nowhere else.
 */
export class GitOpsBootstrap extends pulumi.ComponentResource {
  constructor(name: string, args: GitOpsBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu-platform:addons:GitOpsBootstrap", name, {}, opts);
    const onCluster = { parent: this, provider: args.provider, dependsOn: [...args.dependsOn] };
    const metadata = (objectName: string) => ({ name: objectName, namespace: args.argocdNamespace });

    const teams = new k8s.apiextensions.CustomResource(`${name}-teams`, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: metadata(teamsProject),
      spec: {
        description: "Team serving configs: team namespaces only, no cluster-scoped objects",
        sourceRepos: [args.repoURL],
        destinations: args.teamNamespaces.map((namespace) => ({ server: inCluster, namespace })),
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: platformOwnedKinds,
      },
    }, onCluster);

    const bootstrap = new k8s.apiextensions.CustomResource(`${name}-bootstrap`, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: metadata(bootstrapProject),
      spec: {
        description: "The root Application: creates Applications in Argo CD's namespace and nothing else",
        sourceRepos: [args.repoURL],
        destinations: [{ server: inCluster, namespace: args.argocdNamespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [{ group: "argoproj.io", kind: "Application" }],
      },
    }, onCluster);

    new k8s.apiextensions.CustomResource(`${name}-root`, {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: {
        ...metadata("gitops-root"),
        // Deleting the root deletes the Applications it created, and with theirs their resources.
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: {
        project: bootstrapProject,
        source: { repoURL: args.repoURL, path: args.path, targetRevision: args.revision },
        destination: { server: inCluster, namespace: args.argocdNamespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    }, { ...onCluster, dependsOn: [...args.dependsOn, teams, bootstrap] });
    this.registerOutputs({});
  }
}
