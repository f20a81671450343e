import type { AddonContext } from "./addon";

/** Argo CD values: reachable only inside the cluster, admin password from the stack's secrets. */
export function argocdValues(ctx: AddonContext, onSystemNodes: Record<string, string>) {
  const admin = ctx.credentials.argocdAdmin;
  if (!admin) throw new Error("Argo CD is installed but no admin password was generated");
  return {
    global: { nodeSelector: { "kubernetes.io/os": "linux", ...onSystemNodes } },
    configs: {
      // Argo CD stores only the bcrypt hash; the password itself stays in the stack's state.
      secret: { createSecret: true, argocdServerAdminPassword: admin.bcryptHash },
    },
    // No SSO connector is configured, so Dex would be an idle pod with cluster access; add a
    // connector and switch it on together.
    dex: { enabled: false },
    server: { service: { type: "ClusterIP" } },
  };
}
