/**
 * The platform graph as one self-contained SVG: no scripts, no fonts or images to fetch, so it can
 * sit inline in the HTML report or be saved on its own.
 *
 * A small Sugiyama layout: break cycles, layer by longest path from a source, put a dummy point in
 * every layer a long edge crosses, order each layer by barycenter sweeps (keeping the order with the
 * fewest crossings), then place columns left to right. Everything is derived from the graph alone,
 * in input order where ties need breaking, so the same graph always gives the same bytes.
 */
import type { ReportGraph, ReportGraphNode } from "./model";

type Kind = ReportGraphNode["kind"];

interface KindStyle {
  readonly fill: string;
  readonly stroke: string;
  readonly shape: "rect" | "hexagon" | "cylinder";
  /** Corner radius for `rect`. */
  readonly radius: number;
  readonly dashed?: boolean;
  readonly legend: string;
}

/** A Record so the compiler insists on a style for every kind the model can name. */
const kindStyles: Record<Kind, KindStyle> = {
  network: { fill: "#eef2f7", stroke: "#5b6b82", shape: "rect", radius: 4, dashed: true, legend: "network" },
  cluster: { fill: "#dbe8fb", stroke: "#2f5fa8", shape: "rect", radius: 3, legend: "cluster" },
  "system-nodes": { fill: "#e4f1e4", stroke: "#3d7a3d", shape: "rect", radius: 3, legend: "system nodes" },
  "gpu-pool": { fill: "#d9f2dc", stroke: "#1f7a3a", shape: "rect", radius: 18, legend: "GPU pool" },
  autoscaler: { fill: "#fdf0d8", stroke: "#a86a00", shape: "hexagon", radius: 0, legend: "autoscaler" },
  addon: { fill: "#efe6fa", stroke: "#6a3fa0", shape: "rect", radius: 8, legend: "add-on" },
  team: { fill: "#fde4e4", stroke: "#a83232", shape: "rect", radius: 18, legend: "team" },
  storage: { fill: "#f3efe2", stroke: "#7a6a3a", shape: "cylinder", radius: 0, legend: "storage" },
};

const kindOrder = Object.keys(kindStyles) as Kind[];

const font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", size: 12 };
const nodeHeight = 36;
const nodePadding = 14;
const minNodeWidth = 72;
const dummyHeight = 8;
const rowGap = 16;
const columnGap = 64;
const margin = 16;
const legendRowHeight = 22;

/** Escapes text and attribute values for XML (and HTML, where the SVG is inlined). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Numbers with at most one decimal, so output does not depend on floating-point noise. */
function n(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/**
 * Approximate rendered width of a label; no font metrics are available offline, so this errs
 * wide (boxes a little roomy rather than text overflowing).
 */
function textWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    if (/[MWmw@%]/.test(c)) width += 0.9;
    else if (/[A-Z0-9]/.test(c)) width += 0.68;
    else if (/[ilj.,:;'|!()[\]]/.test(c)) width += 0.32;
    else if (c.charCodeAt(0) > 0x2e7f) width += 1;
    else width += 0.56;
  }
  return width * font.size;
}

interface Item {
  /** Index into `nodes`, or -1 for a dummy point of a long edge. */
  readonly node: number;
  readonly layer: number;
  readonly width: number;
  readonly height: number;
  /** Items in the previous and next layer this one is joined to. */
  readonly up: Item[];
  readonly down: Item[];
  y: number;
}

interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  /** True when the edge had to be turned round to break a cycle; it then points right to left. */
  readonly reversed: boolean;
  /** From the layered source to the layered target, dummies in between. */
  readonly chain: Item[];
}

