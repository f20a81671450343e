/**
 * The plan report as one self-contained HTML page: inline CSS and an inline SVG graph, no script and
 * no URL outside the page, so it can be attached to a pull request or opened from disk offline.
 * A Content-Security-Policy that allows nothing but inline styles backs up the escaping: a string
 * from the stack that slipped through unescaped still could not run or fetch anything.
 */
import { formatUsd, formatUsdDelta } from "../../policy/cost";
import type { PolicyViolation } from "../policies";
import { leverSavings } from "./cold-start";
import type { PlanReport } from "./model";
import { renderGraphSvg } from "./svg";

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export { formatUsd, formatUsdDelta };

function formatMinutes(minutes: number): string {
  const rounded = Math.round(minutes * 10) / 10;
  return `${rounded} min`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

type Cell = string | { readonly html: string; readonly numeric?: boolean } | { readonly text: string; readonly numeric: boolean };

/** A table whose cells are escaped unless a cell says it is already HTML. */
function table(headers: readonly (string | { readonly text: string; readonly numeric: boolean })[], rows: readonly (readonly Cell[])[], caption?: string): string {
  const cls = (numeric: boolean | undefined) => (numeric ? ` class="num"` : "");
  const head = headers.map((h) => (typeof h === "string" ? `<th scope="col">${escapeHtml(h)}</th>` : `<th scope="col"${cls(h.numeric)}>${escapeHtml(h.text)}</th>`)).join("");
  const body = rows
    .map((row) => `<tr>${row.map((cell) => (typeof cell === "string" ? `<td>${escapeHtml(cell)}</td>` : "html" in cell ? `<td${cls(cell.numeric)}>${cell.html}</td>` : `<td${cls(cell.numeric)}>${escapeHtml(cell.text)}</td>`)).join("")}</tr>`)
    .join("\n");
  return `<table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ""}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

const num = (text: string) => ({ text, numeric: true });
const code = (text: string) => ({ html: `<code>${escapeHtml(text)}</code>` });

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-heading">\n<h2 id="${id}-heading">${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

function summarySection(report: PlanReport): string {
  const rows: [string, string][] = [
    ["Project", report.project],
    ["Stack", report.stack],
    ["Cloud", report.cloud],
    ["Region", report.region],
    ["Jurisdiction", report.jurisdiction],
    ["Environment", report.environment],
    ["Resources", String(report.resourceCount)],
  ];
  const body = `<table class="facts"><tbody>\n${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("\n")}\n</tbody></table>`;
  return section("summary", "Summary", body);
}

function graphSection(report: PlanReport): string {
  const body = `<p class="note">Each box is a part of the platform; an arrow points from a part to what needs it first in place.</p>\n<div class="graph">${renderGraphSvg(report.graph)}</div>`;
  return section("graph", "Platform", body);
}

function costSection(report: PlanReport): string {
  const { cost } = report;
  const totals = `<div class="figures">
<div class="figure"><span class="label">Idle, every pool at its floor</span><span class="value" data-figure="idle-monthly">${escapeHtml(formatUsd(cost.idleMonthly))}</span><span class="unit">${escapeHtml(cost.currency)} a month</span></div>
<div class="figure"><span class="label">Worst case, every pool at its bound</span><span class="value" data-figure="worst-case-monthly">${escapeHtml(formatUsd(cost.worstCaseMonthly))}</span><span class="unit">${escapeHtml(cost.currency)} a month</span></div>
</div>`;
  const lines = cost.lines.length === 0
    ? `<p class="empty">No priced items.</p>`
    : table(
        ["Item", "Kind", num("Idle / month"), num("Worst case / month"), "Basis"],
        [
          ...cost.lines.map((line) => [line.item, line.kind, num(formatUsd(line.idleMonthly)), num(formatUsd(line.worstCaseMonthly)), line.basis]),
          [{ html: "<strong>Total</strong>" }, "", { html: `<strong>${escapeHtml(formatUsd(cost.idleMonthly))}</strong>`, numeric: true }, { html: `<strong>${escapeHtml(formatUsd(cost.worstCaseMonthly))}</strong>`, numeric: true }, ""],
        ],
        "Monthly cost by item",
      );
  const perTeam = cost.perTeam.length === 0
    ? `<p class="empty">No team has a GPU quota.</p>`
    : table(["Team", num("GPU quota"), num("Worst case / month")], cost.perTeam.map((t) => [t.team, num(String(t.gpus)), num(formatUsd(t.worstCaseMonthly))]), "What each team's GPU quota can cost at most");
  const atZero = cost.modelsAtZero.length === 0 ? "" : [
    `<h3>Idle models: min 0 or min 1</h3>`,
    table(["Pool", "Node kept for min 1", num("Idle at min 0"), num("Idle at min 1")], cost.modelsAtZero.map((m) => [m.pool, code(m.machine), num(formatUsd(m.idleAtMin0Monthly)), num(formatUsd(m.idleAtMin1Monthly))]), "A pool's monthly cost with its models scaled to zero, or kept at one replica"),
  ].join("\n");
  const notes = cost.notes.length === 0 ? "" : `<ul class="notes">${cost.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>`;
  const body = [
    totals,
    lines,
    `<h3>Per team</h3>`,
    perTeam,
    atZero,
    `<p class="asof">On-demand list prices in ${escapeHtml(cost.region)}, as of ${escapeHtml(cost.pricesAsOf)}.</p>`,
    notes,
  ].join("\n");
  return section("cost", "Cost", body);
}

function rolloutSection(report: PlanReport): string {
  const { rollout } = report;
  const steps = rollout.path.length === 0
    ? `<p class="empty">Nothing to wait for.</p>`
    : `<ol class="path">\n${rollout.path
        .map((step) => `<li><span class="step-name">${escapeHtml(step.name)}</span> <code>${escapeHtml(step.type)}</code> <span class="timing">starts at minute ${escapeHtml(String(Math.round(step.startsAt * 10) / 10))}, takes ${escapeHtml(formatMinutes(step.minutes))}</span></li>`)
        .join("\n")}\n</ol>`;
  const body = [
    `<div class="figures"><div class="figure"><span class="label">Modelled <code>pulumi up</code></span><span class="value" data-figure="rollout-minutes">${escapeHtml(formatMinutes(rollout.minutes))}</span><span class="unit">on the critical path</span></div></div>`,
    `<h3>Critical path</h3>`,
    steps,
    `<p class="asof">Creation times as of ${escapeHtml(rollout.timesAsOf)}.</p>`,
  ].join("\n");
  return section("rollout", "Rollout", body);
}

function accessSection(report: PlanReport): string {
  const access = report.apiAccess;
  const paths = !access ? `<p class="empty">No cluster in the plan.</p>`
    : access.paths.length === 0 ? `<p class="empty" data-access="none">No way in from outside the cluster's own network.</p>`
    : `<ul>${access.paths.map((p) => `<li data-access="${escapeHtml(p.kind)}">${escapeHtml(p.description)}</li>`).join("")}</ul>`;
  const admin = access ? `<p>Admin: ${escapeHtml(access.deployerAdmin ?? "nothing makes the deployer admin")}</p>` : "";
  const g = report.gateway;
  const gateway = !g ? "" : [
    `<h3>Inference gateway</h3>`,
    `<ul><li>Endpoint: <code>${escapeHtml(g.endpoint)}</code></li><li data-gateway-exposure>Exposure: ${escapeHtml(g.exposure)}</li><li>TLS: ${escapeHtml(g.tls)}</li></ul>`,
    g.teams.length === 0 ? "" : table(["Team", "Requests / minute", "Tokens / minute"], g.teams.map((t) => [t.team, String(t.requestsPerMinute ?? "none"), String(t.tokensPerMinute ?? "no budget")])),
  ].join("\n");
  const conf = report.conformance;
  const conformanceTable = !conf ? "" : [
    `<h3>Kubernetes AI Conformance (v${escapeHtml(conf.minor)})</h3>`,
    table(["Requirement", "Level", "Status", "Met by, or what to change"], conf.rows.map((r) => [code(r.id), r.level, r.status, r.status === "met" ? r.evidence.join("; ") : r.fix ?? ""]), "Each requirement of the checklist for the stack's Kubernetes minor"),
  ].join("\n");
  const cold = report.coldStart;
  const coldStart = !cold ? "" : [
    `<h3>Cold start (model, figures as of ${escapeHtml(cold.asOf)})</h3>`,
    table(["Pool", "GPU", "Runtime", "Steps", num("Total"), "Goal"], cold.rows.map((r) => [r.pool, r.gpu, r.runtime, r.steps.map((s) => `${s.step} ${s.seconds} s`).join("; "), num(`${r.seconds} s`), r.meetsGoal ? "met" : "missed"]), `From zero to an 8B model's first answer; goal ${cold.goalSeconds} s`),
    table(["Lever", "Setting", "State", "Saves per pool"], cold.levers.map((l) => [l.lever, code(l.setting), l.why ? `${l.state}: ${l.why}` : l.state, leverSavings(l)]), "What shortens it, and by how much"),
  ].join("\n");
  const admission = report.admission.length === 0 ? "" : [
    `<h3>Admission policies</h3>`,
    table(["Policy", "Mirrors rule", "Mode", "Applies to"], report.admission.map((a) => [code(a.name), a.mirrors, a.actions.join(" + "), a.scope]), "The pack's rules the API server enforces after pulumi up"),
  ].join("\n");
  const destroy = report.destroy.length === 0 ? "" : `<h3>On destroy</h3><ul>${report.destroy.map((step) => `<li>${escapeHtml(step)}</li>`).join("")}</ul>`;
  return section("access", "Access", `${paths}\n${admin}\n${gateway}\n${conformanceTable}\n${coldStart}\n${admission}\n${destroy}`);
}

function addonsSection(report: PlanReport): string {
  const body = report.addons.length === 0
    ? `<p class="empty">No Helm releases.</p>`
    : table(["Release", "Chart", "Version", "Namespace"], report.addons.map((a) => [a.release, a.chart, code(a.version), a.namespace]));
  return section("addons", "Add-ons", body);
}

function policiesSection(report: PlanReport): string {
  const { policies } = report;
  const levels = new Map<string, number>();
  for (const rule of policies.policies) levels.set(rule.enforcementLevel, (levels.get(rule.enforcementLevel) ?? 0) + 1);
  const levelText = [...levels.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([level, count]) => `${count} ${level}`).join(", ");
  const intro = `<p>${escapeHtml(plural(policies.policies.length, "rule"))} evaluated${levelText ? ` (${escapeHtml(levelText)})` : ""}${policies.configFile ? `, config <code>${escapeHtml(policies.configFile)}</code>` : ""}.</p>`;
  let violations: string;
  if (policies.violations.length === 0) {
    violations = `<p class="ok">No violations.</p>`;
  } else {
    const byRule = new Map<string, PolicyViolation[]>();
    for (const v of policies.violations) byRule.set(v.policyName, [...(byRule.get(v.policyName) ?? []), v]);
    const mandatory = policies.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    violations = [
      `<p class="${mandatory > 0 ? "bad" : "warn"}">${escapeHtml(plural(policies.violations.length, "violation"))}, ${mandatory} mandatory.</p>`,
      ...[...byRule.entries()].map(([rule, found]) => {
        const level = found[0].enforcementLevel;
        const items = found.map((v) => `<li>${escapeHtml(v.message)}${v.urn ? `<br><code class="urn">${escapeHtml(v.urn)}</code>` : ""}</li>`).join("\n");
        return `<div class="rule level-${escapeHtml(level)}"><h3><span class="level">${escapeHtml(level)}</span> ${escapeHtml(rule)}</h3>\n<ul>\n${items}\n</ul></div>`;
      }),
    ].join("\n");
  }
  return section("policies", "Policies", `${intro}\n${violations}`);
}

function resourcesSection(report: PlanReport): string {
  const rows = [...report.resourcesByType].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)).map((r) => [code(r.type), num(String(r.count))]);
  const body = rows.length === 0
    ? `<p class="empty">No resources.</p>`
    : table(["Type", num("Count")], [...rows, [{ html: "<strong>Total</strong>" }, { html: `<strong>${report.resourceCount}</strong>`, numeric: true }]]);
  return section("resources", "Resources by type", body);
}

