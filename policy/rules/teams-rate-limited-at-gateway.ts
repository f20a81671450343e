import type { StackValidationPolicy } from "@pulumi/policy";
import { gatewayKeySecretName, teamHeader } from "../../components/addons/gateway/names";
import { admissionModeSchema, asList, asRecord, metadataOf, propsOf, teamLabel } from "../support";

/** The teams a rule's client selectors pick by the gateway's team header, exact match only. */
function selectedTeams(rule: Record<string, unknown>): string[] {
  return asList(rule.clientSelectors).flatMap((selector) => asList(asRecord(selector).headers))
    .map(asRecord)
    .filter((header) => String(header.name).toLowerCase() === teamHeader && (header.type ?? "Exact") === "Exact")
    .map((header) => String(header.value));
}

/**
 * With the inference gateway on, every team calls it with its own key and has exactly one request
 * limit there: a team without one could take every GPU behind the gateway, a team with two has a
 * limit nobody can read off its settings.
 */
export const teamsRateLimitedAtGateway: StackValidationPolicy = {
  name: "teams-rate-limited-at-gateway",
  description: "When the inference gateway is installed, every team has an API key at the gateway and exactly one request-rate limit.",
  enforcementLevel: "mandatory",
  // Its admission twins keep team routes and backends inside their limits (policy/admission.ts).
  configSchema: { properties: { ...admissionModeSchema } },
  validateStack: (args, reportViolation) => {
    const ofType = (type: string) => args.resources.filter((r) => r.type === type);
    const gateways = ofType("kubernetes:gateway.networking.k8s.io/v1:Gateway");
    if (gateways.length === 0) return;
    const gatewayNames = new Set(gateways.map((g) => `${metadataOf(g).namespace}/${metadataOf(g).name}`));
    const targetsGateway = (policy: (typeof args.resources)[number]) => asList(asRecord(propsOf(policy).spec).targetRefs).map(asRecord)
      .some((ref) => ref.kind === "Gateway" && gatewayNames.has(`${metadataOf(policy).namespace}/${String(ref.name)}`));

    const requestRules = ofType("kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy").filter(targetsGateway)
      .flatMap((policy) => asList(asRecord(asRecord(asRecord(propsOf(policy).spec).rateLimit).global).rules).map(asRecord))
      // Token budgets count the response; the request limit is the rule that costs each request one.
      .filter((rule) => asRecord(rule.cost).response === undefined);
    const credentials = ofType("kubernetes:gateway.envoyproxy.io/v1alpha1:SecurityPolicy").filter(targetsGateway)
      .flatMap((policy) => asList(asRecord(asRecord(propsOf(policy).spec).apiKeyAuth).credentialRefs).map((ref) => String(asRecord(ref).name)));

    for (const namespace of ofType("kubernetes:core/v1:Namespace")) {
      const { name, labels } = metadataOf(namespace);
      if (!name || labels[teamLabel] === undefined) continue;
      const limits = requestRules.filter((rule) => selectedTeams(rule).includes(name)).length;
      if (limits !== 1) {
        reportViolation(`Team "${name}" has ${limits} request limits at the inference gateway; it needs exactly one (addons.gateway.teamLimits or defaultTeamLimit).`, namespace.urn);
      }
      // Secret contents are hidden in a preview: the key is found by the Secret's name.
      if (!credentials.includes(gatewayKeySecretName(name))) {
        reportViolation(`Team "${name}" has no API key at the inference gateway, so it cannot call a model there.`, namespace.urn);
      }
    }
  },
};
