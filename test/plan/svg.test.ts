import { strict as assert } from "assert";
import type { ReportGraph, ReportGraphNode } from "../../plan/report/model";
import { renderGraphSvg } from "../../plan/report/svg";

/** The shape the report builder draws for an EKS dev stack: a DAG with a long edge and a fan-out. */
const platform: ReportGraph = {
  nodes: [
    { id: "team:ml", label: "Team ml", kind: "team" },
    { id: "vpc", label: "VPC", kind: "network" },
    { id: "cluster", label: "EKS control plane", kind: "cluster" },
    { id: "system", label: "System node group", kind: "system-nodes" },
    { id: "karpenter", label: "Karpenter", kind: "autoscaler" },
    { id: "pool:l4", label: "GPU pool l4", kind: "gpu-pool" },
    { id: "pool:h100", label: "GPU pool h100", kind: "gpu-pool" },
    { id: "ebs", label: "gp3-encrypted", kind: "storage" },
    { id: "cert-manager", label: "cert-manager", kind: "addon" },
    { id: "kserve", label: "KServe", kind: "addon" },
    { id: "kueue", label: "Kueue", kind: "addon" },
    { id: "prometheus", label: "kube-prometheus-stack", kind: "addon" },
  ],
  edges: [
    { from: "vpc", to: "cluster" },
    { from: "cluster", to: "system" },
    { from: "cluster", to: "ebs" },
    { from: "system", to: "karpenter" },
    { from: "karpenter", to: "pool:l4" },
    { from: "karpenter", to: "pool:h100" },
    { from: "system", to: "cert-manager" },
    { from: "cert-manager", to: "kserve" },
    { from: "cert-manager", to: "kueue" },
    { from: "ebs", to: "prometheus" },
    { from: "system", to: "prometheus" },
    { from: "kueue", to: "team:ml" },
    { from: "kserve", to: "team:ml" },
    { from: "vpc", to: "team:ml" },
  ],
};

interface DrawnNode {
  id: string;
  className: string;
  /** Left edge of the box. */
  x: number;
  y: number;
  /** Horizontal centre: the same for every node of a column, whatever its width. */
  centre: number;
}

const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

function drawnNodes(svg: string): DrawnNode[] {
  return [...svg.matchAll(/<g class="(node [^"]*)" data-node-id="([^"]*)" transform="translate\(([-\d.]+) ([-\d.]+)\)">.*?<text x="([\d.]+)"/g)].map((m) => ({
    className: m[1],
    id: unescape(m[2]),
    x: Number(m[3]),
    y: Number(m[4]),
    centre: Math.round(Number(m[3]) + Number(m[5])),
  }));
}

function drawnEdges(svg: string): { from: string; to: string }[] {
  return [...svg.matchAll(/<path class="edge[^"]*" data-from="([^"]*)" data-to="([^"]*)"/g)].map((m) => ({ from: unescape(m[1]), to: unescape(m[2]) }));
}

/** Outside of text content and attribute values, only markup characters may appear. */
function textContents(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]));
}