export function renderGraphSvg(graph: ReportGraph): string {
  const nodes = uniqueNodes(graph.nodes);
  const edgeCount = countEdges(graph, nodes);
  const title = `Platform graph: ${nodes.length} part${nodes.length === 1 ? "" : "s"}, ${edgeCount} dependenc${edgeCount === 1 ? "y" : "ies"}`;
  if (nodes.length === 0) return emptySvg(title);

  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const { forward, selfLoops } = edgesOf(graph, index);
  const reversed = backEdges(nodes.length, forward);
  const dag = forward.map(([from, to], i) => (reversed.has(i) ? ([to, from] as const) : ([from, to] as const)));
  const layerOf = longestPathLayers(nodes.length, dag);

  const layerCount = Math.max(...layerOf) + 1;
  const layers: Item[][] = Array.from({ length: layerCount }, () => []);
  const items = nodes.map((node, i): Item => {
    const item: Item = { node: i, layer: layerOf[i], width: Math.max(minNodeWidth, Math.ceil(textWidth(node.label) + 2 * nodePadding)), height: nodeHeight, up: [], down: [], y: 0 };
    layers[item.layer].push(item);
    return item;
  });
  const drawn: DrawnEdge[] = dag.map(([from, to], i) => {
    const chain = [items[from]];
    for (let layer = layerOf[from] + 1; layer < layerOf[to]; layer++) {
      const dummy: Item = { node: -1, layer, width: 0, height: dummyHeight, up: [], down: [], y: 0 };
      layers[layer].push(dummy);
      chain.push(dummy);
    }
    chain.push(items[to]);
    for (let k = 1; k < chain.length; k++) {
      chain[k - 1].down.push(chain[k]);
      chain[k].up.push(chain[k - 1]);
    }
    return { from: nodes[forward[i][0]].id, to: nodes[forward[i][1]].id, reversed: reversed.has(i), chain };
  });

  orderLayers(layers);

  // Columns: as wide as their widest box; a column of dummies only still keeps a gap.
  const columnWidth = layers.map((layer) => Math.max(0, ...layer.map((item) => item.width)));
  const columnX: number[] = [];
  let x = margin;
  for (const width of columnWidth) {
    columnX.push(x);
    x += width + columnGap;
  }
  const graphWidth = x - columnGap + margin;
  const layerHeight = layers.map((layer) => layer.reduce((sum, item) => sum + item.height, 0) + rowGap * Math.max(0, layer.length - 1));
  const graphHeight = Math.max(...layerHeight) + 2 * margin + (selfLoops.length > 0 ? 14 : 0);
  layers.forEach((layer, i) => {
    let y = margin + (selfLoops.length > 0 ? 14 : 0) + (Math.max(...layerHeight) - layerHeight[i]) / 2;
    for (const item of layer) {
      item.y = y;
      y += item.height + rowGap;
    }
  });
  const left = (item: Item) => columnX[item.layer] + (columnWidth[item.layer] - item.width) / 2;
  const mid = (item: Item) => item.y + item.height / 2;

  const kindsUsed = kindOrder.filter((kind) => nodes.some((node) => node.kind === kind));
  const legend = renderLegend(kindsUsed, graphHeight, graphWidth);
  const width = Math.max(graphWidth, legend.width);
  const height = graphHeight + legend.height;

  const edgeSvg = drawn.map((edge) => {
    // Points in layered order: out of the right side of the source, straight through each column a
    // dummy sits in, into the left side of the target.
    const points: [number, number][] = [[left(edge.chain[0]) + edge.chain[0].width, mid(edge.chain[0])]];
    for (const dummy of edge.chain.slice(1, -1)) {
      points.push([columnX[dummy.layer], mid(dummy)], [columnX[dummy.layer] + columnWidth[dummy.layer], mid(dummy)]);
    }
    const last = edge.chain[edge.chain.length - 1];
    points.push([left(last), mid(last)]);
    if (edge.reversed) points.reverse();
    return `<path class="edge${edge.reversed ? " reversed" : ""}" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" d="${pathThrough(points)}" marker-end="url(#plan-graph-arrow)"><title>${escapeXml(`${edge.from} → ${edge.to}`)}</title></path>`;
  });
  for (const i of selfLoops) {
    const item = items[i];
    const x0 = left(item) + item.width * 0.6;
    const x1 = left(item) + item.width * 0.4;
    const id = nodes[i].id;
    edgeSvg.push(`<path class="edge self" data-from="${escapeXml(id)}" data-to="${escapeXml(id)}" d="M${n(x0)} ${n(item.y)} C${n(x0)} ${n(item.y - 16)} ${n(x1)} ${n(item.y - 16)} ${n(x1)} ${n(item.y)}" marker-end="url(#plan-graph-arrow)"><title>${escapeXml(`${id} → ${id}`)}</title></path>`);
  }

  const nodeSvg = layers.flatMap((layer) => layer.filter((item) => item.node >= 0)).map((item) => renderNode(nodes[item.node], left(item), item.y, item.width));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plan-graph" role="img" aria-labelledby="plan-graph-title" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="${escapeXml(font.family)}" font-size="${font.size}">`,
    `<title id="plan-graph-title">${escapeXml(title)}</title>`,
    `<defs><marker id="plan-graph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#55606e"/></marker></defs>`,
    `<rect class="background" x="0" y="0" width="${n(width)}" height="${n(height)}" fill="#ffffff"/>`,
    `<g class="edges" fill="none" stroke="#55606e" stroke-width="1.4">`,
    ...edgeSvg,
    `</g>`,
    `<g class="nodes">`,
    ...nodeSvg,
    `</g>`,
    legend.svg,
    `</svg>`,
  ].join("\n");
}

