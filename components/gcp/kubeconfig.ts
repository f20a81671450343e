/**
 * The kubeconfig `gcloud container clusters get-credentials --dns-endpoint` writes, without gcloud:
 * the DNS endpoint serves a publicly trusted certificate, so there is no CA to carry, and IAM
 * (`container.clusters.connect`) decides who gets through before Kubernetes RBAC does.
 */
export interface GkeKubeconfigArgs {
  readonly project: string;
  readonly region: string;
  readonly clusterName: string;
  /** The control plane's DNS endpoint (`gke-<id>.<region>.gke.goog`), reachable from any network. */
  readonly dnsEndpoint: string;
}

export function gkeKubeconfig(args: GkeKubeconfigArgs): string {
  const name = `gke_${args.project}_${args.region}_${args.clusterName}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: `https://${args.dnsEndpoint}` } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    // Short-lived tokens from the caller's Google credentials; nothing long-lived in the file.
    users: [{
      name,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "gke-gcloud-auth-plugin",
          installHint: "Install gke-gcloud-auth-plugin: https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
          provideClusterInfo: true,
        },
      },
    }],
  });
}
