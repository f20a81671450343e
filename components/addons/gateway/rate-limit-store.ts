import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { images } from "../../versions";
import type { AddonContext, AddonScope } from "../addon";
import { requests } from "../requests";
import { redisService } from "./names";

const labels = { "app.kubernetes.io/name": redisService.name, "app.kubernetes.io/part-of": "gpu-platform" };

/**
 * The counters behind Envoy Gateway's global rate limits: one Redis, in memory only (a restart
 * resets a minute's counts, nothing more), reachable only from its own namespace. Envoy Gateway
 * fails open when it is down (EnvoyGateway.rateLimit.failClosed defaults to false): requests pass
 * unlimited rather than all being refused.
 */
export function rateLimitStore(ctx: AddonContext, scope: AddonScope): pulumi.Resource[] {
  const metadata = { name: redisService.name, namespace: scope.namespace, labels };
  const deployment = new k8s.apps.v1.Deployment(`${scope.name}-redis`, {
    metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { ...ctx.cluster.systemNodeSelector },
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } },
          containers: [{
            name: "redis",
            image: `${images.redis.repository}:${images.redis.tag}`,
            // Counters live a minute: no snapshots, no append-only file.
            args: ["--save", "", "--appendonly", "no", "--protected-mode", "no"],
            ports: [{ name: "redis", containerPort: redisService.port }],
            resources: requests("50m", "64Mi"),
            readinessProbe: { tcpSocket: { port: redisService.port }, periodSeconds: 5 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          }],
          volumes: [{ name: "data", emptyDir: {} }],
        },
      },
    },
  }, scope.opts);
  const service = new k8s.core.v1.Service(`${scope.name}-redis`, {
    metadata,
    spec: { selector: labels, ports: [{ name: "redis", port: redisService.port, targetPort: "redis" }] },
  }, scope.opts);
  // Redis has no password here; only Envoy Gateway's own namespace may connect.
  const network = new k8s.networking.v1.NetworkPolicy(`${scope.name}-redis`, {
    metadata,
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: redisService.port, protocol: "TCP" }] }],
    },
  }, scope.opts);
  return [deployment, service, network];
}

/** Where Envoy Gateway's rate limiter finds the store. */
export const rateLimitStoreUrl = (namespace: string) => `${redisService.name}.${namespace}.svc.cluster.local:${redisService.port}`;