/** First occurrence of each id wins: a node drawn twice would make the picture lie. */
function uniqueNodes(nodes: readonly ReportGraphNode[]): ReportGraphNode[] {
  const seen = new Set<string>();
  return nodes.filter((node) => (seen.has(node.id) ? false : (seen.add(node.id), true)));
}

function countEdges(graph: ReportGraph, nodes: readonly ReportGraphNode[]): number {
  const ids = new Set(nodes.map((node) => node.id));
  return new Set(graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e) => JSON.stringify([e.from, e.to]))).size;
}

/** Edges between known nodes, each once; self-loops apart since they take no part in layering. */
function edgesOf(graph: ReportGraph, index: Map<string, number>): { forward: [number, number][]; selfLoops: number[] } {
  const seen = new Set<string>();
  const forward: [number, number][] = [];
  const selfLoops: number[] = [];
  for (const edge of graph.edges) {
    const from = index.get(edge.from);
    const to = index.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const key = `${from}:${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (from === to) selfLoops.push(from);
    else forward.push([from, to]);
  }
  return { forward, selfLoops };
}

/** Indices of the edges a depth-first search finds pointing back up its stack: turning them round leaves a DAG. */
function backEdges(count: number, edges: readonly (readonly [number, number])[]): Set<number> {
  const out: number[][] = Array.from({ length: count }, () => []);
  edges.forEach(([from], i) => out[from].push(i));
  const state = new Array<0 | 1 | 2>(count).fill(0); // unvisited, on the stack, done
  const back = new Set<number>();
  for (let root = 0; root < count; root++) {
    if (state[root] !== 0) continue;
    // Iterative, so a long chain cannot overflow the call stack.
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next >= out[top.node].length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const edge = out[top.node][top.next++];
      const to = edges[edge][1];
      if (state[to] === 1) back.add(edge);
      else if (state[to] === 0) {
        state[to] = 1;
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return back;
}

/** Layer = longest path from any source, by Kahn's algorithm; the graph is acyclic by now. */
function longestPathLayers(count: number, edges: readonly (readonly [number, number])[]): number[] {
  const out: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Array<number>(count).fill(0);
  for (const [from, to] of edges) {
    out[from].push(to);
    indegree[to]++;
  }
  const layer = new Array<number>(count).fill(0);
  const queue = indegree.flatMap((d, i) => (d === 0 ? [i] : []));
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const to of out[node]) {
      layer[to] = Math.max(layer[to], layer[node] + 1);
      if (--indegree[to] === 0) queue.push(to);
    }
  }
  return layer;
}

/** Barycenter sweeps down and up, keeping whichever order crossed least (ties: the earlier one). */
function orderLayers(layers: Item[][]): void {
  let best = layers.map((layer) => [...layer]);
  let bestCrossings = crossings(layers);
  for (let sweep = 0; sweep < 4 && bestCrossings > 0; sweep++) {
    const down = sweep % 2 === 0;
    const sequence = layers.map((_, i) => i);
    if (!down) sequence.reverse();
    for (const i of sequence.slice(1)) {
      const position = positions(layers);
      const keyed = layers[i].map((item, at) => {
        const neighbours = down ? item.up : item.down;
        const centre = neighbours.length === 0 ? at : neighbours.reduce((sum, m) => sum + position.get(m)!, 0) / neighbours.length;
        return { item, centre, at };
      });
      keyed.sort((a, b) => a.centre - b.centre || a.at - b.at);
      layers[i] = keyed.map((k) => k.item);
    }
    const count = crossings(layers);
    if (count < bestCrossings) {
      bestCrossings = count;
      best = layers.map((layer) => [...layer]);
    }
  }
  best.forEach((layer, i) => (layers[i] = layer));
}

function positions(layers: Item[][]): Map<Item, number> {
  return new Map(layers.flatMap((layer) => layer.map((item, i) => [item, i] as const)));
}

/** Crossings between each pair of adjacent layers (every edge spans one layer once dummies are in). */
function crossings(layers: Item[][]): number {
  const position = positions(layers);
  let total = 0;
  for (const layer of layers) {
    const segments = layer.flatMap((item) => item.down.map((to) => [position.get(item)!, position.get(to)!] as const));
    for (let a = 0; a < segments.length; a++) {
      for (let b = a + 1; b < segments.length; b++) {
        if ((segments[a][0] - segments[b][0]) * (segments[a][1] - segments[b][1]) < 0) total++;
      }
    }
  }
  return total;
}

/** Smooth horizontal S-curves between points, straight where a dummy crosses its column. */
function pathThrough(points: readonly [number, number][]): string {
  const parts = [`M${n(points[0][0])} ${n(points[0][1])}`];
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    if (y0 === y1) parts.push(`L${n(x1)} ${n(y1)}`);
    else {
      const mx = (x0 + x1) / 2;
      parts.push(`C${n(mx)} ${n(y0)} ${n(mx)} ${n(y1)} ${n(x1)} ${n(y1)}`);
    }
  }
  return parts.join(" ");
}

function shape(style: KindStyle, x: number, y: number, width: number, height: number, extra = ""): string {
  const paint = `fill="${style.fill}" stroke="${style.stroke}" stroke-width="1.5"${style.dashed ? ` stroke-dasharray="5 3"` : ""}${extra}`;
  switch (style.shape) {
    case "rect":
      return `<rect class="box" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" rx="${Math.min(style.radius, height / 2)}" ${paint}/>`;
    case "hexagon": {
      const cut = Math.min(12, width / 4);
      const points = [[x + cut, y], [x + width - cut, y], [x + width, y + height / 2], [x + width - cut, y + height], [x + cut, y + height], [x, y + height / 2]];
      return `<polygon class="box" points="${points.map(([px, py]) => `${n(px)},${n(py)}`).join(" ")}" ${paint}/>`;
    }
    case "cylinder": {
      const ry = Math.min(5, height / 6);
      const r = width / 2;
      return `<path class="box" d="M${n(x)} ${n(y + ry)} A${n(r)} ${n(ry)} 0 0 1 ${n(x + width)} ${n(y + ry)} L${n(x + width)} ${n(y + height - ry)} A${n(r)} ${n(ry)} 0 0 1 ${n(x)} ${n(y + height - ry)} Z M${n(x)} ${n(y + ry)} A${n(r)} ${n(ry)} 0 0 0 ${n(x + width)} ${n(y + ry)}" ${paint}/>`;
    }
  }
}

