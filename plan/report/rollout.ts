/**
 * How long a first `pulumi up` takes, modelled: every resource starts once its dependencies and
 * its provider exist (Pulumi runs everything else in parallel) and takes its typical creation time
 * (stacks/creation-times.ts). The longest chain is the critical path.
 */
import { creationSeconds, creationTimesAsOf } from "../../stacks/creation-times";
import { Plan, PlannedResource, waitsFor } from "../program";
import type { RolloutReport, RolloutStep } from "./model";

export function modelRollout(plan: Plan): RolloutReport {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const before = (r: PlannedResource) => waitsFor(r).filter((urn) => byUrn.has(urn) && urn !== r.urn);
  const finish = new Map<string, { at: number; via?: string }>();
  const visiting = new Set<string>();
  const finishOf = (r: PlannedResource): number => {
    const known = finish.get(r.urn);
    if (known) return known.at;
    // A cycle cannot happen in a Pulumi graph; count a repeat visit as already started.
    if (visiting.has(r.urn)) return 0;
    visiting.add(r.urn);
    let start = 0;
    let via: string | undefined;
    for (const urn of before(r)) {
      const at = finishOf(byUrn.get(urn)!);
      if (at > start) [start, via] = [at, urn];
    }
    const seconds = creationSeconds(r.type, typeof r.inputs.name === "string" ? r.inputs.name : undefined);
    finish.set(r.urn, { at: start + seconds, via });
    visiting.delete(r.urn);
    return start + seconds;
  };
  let last: PlannedResource | undefined;
  for (const r of plan.resources) {
    if (!last || finishOf(r) > finishOf(last)) last = r;
  }
  const path: RolloutStep[] = [];
  for (let at = last; at; at = finish.get(at.urn)?.via ? byUrn.get(finish.get(at.urn)!.via!) : undefined) {
    const seconds = creationSeconds(at.type, typeof at.inputs.name === "string" ? at.inputs.name : undefined);
    const end = finish.get(at.urn)!.at;
    if (seconds > 0) path.unshift({ urn: at.urn, type: at.type, name: at.name, minutes: seconds / 60, startsAt: (end - seconds) / 60 });
  }
  return { minutes: last ? finishOf(last) / 60 : 0, path, timesAsOf: creationTimesAsOf };
}
