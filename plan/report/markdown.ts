/** The report as Markdown for a pull request comment; GitHub renders the Mermaid graph. */
import { formatUsd as usd, formatUsdDelta as signedUsd } from "../../policy/cost";
import { leverSavings } from "./cold-start";
import type { PlanReport, ReportGraph } from "./model";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

const mermaidShapes: Record<string, [string, string]> = {
  network: ["[/", "/]"], cluster: ["[[", "]]"], "system-nodes": ["[", "]"], "gpu-pool": ["{{", "}}"],
  autoscaler: ["([", "])"], addon: ["(", ")"], team: [">", "]"], storage: ["[(", ")]"],
};

/** Mermaid flowchart of the platform graph; ids are made safe, labels quoted. */
export function mermaid(graph: ReportGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const node of graph.nodes) {
    const [open, close] = mermaidShapes[node.kind] ?? ["[", "]"];
    lines.push(`  ${ids.get(node.id)}${open}"${node.label.replace(/"/g, "#quot;")}"${close}`);
  }
  for (const edge of graph.edges) {
    if (ids.has(edge.from) && ids.has(edge.to)) lines.push(`  ${ids.get(edge.from)} --> ${ids.get(edge.to)}`);
  }
  return lines.join("\n");
}

export function renderMarkdown(report: PlanReport): string {
  const out: string[] = [];
  const { cost, rollout, policies } = report;
  out.push(`## Plan: ${report.stack}`, "");
  out.push("| Cloud | Region | Jurisdiction | Environment | Resources | Idle / month | Worst case / month | First rollout |");
  out.push("|---|---|---|---|---|---|---|---|");
  out.push(`| ${report.cloud} | ${report.region} | ${report.jurisdiction} | ${report.environment} | ${report.resourceCount} | ${usd(cost.idleMonthly)} | ${usd(cost.worstCaseMonthly)} | ${rollout.minutes.toFixed(0)} min |`, "");

  if (report.diff) {
    const d = report.diff;
    out.push(`### Change against ${d.against}`, "");
    out.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed.`);
    if (d.worstCaseMonthlyDelta !== undefined) out.push(`Cost: idle ${signedUsd(d.idleMonthlyDelta ?? 0)} a month, worst case ${signedUsd(d.worstCaseMonthlyDelta)} a month.`);
    out.push("");
    for (const urn of d.added) out.push(`- added \`${urn}\``);
    for (const urn of d.removed) out.push(`- removed \`${urn}\``);
    for (const c of d.changed) {
      const replacement = c.replaces.length > 0 ? ` — **replaces it** (${c.replaces.join(", ")})` : "";
      out.push(`- changed \`${c.urn}\`: ${c.fields.join(", ")}${replacement}`);
    }
    out.push("");
  }

  out.push("### Platform", "", "```mermaid", mermaid(report.graph), "```", "");

  if (report.apiAccess) {
    out.push("### How `pulumi up` reaches the API", "");
    if (report.apiAccess.paths.length === 0) out.push("- **No way in** from outside the cluster's own network.");
    for (const path of report.apiAccess.paths) out.push(`- ${cell(path.description)}`);
    out.push(`- Admin: ${cell(report.apiAccess.deployerAdmin ?? "nothing makes the deployer admin")}`, "");
  }
  if (report.gateway) {
    const g = report.gateway;
    out.push("### Inference gateway", "", `- Endpoint: \`${g.endpoint}\` (each model also at \`https://<name>-<team>.${g.hostnames[0]}\`)`, `- Exposure: ${cell(g.exposure)}`, `- TLS: ${cell(g.tls)}`, "");
    if (g.teams.length > 0) {
      out.push("| Team | Requests / minute | Tokens / minute |", "|---|---:|---:|");
      for (const t of g.teams) out.push(`| ${cell(t.team)} | ${t.requestsPerMinute ?? "**none**"} | ${t.tokensPerMinute ?? "no budget"} |`);
      out.push("");
    }
  }
  if (report.conformance) {
    const c = report.conformance;
    out.push(`### Kubernetes AI Conformance (v${c.minor} checklist)`, "", "| Requirement | Level | Status | Met by, or what to change |", "|---|---|---|---|");
    for (const row of c.rows) out.push(`| ${row.id} | ${row.level} | ${row.status} | ${cell(row.status === "met" ? row.evidence.join("; ") : row.fix ?? "")} |`);
    out.push("");
  }
  if (report.coldStart) {
    const c = report.coldStart;
    out.push(`### Cold start: from zero to a first answer (model, figures as of ${c.asOf})`, "",
      `Reference: a model of ${c.modelGB} GB of weights (16 GB is 8B parameters at 16 bits); goal ${c.goalSeconds} s for 8B. A pool with baselineNodes starts from its warm node.`, "",
      "| Pool | GPU | Runtime | Steps | Total | Goal |", "|---|---|---|---|---:|---|");
    for (const r of c.rows) {
      out.push(`| ${cell(r.pool)} | ${cell(r.gpu)} | ${cell(r.runtime)} | ${cell(r.steps.map((s) => `${s.step} ${s.seconds} s (${s.basis})`).join("; "))} | ${r.seconds} s | ${r.meetsGoal ? "met" : "missed"} |`);
    }
    out.push("", "| Lever | Setting | State | Saves per pool |", "|---|---|---|---|");
    for (const l of c.levers) out.push(`| ${cell(l.lever)} | ${cell(l.setting)} | ${cell(l.why ? `${l.state}: ${l.why}` : l.state)} | ${cell(leverSavings(l))} |`);
    if (c.imageDiskImages.length > 0) out.push("", `An image disk (coldStart.imageDisk) must hold: ${c.imageDiskImages.map((i) => `\`${i}\``).join(", ")}.`);
    out.push("");
  }
  if (report.admission.length > 0) {
    out.push("### Admission policies (in the cluster)", "", "| Policy | Mirrors rule | Mode | Applies to |", "|---|---|---|---|");
    for (const a of report.admission) out.push(`| ${cell(a.name)} | ${cell(a.mirrors)} | ${cell(a.actions.join(" + "))} | ${cell(a.scope)} |`);
    out.push("");
  }
  if (report.destroy.length > 0) {
    out.push("### On destroy", "");
    for (const step of report.destroy) out.push(`- ${cell(step)}`);
    out.push("");
  }

  out.push(`### Cost (USD, prices as of ${cost.pricesAsOf}, ${cost.region})`, "");
  if (cost.lines.length > 0) {
    out.push("| Item | Idle / month | Worst case / month | Basis |", "|---|---:|---:|---|");
    for (const line of cost.lines) out.push(`| ${cell(line.item)} | ${usd(line.idleMonthly)} | ${usd(line.worstCaseMonthly)} | ${cell(line.basis)} |`);
    out.push(`| **Total** | **${usd(cost.idleMonthly)}** | **${usd(cost.worstCaseMonthly)}** | |`, "");
  }
  if (cost.modelsAtZero.length > 0) {
    out.push("Idle models: what a pool costs a month with its models at min 0 (the first request waits for a node) or min 1 (a node stays up).", "", "| Pool | Node kept for min 1 | Idle at min 0 | Idle at min 1 |", "|---|---|---:|---:|");
    for (const m of cost.modelsAtZero) out.push(`| ${cell(m.pool)} | ${cell(m.machine)} | ${usd(m.idleAtMin0Monthly)} | ${usd(m.idleAtMin1Monthly)} |`);
    out.push("");
  }
  if (cost.perTeam.length > 0) {
    out.push("| Team | GPU quota | At most / month |", "|---|---:|---:|");
    for (const team of cost.perTeam) out.push(`| ${cell(team.team)} | ${team.gpus} | ${usd(team.worstCaseMonthly)} |`);
    out.push("");
  }
  for (const note of cost.notes) out.push(`- ${note}`);
  out.push("");

  out.push(`### Modelled first rollout: ${rollout.minutes.toFixed(1)} minutes`, "");
  out.push(`Critical path (typical creation times as of ${rollout.timesAsOf}; everything else runs beside it):`, "");
  out.push("| Starts at (min) | Takes (min) | Resource |", "|---:|---:|---|");
  for (const step of rollout.path) out.push(`| ${step.startsAt.toFixed(1)} | ${step.minutes.toFixed(1)} | \`${step.type}\` ${cell(step.name)} |`);
  out.push("");

  out.push("### Add-ons", "", "| Release | Chart | Version | Namespace |", "|---|---|---|---|");
  for (const a of report.addons) out.push(`| ${a.release} | ${cell(a.chart)} | ${a.version} | ${a.namespace} |`);
  out.push("");

  const active = policies.policies.filter((p) => p.enforcementLevel !== "disabled").length;
  out.push(`### Policies: ${active} rules, ${policies.violations.length} violation(s)`, "");
  if (policies.violations.length === 0) out.push("No violations.");
  for (const v of policies.violations) out.push(`- **${v.enforcementLevel}** \`${v.policyName}\`: ${v.message}`);
  out.push("");

  out.push("<details><summary>Resources by type</summary>", "", "| Type | Count |", "|---|---:|");
  for (const r of report.resourcesByType) out.push(`| \`${r.type}\` | ${r.count} |`);
  out.push("", "</details>", "");
  return out.join("\n");
}
