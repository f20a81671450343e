/**
 * Names the inference gateway's objects share with teams, the README and the policy pack: where
 * the Gateway lives, what teams' routes name in `parentRefs`, and the header that carries a caller's
 * team from authentication to the rate limiter.
 */

/** Envoy Gateway's controller, its rate limiter and the Envoy proxies it starts. */
export const envoyGatewayNamespace = "envoy-gateway-system";
/** The AI Gateway's controller (the Envoy proxies' external processor is injected beside them). */
export const aiGatewayNamespace = "envoy-ai-gateway-system";
/** The platform's Gateway, its certificate, keys and policies: no pods, and no team writes here. */
export const inferenceGatewayNamespace = "inference-gateway";

export const gatewayClassName = "inference";
export const gatewayName = "inference";

/** Listeners: the OpenAI-compatible endpoint at the hostname, each InferenceService under it. */
export const listeners = { openai: "openai", models: "models" } as const;

/**
 * Set by the gateway after it checks a caller's API key, from the key's client id (the team name);
 * a caller's own value is overwritten. Rate limits select on it.
 */
export const teamHeader = "x-gpu-platform-team";

/** Where the AI Gateway stores a request's token count, and the key the platform's budget reads. */
export const tokenCostMetadata = { namespace: "io.envoy.ai_gateway", key: "gpu_platform_total_tokens" } as const;

/** The Secret in each team namespace that holds the team's API key (`key`), for the team to read. */
export const teamKeySecret = "inference-api-key";

/** Controller name Envoy Gateway answers to (gateway-helm values: config.envoyGateway.gateway.controllerName). */
export const envoyGatewayControllerName = "gateway.envoyproxy.io/gatewayclass-controller";

/** The rate limiter's store: a single Redis in Envoy Gateway's namespace. */
export const redisService = { name: "ratelimit-redis", port: 6379 } as const;

/** The gateway's own copy of a team's key, which its SecurityPolicy reads. */
export const gatewayKeySecretName = (team: string) => `team-${team}-api-key`;

/** On the EnvoyProxy: the exposure the stack asked for, which the pack reads beside the annotations. */
export const exposureAnnotation = "gpu-platform.io/exposure";

/** In each team namespace: the Envoy Gateway Backend that reaches models through the scale-from-zero interceptor. */
export const scaleFromZeroBackend = "scale-from-zero";
