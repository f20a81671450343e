/** The kubeconfig `gcloud container clusters get-credentials` writes, without needing gcloud to write it. */
export interface GkeKubeconfigArgs {
  readonly project: string;
  readonly region: string;
  readonly clusterName: string;
  /** The API server's address (the private endpoint when the public one is off). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster's CA, as GKE reports it. */
  readonly caCertificate: string;
}

export function gkeKubeconfig(args: GkeKubeconfigArgs): string {
  const name = `gke_${args.project}_${args.region}_${args.clusterName}`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: `https://${args.endpoint}`, "certificate-authority-data": args.caCertificate } }],
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
