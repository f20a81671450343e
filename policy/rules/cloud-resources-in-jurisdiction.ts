import type { StackValidationPolicy } from "@pulumi/policy";
import { Jurisdiction, RegionCloud, jurisdictionIds, jurisdictionOf } from "../../stacks/jurisdictions";
import { Resource, cloudOf, platformTag, propsOf } from "../support";

/** Every field that places a resource somewhere, per cloud. Zones are checked by their region. */
function placements(resource: Resource): string[] {
  const props = propsOf(resource);
  const cloud = cloudOf(resource.type);
  const found: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === "string" && value.length > 0) found.push(value);
  };
  if (cloud === "aws") add(props.region);
  if (cloud === "gcp") {
    add(props.region);
    add(props.location);
    for (const zone of Array.isArray(props.nodeLocations) ? props.nodeLocations : []) add(String(zone).replace(/-[a-z]$/, ""));
  }
  if (cloud === "azure") add(props.location);
  return found;
}

/** GCP multi-regions and `global` are not in any jurisdiction's region list but are outside it too. */
function jurisdictionOfPlacement(cloud: RegionCloud, place: string): Jurisdiction | undefined {
  return jurisdictionOf(cloud, place.toLowerCase());
}

export const cloudResourcesInJurisdiction: StackValidationPolicy = {
  name: "cloud-resources-in-jurisdiction",
  description: "Every provider region and every resource location stays inside the stack's jurisdiction (its `jurisdiction` tag).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const jurisdiction = platformTag(args.resources, "jurisdiction");
    const clouds = args.resources.filter((r) => cloudOf(r.type) !== undefined);
    if (clouds.length === 0) return;
    if (!jurisdiction || !(jurisdictionIds as readonly string[]).includes(jurisdiction)) {
      reportViolation(`No resource carries a valid "jurisdiction" tag (got ${JSON.stringify(jurisdiction)}); set gpu-platform:jurisdiction so residency can be checked.`);
      return;
    }
    if (jurisdiction === "global") return;
    for (const resource of clouds) {
      const cloud = cloudOf(resource.type)!;
      for (const place of placements(resource)) {
        const home = jurisdictionOfPlacement(cloud, place);
        if (home !== jurisdiction) {
          reportViolation(
            `${resource.type} "${resource.name}" is placed in ${place}, ${home ? `in jurisdiction "${home}"` : "in no known jurisdiction"}, but the stack's data must stay in "${jurisdiction}". Move the stack to a region in "${jurisdiction}" or give this region its own stack.`,
            resource.urn,
          );
        }
      }
    }
  },
};
