/** The inference gateway as the plan creates it: where it listens, who can reach it, each team's limits. */
import { teamHeader } from "../../components/addons/gateway/names";
import { isInternalLoadBalancer } from "../../stacks/load-balancers";
import type { Plan } from "../program";
import type { GatewayReport } from "./model";

type Obj = Record<string, any>;
const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type).map((r) => r.inputs as Obj);

export function gatewayReport(plan: Plan): GatewayReport | undefined {
  const gateway = ofType(plan, "kubernetes:gateway.networking.k8s.io/v1:Gateway")[0];
  if (!gateway) return undefined;
  const proxy = ofType(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy")[0];
  const service = proxy?.spec?.provider?.kubernetes?.envoyService ?? {};
  const annotations: Record<string, string> = service.annotations ?? {};
  const annotationText = Object.entries(annotations).map(([key, value]) => `${key}: ${value}`).join(", ");
  const exposure = (service.type ?? "LoadBalancer") !== "LoadBalancer" ? "cluster only (ClusterIP): reached from inside the cluster"
    : isInternalLoadBalancer(annotations) || (proxy?.metadata?.annotations?.["gpu-platform.io/exposure"] === "internal" && annotationText)
      ? `internal load balancer (${annotationText})`
      : "PUBLIC load balancer: reachable from the internet";
  const certificate = ofType(plan, "kubernetes:cert-manager.io/v1:Certificate")[0];
  const issuer = certificate?.spec?.issuerRef;
  const rules: Obj[] = ofType(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy").flatMap((p) => p.spec?.rateLimit?.global?.rules ?? []);
  const teamOf = (rule: Obj) => (rule.clientSelectors ?? []).flatMap((s: Obj) => s.headers ?? []).find((h: Obj) => h.name === teamHeader)?.value as string | undefined;
  const teams = new Map<string, { team: string; requestsPerMinute?: number; tokensPerMinute?: number }>();
  for (const rule of rules) {
    const team = teamOf(rule);
    if (!team) continue;
    const entry = teams.get(team) ?? { team };
    if (rule.cost?.response) entry.tokensPerMinute = rule.limit.requests;
    else entry.requestsPerMinute = rule.limit.requests;
    teams.set(team, entry);
  }
  const listeners: Obj[] = gateway.spec?.listeners ?? [];
  return {
    endpoint: `https://${listeners[0]?.hostname}/v1`,
    hostnames: listeners.map((l) => String(l.hostname)),
    exposure,
    tls: issuer ? `certificate for ${(certificate.spec.dnsNames ?? []).join(", ")} from ${issuer.kind} ${issuer.name}` : "no certificate",
    teams: [...teams.values()].sort((a, b) => a.team.localeCompare(b.team)),
  };
}
