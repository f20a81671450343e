import type { AddonContext } from "./addon";
import { requests } from "./requests";

/**
 * When the admin password last changed. Argo CD logs out sessions older than this; the chart
 * stamps "now" on every render unless it is given, which would log everyone out on each upgrade.
 * Change it together with the password.
 */
export const adminPasswordMtime = "2026-01-01T00:00:00Z";

/** Argo CD values: reachable only inside the cluster, admin password from the stack's secrets. */
export function argocdValues(ctx: AddonContext, onSystemNodes: Record<string, string>) {
  const admin = ctx.credentials.argocdAdmin;
  if (!admin) throw new Error("Argo CD is installed but no admin password was generated");
  return {
    global: { nodeSelector: { "kubernetes.io/os": "linux", ...onSystemNodes } },
    configs: {
      // Argo CD stores only the bcrypt hash; the password itself stays in the stack's state.
      secret: { createSecret: true, argocdServerAdminPassword: admin.bcryptHash, argocdServerAdminPasswordMtime: adminPasswordMtime },
    },
    controller: { resources: requests("250m", "512Mi") },
    repoServer: { resources: requests("100m", "256Mi"), copyutil: { resources: requests("10m", "32Mi") } },
    server: { service: { type: "ClusterIP" }, resources: requests("50m", "128Mi") },
    redis: { resources: requests("50m", "64Mi") },
    redisSecretInit: { resources: requests("10m", "32Mi") },
    applicationSet: { resources: requests("20m", "64Mi") },
    notifications: { resources: requests("20m", "64Mi") },
    // No SSO connector is configured, so Dex would be an idle pod with cluster access; add a
    // connector and switch it on together.
    dex: { enabled: false },
  };
}