function renderNode(node: ReportGraphNode, x: number, y: number, width: number): string {
  const style = kindStyles[node.kind] ?? kindStyles.addon;
  const kindClass = escapeXml(node.kind.replace(/[^A-Za-z0-9_-]/g, "_"));
  return [
    `<g class="node kind-${kindClass}" data-node-id="${escapeXml(node.id)}" transform="translate(${n(x)} ${n(y)})">`,
    `<title>${escapeXml(`${node.label} (${style.legend})`)}</title>`,
    shape(style, 0, 0, width, nodeHeight),
    // A cylinder's top ellipse takes room: centre its label in the body below.
    `<text x="${n(width / 2)}" y="${n(style.shape === "cylinder" ? nodeHeight / 2 + 2.5 : nodeHeight / 2)}" text-anchor="middle" dominant-baseline="central" fill="#1d2430">${escapeXml(node.label)}</text>`,
    `</g>`,
  ].join("");
}

function renderLegend(kinds: readonly Kind[], top: number, graphWidth: number): { svg: string; width: number; height: number } {
  if (kinds.length === 0) return { svg: "", width: 0, height: 0 };
  const swatch = 22;
  let x = margin;
  let y = top;
  const entries: string[] = [];
  for (const kind of kinds) {
    const style = kindStyles[kind];
    const entryWidth = swatch + 6 + textWidth(style.legend) + 18;
    if (x > margin && x + entryWidth > Math.max(graphWidth, 360) - margin) {
      x = margin;
      y += legendRowHeight;
    }
    entries.push(`<g class="legend-entry" transform="translate(${n(x)} ${n(y)})">${shape(style, 0, 2, swatch, 14)}<text x="${swatch + 6}" y="9" dominant-baseline="central" fill="#3a4350">${escapeXml(style.legend)}</text></g>`);
    x += entryWidth;
  }
  const rows = (y - top) / legendRowHeight + 1;
  return {
    svg: `<g class="legend" font-size="11">${entries.join("")}</g>`,
    width: rows === 1 ? x + margin : Math.max(graphWidth, 360),
    height: rows * legendRowHeight + margin / 2,
  };
}

function emptySvg(title: string): string {
  const width = 240;
  const height = 60;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plan-graph" role="img" aria-labelledby="plan-graph-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(font.family)}" font-size="${font.size}">`,
    `<title id="plan-graph-title">${escapeXml(title)}</title>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff" stroke="#d0d5dc"/>`,
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" dominant-baseline="central" fill="#5b6470">Nothing to draw</text>`,
    `</svg>`,
  ].join("\n");
}
