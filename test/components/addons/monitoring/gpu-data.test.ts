import { strict as assert } from "assert";
import { parser } from "@prometheus-io/lezer-promql";
import { gpuAlertGroups, GpuAlertRule } from "../../../../components/addons/monitoring/gpu-alerts";
import { gpuDashboard, gpuDashboardUid } from "../../../../components/addons/monitoring/gpu-dashboard";
import { syntaxError } from "../../../helpers/promql";

type Target = { refId: string; expr: string; datasource: { type: string; uid: string } };
type Panel = {
  id: number; type: string; title: string; description: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  fieldConfig: { defaults: { unit?: string } };
  targets: Target[];
};
type Variable = { name: string; type: string; query: unknown; multi?: boolean; includeAll?: boolean; allValue?: string };

const dashboard = () => gpuDashboard() as { uid: string; panels: Panel[]; templating: { list: Variable[] } };
const panels = () => dashboard().panels;
const rules = (idleHours = 12): GpuAlertRule[] => gpuAlertGroups({ idleHours }).flatMap((g) => g.rules);
const rule = (name: string, idleHours = 12) => rules(idleHours).find((r) => r.alert === name)!;

/** Grafana variables are not PromQL: `$x`/`${x}` become the text Grafana's "All" would put there. */
const substitute = (expr: string, value = ".*") => expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => (name.startsWith("__") ? "5m" : value));


function assertParses(expr: string, where: string) {
  assert.ok(expr.trim().length > 0, `${where}: empty expression`);
  const at = syntaxError(expr);
  assert.equal(at, undefined, `${where}: PromQL syntax error at ${at} in: ${expr}`);
}

/** The text of every vector selector (metric plus matchers) in an expression. */
function selectors(expr: string): string[] {
  const found: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === "VectorSelector") found.push(expr.slice(node.from, node.to));
    },
  });
  return found;
}

/** Labels kept by each aggregation's `by (...)` clause; `on (...)` matching is not an aggregation. */
function groupings(expr: string): string[][] {
  const found: string[][] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.name === "GroupingLabels" && node.node.parent?.name === "AggregateModifier") {
        const labels: string[] = [];
        node.node.getChildren("LabelName").forEach((l) => labels.push(expr.slice(l.from, l.to)));
        found.push(labels);
      }
    },
  });
  return found;
}

describe("PromQL checker", () => {
  it("rejects broken expressions, so passing expressions mean something", () => {
    for (const broken of ["sum(rate(x[5m])", "avg by (pool (x)", 'x{pool=~.*}', "x > ", "max_over_time(x[1.5h])", "not_a_function(x)"]) {
      assert.notEqual(syntaxError(broken), undefined, `accepted: ${broken}`);
    }
    assertParses("sum by (pool) (rate(x[5m])) > 0", "sanity");
  });

  it("substitutes Grafana variables with text that keeps the query valid", () => {
    assert.equal(substitute('x{pool=~"$pool"}'), 'x{pool=~".*"}');
    assert.equal(substitute('x{uid="${datasource}"}[$__rate_interval]'), 'x{uid=".*"}[5m]');
    // A variable outside a string is not valid PromQL once Grafana expands it, and must be caught.
    assert.notEqual(syntaxError(substitute("sum by ($pool) (x)")), undefined);
  });
});

describe("GPU dashboard", () => {
  it("is plain JSON with the uid other components link to", () => {
    const d = gpuDashboard();
    assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    assert.equal(d.uid, gpuDashboardUid);
    assert.equal(d.schemaVersion, 39);
    assert.equal(d.refresh, "1m");
    assert.deepEqual(d.time, { from: "now-6h", to: "now" });
  });

  it("has valid PromQL in every panel query", () => {
    const targets = panels().flatMap((p) => p.targets.map((t) => ({ p, t })));
    assert.ok(targets.length >= 8, "expected a query per panel");
    for (const { p, t } of targets) assertParses(substitute(t.expr), `panel "${p.title}" ${t.refId}`);
  });

  it("filters every metric in every query on the selected pools", () => {
    for (const p of panels()) {
      for (const t of p.targets) {
        // A sentinel rather than `.*`, so a hard-coded `pool=~".*"` would not pass for the variable.
        const expr = substitute(t.expr, "VAR");
        const sel = selectors(expr);
        assert.ok(sel.length > 0, `panel "${p.title}" has no metric`);
        for (const s of sel) assert.match(s, /\bpool=~"VAR"/, `panel "${p.title}": ${s} ignores $pool`);
      }
    }
  });

  it("filters per-team panels on the selected teams and leaves out idle GPUs", () => {
    const perTeam = panels().filter((p) => p.targets.some((t) => groupings(t.expr).some((g) => g.includes("team"))));
    assert.ok(perTeam.length >= 2, "expected the per-team panels");
    for (const p of perTeam) {
      for (const t of p.targets) {
        for (const s of selectors(substitute(t.expr, "VAR"))) {
          assert.match(s, /\bteam=~"VAR"/, `panel "${p.title}": ${s} ignores $team`);
          assert.match(s, /\bteam!=""/, `panel "${p.title}": ${s} would show idle GPUs as a nameless team`);
        }
      }
    }
  });

  it("gives every panel a unique id, the selectable data source, a unit and a description", () => {
    const ps = panels();
    assert.equal(new Set(ps.map((p) => p.id)).size, ps.length, "duplicate panel id");
    for (const p of ps) {
      assert.deepEqual(p.datasource, { type: "prometheus", uid: "${datasource}" }, p.title);
      for (const t of p.targets) assert.deepEqual(t.datasource, p.datasource, p.title);
      assert.equal(new Set(p.targets.map((t) => t.refId)).size, p.targets.length, `${p.title}: duplicate refId`);
      assert.ok(p.fieldConfig.defaults.unit, `${p.title}: no unit`);
      assert.ok(p.description.length > 20, `${p.title}: no description`);
    }
  });

  it("lays panels out inside the 24-column grid without overlaps", () => {
    const ps = panels();
    for (const p of ps) assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.h > 0, p.title);
    for (const a of ps) {
      for (const b of ps) {
        if (a.id >= b.id) continue;
        const apart =
          a.gridPos.x + a.gridPos.w <= b.gridPos.x || b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
          a.gridPos.y + a.gridPos.h <= b.gridPos.y || b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        assert.ok(apart, `"${a.title}" overlaps "${b.title}"`);
      }
    }
  });

  it("lists XID errors per GPU with host, index and pool", () => {
    const table = panels().find((p) => p.type === "table" && p.title === "XID errors");
    assert.ok(table, "no XID errors table");
    const [target] = table.targets;
    assert.ok(groupings(target.expr).length > 0, "the table query does not group per GPU");
    for (const label of ["node", "gpu", "pool"]) {
      assert.ok(groupings(target.expr).every((g) => g.includes(label)), `the table drops ${label}`);
    }
    assert.match(target.expr, /DCGM_FI_DEV_XID_ERRORS/);
  });

  it("offers pool and team as multi-select variables whose 'All' matches everything", () => {
    const vars = dashboard().templating.list;
    assert.equal(vars.find((v) => v.name === "datasource")?.type, "datasource");
    for (const name of ["pool", "team"]) {
      const v = vars.find((x) => x.name === name);
      assert.ok(v, `no ${name} variable`);
      assert.equal(v.type, "query");
      assert.equal(v.multi, true);
      assert.equal(v.includeAll, true);
      assert.equal(v.allValue, ".*");
      const query = (v.query as { query: string }).query;
      const m = /^label_values\((.+), (\w+)\)$/.exec(query);
      assert.ok(m, `${name}: not a label_values query: ${query}`);
      assert.equal(m[2], name);
      assertParses(substitute(m[1]), `${name} variable`);
      assert.match(m[1], /^DCGM_FI_DEV_GPU_UTIL\b/);
    }
  });
});