describe("platform graph SVG", () => {
  it("draws every node and every edge exactly once", () => {
    const svg = renderGraphSvg(platform);
    const nodes = drawnNodes(svg);
    assert.deepEqual(nodes.map((n) => n.id).sort(), platform.nodes.map((n) => n.id).sort());
    const edges = drawnEdges(svg).map((e) => `${e.from}->${e.to}`);
    assert.deepEqual([...edges].sort(), platform.edges.map((e) => `${e.from}->${e.to}`).sort());
  });

  it("classes each node by its kind so the page can style and tests can find it", () => {
    const nodes = drawnNodes(renderGraphSvg(platform));
    for (const node of platform.nodes) {
      assert.equal(nodes.find((n) => n.id === node.id)!.className, `node kind-${node.kind}`);
    }
  });

  it("places every edge's source in a column left of its target", () => {
    const nodes = new Map(drawnNodes(renderGraphSvg(platform)).map((n) => [n.id, n]));
    for (const edge of platform.edges) {
      assert.ok(nodes.get(edge.from)!.x < nodes.get(edge.to)!.x, `${edge.from} (x=${nodes.get(edge.from)!.x}) should be left of ${edge.to} (x=${nodes.get(edge.to)!.x})`);
    }
  });

  it("puts a node in the column of its longest path from a source", () => {
    const nodes = new Map(drawnNodes(renderGraphSvg(platform)).map((n) => [n.id, n]));
    const columns = [...new Set([...nodes.values()].map((n) => n.centre))].sort((a, b) => a - b);
    assert.equal(columns.length, 6);
    // vpc → cluster → system → cert-manager → kueue → team:ml, although vpc → team:ml is direct.
    const column = (id: string) => columns.indexOf(nodes.get(id)!.centre);
    assert.equal(column("vpc"), 0);
    assert.equal(column("cluster"), 1);
    assert.equal(column("prometheus"), 3);
    assert.equal(column("team:ml"), 5);
  });

  it("orders a layer so that a simple fan-out does not cross", () => {
    // Input order invites crossings: a's children listed after b's.
    const graph: ReportGraph = {
      nodes: [
        { id: "a", label: "a", kind: "cluster" },
        { id: "b", label: "b", kind: "cluster" },
        { id: "b1", label: "b1", kind: "addon" },
        { id: "a1", label: "a1", kind: "addon" },
        { id: "b2", label: "b2", kind: "addon" },
        { id: "a2", label: "a2", kind: "addon" },
      ],
      edges: [
        { from: "a", to: "a1" }, { from: "a", to: "a2" },
        { from: "b", to: "b1" }, { from: "b", to: "b2" },
      ],
    };
    const y = new Map(drawnNodes(renderGraphSvg(graph)).map((n) => [n.id, n.y]));
    const aBelow = y.get("a")! > y.get("b")!;
    for (const child of ["a1", "a2"]) for (const other of ["b1", "b2"]) assert.equal(y.get(child)! > y.get(other)!, aBelow, `${child} vs ${other}`);
  });

  it("escapes labels and ids, and never lets them open an element", () => {
    const graph: ReportGraph = {
      nodes: [
        { id: `x"><script>alert(1)</script>`, label: `<script>window.__pwned = 1</script> & "quotes" 'too'`, kind: "addon" },
        { id: "plain", label: "Tom & Jerry <3", kind: "team" },
      ],
      edges: [{ from: `x"><script>alert(1)</script>`, to: "plain" }],
    };
    const svg = renderGraphSvg(graph);
    assert.doesNotMatch(svg, /<script/i);
    assert.ok(textContents(svg).includes(`<script>window.__pwned = 1</script> & "quotes" 'too'`));
    assert.ok(textContents(svg).includes("Tom & Jerry <3"));
    assert.deepEqual(drawnNodes(svg).map((n) => n.id).sort(), graph.nodes.map((n) => n.id).sort());
    assert.deepEqual(drawnEdges(svg), [{ from: graph.nodes[0].id, to: "plain" }]);
  });

  it("has no script, no external reference and an accessible title", () => {
    const svg = renderGraphSvg(platform);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
    assert.match(svg, /<title id="plan-graph-title">Platform graph: 12 parts, 14 dependencies<\/title>/);
    assert.doesNotMatch(svg, /<script|<image|<foreignObject|href=|url\((?!#)|@import|on\w+=/i);
    const attributes = svg.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, "");
    assert.doesNotMatch(attributes, /https?:\/\//);
  });

  it("sizes the picture to its content", () => {
    const svg = renderGraphSvg(platform);
    const [, width, height] = svg.match(/width="([\d.]+)" height="([\d.]+)" viewBox="0 0 ([\d.]+) ([\d.]+)"/)!.map(Number);
    const nodes = drawnNodes(svg);
    assert.ok(width > Math.max(...nodes.map((n) => n.x)), "wider than the rightmost node's left edge");
    assert.ok(height > Math.max(...nodes.map((n) => n.y)) + 36, "taller than the lowest node");
    const small = renderGraphSvg({ nodes: platform.nodes.slice(0, 1), edges: [] });
    assert.ok(Number(small.match(/width="([\d.]+)"/)![1]) < width);
  });

  it("gives the same bytes for the same graph", () => {
    assert.equal(renderGraphSvg(platform), renderGraphSvg(platform));
    const copy: ReportGraph = JSON.parse(JSON.stringify(platform));
    assert.equal(renderGraphSvg(copy), renderGraphSvg(platform));
  });

  it("breaks a cycle instead of looping, and still draws every edge", () => {
    const graph: ReportGraph = {
      nodes: [
        { id: "a", label: "A", kind: "cluster" },
        { id: "b", label: "B", kind: "addon" },
        { id: "c", label: "C", kind: "addon" },
        { id: "d", label: "D", kind: "team" },
      ],
      edges: [
        { from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" },
        { from: "c", to: "d" }, { from: "d", to: "d" },
      ],
    };
    const svg = renderGraphSvg(graph);
    assert.equal(drawnNodes(svg).length, 4);
    assert.deepEqual(drawnEdges(svg).map((e) => `${e.from}->${e.to}`).sort(), ["a->b", "b->c", "c->a", "c->d", "d->d"]);
    assert.match(svg, /class="edge reversed" data-from="c" data-to="a"/);
  });

  it("ignores duplicate nodes and edges and edges to unknown nodes", () => {
    const nodes: ReportGraphNode[] = [{ id: "a", label: "A", kind: "cluster" }, { id: "b", label: "B", kind: "addon" }, { id: "a", label: "A again", kind: "team" }];
    const svg = renderGraphSvg({ nodes, edges: [{ from: "a", to: "b" }, { from: "a", to: "b" }, { from: "a", to: "ghost" }] });
    assert.deepEqual(drawnNodes(svg).map((n) => n.id), ["a", "b"]);
    assert.deepEqual(drawnEdges(svg), [{ from: "a", to: "b" }]);
  });

  it("draws an empty graph as a small valid picture that says so", () => {
    const svg = renderGraphSvg({ nodes: [], edges: [] });
    assert.match(svg, /^<svg [^>]*role="img"[^>]*width="\d+" height="\d+"/);
    assert.match(svg, /<title id="plan-graph-title">Platform graph: 0 parts, 0 dependencies<\/title>/);
    assert.deepEqual(drawnNodes(svg), []);
    assert.deepEqual(drawnEdges(svg), []);
    assert.match(svg, /<\/svg>$/);
  });

  it("lays out a long chain without deep recursion", () => {
    const count = 3000;
    const nodes = Array.from({ length: count }, (_, i): ReportGraphNode => ({ id: `n${i}`, label: `n${i}`, kind: "addon" }));
    const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i].id, to: node.id }));
    const drawn = drawnNodes(renderGraphSvg({ nodes, edges }));
    assert.equal(drawn.length, count);
  });
});
