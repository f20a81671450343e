/** PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql), for tests of queries. */
import { parser } from "@prometheus-io/lezer-promql";

/** The offset of the first syntax error, or undefined when the expression parses. */
export function syntaxError(expr: string): number | undefined {
  let at: number | undefined;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError && at === undefined) at = node.from;
    },
  });
  return at;
}

/** Each vector selector's metric name and the label names its matchers test. */
export function vectorSelectors(expr: string): { metric: string; labels: string[] }[] {
  const found: { metric: string; labels: string[] }[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name !== "VectorSelector") return;
      const metric = node.node.getChild("Identifier");
      const labels: string[] = [];
      node.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher").forEach((matcher) => {
        const label = matcher.getChild("LabelName");
        if (label) labels.push(expr.slice(label.from, label.to));
      });
      found.push({ metric: metric ? expr.slice(metric.from, metric.to) : "", labels });
    },
  });
  return found;
}

/** Every label name the expression uses: in matchers, groupings and vector matching alike. */
export function labelNames(expr: string): string[] {
  const found: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === "LabelName") found.push(expr.slice(node.from, node.to));
    },
  });
  return found;
}