describe("GPU alerts", () => {
  it("has valid PromQL in every rule", () => {
    for (const r of rules()) assertParses(r.expr, `alert ${r.alert}`);
  });

  it("has the five GPU alerts, each named once, in named groups", () => {
    const groups = gpuAlertGroups({ idleHours: 12 });
    assert.equal(new Set(groups.map((g) => g.name)).size, groups.length, "duplicate group name");
    for (const g of groups) assert.ok(g.name && g.rules.length > 0, `empty group ${g.name}`);
    const names = rules().map((r) => r.alert);
    assert.equal(new Set(names).size, names.length, "duplicate alert name");
    assert.deepEqual([...names].sort(), ["GpuIdle", "GpuMemoryNearlyFull", "GpuMetricsMissing", "GpuNodeNotReady", "GpuXidError"]);
  });

  it("gives every alert a severity, a summary, a description and a valid duration", () => {
    for (const r of rules()) {
      assert.ok(["warning", "critical"].includes(r.labels.severity), `${r.alert}: severity ${r.labels.severity}`);
      assert.ok(r.annotations.summary.trim(), `${r.alert}: no summary`);
      assert.ok(r.annotations.description.trim(), `${r.alert}: no description`);
      assert.match(r.for, /^\d+[smh]$/, `${r.alert}: for ${r.for}`);
    }
  });

  it("only names labels in annotations that the expression keeps", () => {
    for (const r of rules()) {
      const text = `${r.annotations.summary} ${r.annotations.description}`;
      for (const [, label] of text.matchAll(/\$labels\.(\w+)/g)) {
        for (const g of groupings(r.expr)) assert.ok(g.includes(label), `${r.alert}: ${label} is aggregated away`);
      }
    }
  });

  it("says which GPU hit which XID", () => {
    const d = rule("GpuXidError").annotations.description;
    for (const part of ["{{ $value }}", "{{ $labels.node }}", "{{ $labels.gpu }}", "{{ $labels.pool }}"]) assert.ok(d.includes(part), part);
    assert.equal(rule("GpuXidError").labels.severity, "critical");
  });

  it("names hosts by the node label the platform's scrape sets, which no DCGM exporter version renames", () => {
    // dcgm-exporter renamed `Hostname` to `hostname` (NVIDIA/dcgm-exporter d5e5f51), the exporter
    // GPU Operator v26.7.0 pins; a query on either spelling would fold a pool into one series.
    const exprs = [...rules().map((r) => r.expr), ...panels().flatMap((p) => p.targets.map((t) => t.expr))];
    for (const expr of exprs) assert.doesNotMatch(expr, /\b[Hh]ostname\b/, expr);
    for (const r of rules().filter((x) => /gpu|node/.test(x.expr))) {
      for (const g of groupings(r.expr)) if (g.includes("pool") && !g.includes("team")) assert.ok(g.includes("node"), `${r.alert} groups per pool without the node`);
    }
  });

  it("measures idleness over the configured number of hours", () => {
    for (const hours of [1, 6, 168]) {
      const r = rule("GpuIdle", hours);
      const ranges = [...r.expr.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
      assert.deepEqual(ranges, [`${hours}h`], r.expr);
      assert.match(r.expr, /max_over_time\(/);
      assertParses(r.expr, `GpuIdle at ${hours}h`);
    }
  });

  it("rejects idle windows that are not a whole number of hours from 1 to 168", () => {
    for (const idleHours of [0, -1, 169, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => gpuAlertGroups({ idleHours }), /idleHours/, `accepted ${idleHours}`);
    }
  });
});