function diffSection(report: PlanReport): string {
  const diff = report.diff!;
  const list = (urns: readonly string[], empty: string) => (urns.length === 0 ? `<p class="empty">${escapeHtml(empty)}</p>` : `<ul class="urns">\n${urns.map((u) => `<li><code>${escapeHtml(u)}</code></li>`).join("\n")}\n</ul>`);
  const deltas: [string, number | undefined][] = [["Idle / month", diff.idleMonthlyDelta], ["Worst case / month", diff.worstCaseMonthlyDelta]];
  const shown = deltas.filter((d): d is [string, number] => d[1] !== undefined);
  const body = [
    `<p>Against <code>${escapeHtml(diff.against)}</code>: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed.</p>`,
    shown.length === 0 ? "" : table(["Cost", num("Change")], shown.map(([label, delta]) => [label, { html: `<span class="${delta > 0 ? "up" : delta < 0 ? "down" : ""}">${escapeHtml(formatUsdDelta(delta))}</span>`, numeric: true }])),
    `<h3>Added</h3>`,
    list(diff.added, "Nothing added."),
    `<h3>Removed</h3>`,
    list(diff.removed, "Nothing removed."),
    `<h3>Changed</h3>`,
    diff.changed.length === 0
      ? `<p class="empty">Nothing changed.</p>`
      : `<ul class="urns">\n${diff.changed.map((c) => `<li><code>${escapeHtml(c.urn)}</code>${c.fields.length ? `: ${c.fields.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")}` : ""}${c.replaces.length ? ` <strong>replaces it</strong> (${c.replaces.map((f) => `<code>${escapeHtml(f)}</code>`).join(", ")})` : ""}</li>`).join("\n")}\n</ul>`,
  ].filter((part) => part !== "").join("\n");
  return section("diff", "Changes", body);
}

