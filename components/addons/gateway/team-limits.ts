import type { PlatformConfig } from "../../../stacks/load";
import type { TeamLimit } from "../../../stacks/schema";
import { teamHeader, tokenCostMetadata } from "./names";

/** Every team's limit at the gateway: its own entry in teamLimits, or the stack's default. */
export function teamLimits(config: PlatformConfig): { team: string; limit: TeamLimit; isDefault: boolean }[] {
  const { defaultTeamLimit, teamLimits: own } = config.addons.gateway;
  return config.teams.map((team) => ({ team: team.name, limit: own[team.name] ?? defaultTeamLimit, isDefault: own[team.name] === undefined }));
}

const callerIs = (team: string) => [{ headers: [{ name: teamHeader, type: "Exact", value: team }] }];

/**
 * Envoy Gateway global rate-limit rules: per team one request bucket and, where set, one token
 * bucket, each shared by every route on the Gateway so a team's calls add up across models. The
 * token rule costs nothing on the way in (it only checks the bucket) and the response's total
 * tokens on the way out, so a team past its budget gets 429 on its next request.
 */
export function rateLimitRules(limits: ReturnType<typeof teamLimits>): Record<string, unknown>[] {
  return limits.flatMap(({ team, limit }) => [
    { clientSelectors: callerIs(team), limit: { requests: limit.requestsPerMinute, unit: "Minute" }, shared: true },
    ...(limit.tokensPerMinute === undefined ? [] : [{
      clientSelectors: callerIs(team),
      limit: { requests: limit.tokensPerMinute, unit: "Minute" },
      shared: true,
      cost: {
        request: { from: "Number", number: 0 },
        response: { from: "Metadata", metadata: { ...tokenCostMetadata } },
      },
    }]),
  ]);
}
