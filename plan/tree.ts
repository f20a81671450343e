import { Plan, PlannedResource } from "./program";

/** A readable tree of what `pulumi up` would create, then counts by type. */
export function renderTree(plan: Plan): string {
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const resource of plan.resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    for (const resource of children.get(parent) ?? []) {
      lines.push(`${indent}+ ${resource.type}  ${resource.name}${resource.protect ? "  [protected]" : ""}`);
      walk(resource.urn, `${indent}    `);
    }
  };
  walk(undefined, "");

  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const width = Math.max(...[...counts.keys()].map((type) => type.length));
  const table = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => `  ${type.padEnd(width)}  ${count}`);
  return [
    `Plan for stack "${plan.stack}": ${plan.resources.length} resources to create`,
    "",
    ...lines,
    "",
    "Resources by type:",
    ...table,
  ].join("\n");
}