const css = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6470; --line: #d9dee5; --bg: #ffffff; --panel: #f6f8fa; --accent: #2f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
nav { margin-top: 10px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; }
main { padding: 8px 32px 40px; max-width: 1400px; }
section { margin-top: 24px; }
h2 { font-size: 18px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
caption { text-align: left; color: var(--muted); font-size: 12px; padding-bottom: 4px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
table.facts th { background: var(--panel); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.graph { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
.graph svg { display: block; max-width: 100%; height: auto; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0 12px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; background: var(--panel); min-width: 220px; }
.figure .label { display: block; color: var(--muted); font-size: 12px; }
.figure .value { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .unit { display: block; color: var(--muted); font-size: 12px; }
.note, .asof, .empty { color: var(--muted); }
ol.path li { margin: 2px 0; }
.timing { color: var(--muted); }
.ok { color: #1f7a3a; font-weight: 600; }
.warn { color: #a86a00; font-weight: 600; }
.bad { color: #a83232; font-weight: 600; }
.rule h3 .level { display: inline-block; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px; border-radius: 4px; background: #eef2f7; margin-right: 6px; }
.rule.level-mandatory h3 .level { background: #fde4e4; color: #a83232; }
.rule.level-advisory h3 .level { background: #fdf0d8; color: #a86a00; }
.up { color: #a83232; }
.down { color: #1f7a3a; }
ul.urns { padding-left: 20px; }
@media print { .graph { overflow: visible; border: none; } nav { display: none; } }
`;

export function renderHtml(report: PlanReport): string {
  const sections: [string, string, string][] = [
    ["summary", "Summary", summarySection(report)],
    ["graph", "Platform", graphSection(report)],
    ["cost", "Cost", costSection(report)],
    ["rollout", "Rollout", rolloutSection(report)],
    ["access", "Access", accessSection(report)],
    ["addons", "Add-ons", addonsSection(report)],
    ["policies", "Policies", policiesSection(report)],
    ["resources", "Resources", resourcesSection(report)],
    ...(report.diff ? [["diff", "Changes", diffSection(report)] as [string, string, string]] : []),
  ];
  const title = `Plan: ${report.stack}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`${report.project} · ${report.cloud} ${report.region} · ${report.jurisdiction} · ${report.environment} · ${plural(report.resourceCount, "resource")}`)}</p>
<nav aria-label="Sections">${sections.map(([id, label]) => `<a href="#${id}">${escapeHtml(label)}</a>`).join("")}</nav>
</header>
<main>
${sections.map(([, , html]) => html).join("\n")}
</main>
</body>
</html>
`;
}
