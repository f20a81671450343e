import type { AddonContext } from "../addon";
import { requests } from "../requests";

/**
 * How long the interceptor holds a request for a model at zero replicas. A cold start is a GPU
 * node (when none is free), the serving image and the model load: README, "Scaling a model".
 * Past it the caller gets 504; the gateway's route timeout must be at least this long.
 */
export const coldStartHoldMinutes = 15;

/** Where the interceptor listens (chart: interceptor.proxy.service and .port), and the scaler. */
export const interceptorProxy = { host: "keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local", port: 8080 } as const;
export const externalScalerAddress = "keda-add-ons-http-external-scaler.keda:9090";

/** The request header a team's AIServiceBackend sets so the interceptor knows which model is called. */
export const modelHeader = "x-gpu-platform-model";

/** keda-add-ons-http 0.15.0 values: controllers on system nodes, pinned, and the hold above. */
export function scaleFromZeroValues(ctx: AddonContext) {
  const nodeSelector = { ...ctx.cluster.systemNodeSelector };
  const small = ctx.config.protect ? 2 : 1;
  return {
    operator: { nodeSelector, pullPolicy: "IfNotPresent" },
    scaler: { nodeSelector, pullPolicy: "IfNotPresent", replicas: small },
    interceptor: {
      nodeSelector,
      pullPolicy: "IfNotPresent",
      replicas: { min: small },
      readinessTimeout: `${coldStartHoldMinutes}m`,
      // It proxies streamed completions, not only the wait: the chart's 64Mi limit is too tight.
      resources: { ...requests("100m", "64Mi"), limits: { memory: "256Mi" } },
    },
  };
}
