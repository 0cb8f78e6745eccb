import { readFileSync } from 'node:fs';

// What a V8 heap snapshot (.heapsnapshot, the documented JSON of the DevTools heap profiler)
// holds, by constructor: count, own size and retained size (through the dominator tree), and
// with a second snapshot the difference. Used to find what the worker keeps per open preview:
//
//   node -r @swc-node/register test/bench/heap-summary.ts before.heapsnapshot after.heapsnapshot [top] [paths-for]
//
// `paths-for`: a constructor name whose retainer paths (from the GC roots, 12 of its largest
// objects) are printed for the second snapshot.

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[]]; readonly edge_fields: string[]; readonly edge_types: [string[]] } };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

interface Graph {
  readonly count: number;
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  /** Target node ordinal of each edge. */
  readonly edgeTo: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly strings: readonly string[];
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
}

function load(file: string): Graph {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const m = s.snapshot.meta;
  const nf = m.node_fields.length;
  const ef = m.edge_fields.length;
  const [fType, fName, fSize, fEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => m.node_fields.indexOf(f)) as [number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => m.edge_fields.indexOf(f)) as [number, number, number];
  const count = s.nodes.length / nf;
  const g = {
    count,
    type: new Uint8Array(count),
    name: new Uint32Array(count),
    selfSize: new Float64Array(count),
    firstEdge: new Uint32Array(count + 1),
    edgeTo: new Uint32Array(s.edges.length / ef),
    edgeType: new Uint8Array(s.edges.length / ef),
    edgeName: new Uint32Array(s.edges.length / ef),
    strings: s.strings,
    nodeTypes: m.node_types[0],
    edgeTypes: m.edge_types[0],
  };
  let edge = 0;
  for (let i = 0; i < count; i++) {
    const base = i * nf;
    g.type[i] = s.nodes[base + fType] as number;
    g.name[i] = s.nodes[base + fName] as number;
    g.selfSize[i] = s.nodes[base + fSize] as number;
    g.firstEdge[i] = edge;
    edge += s.nodes[base + fEdges] as number;
  }
  g.firstEdge[count] = edge;
  for (let e = 0; e < g.edgeTo.length; e++) {
    g.edgeType[e] = s.edges[e * ef + eType] as number;
    g.edgeName[e] = s.edges[e * ef + eName] as number;
    g.edgeTo[e] = (s.edges[e * ef + eTo] as number) / nf;
  }
  return g;
}

/** Weak edges do not keep anything alive; the dominator tree ignores them (as DevTools does). */
function strong(g: Graph, e: number): boolean {
  return g.edgeTypes[g.edgeType[e] as number] !== 'weak';
}

/** Immediate dominators from node 0 (the synthetic root), Cooper–Harvey–Kennedy over a reverse postorder. */
function dominators(g: Graph): { idom: Int32Array; order: Uint32Array } {
  const post = new Int32Array(g.count).fill(-1);
  const order = new Uint32Array(g.count);
  let n = 0;
  const stack: number[] = [0];
  const next = new Uint32Array(g.count);
  const seen = new Uint8Array(g.count);
  seen[0] = 1;
  for (let i = 0; i < g.count; i++) next[i] = g.firstEdge[i] as number;
  while (stack.length > 0) {
    const v = stack[stack.length - 1] as number;
    const end = g.firstEdge[v + 1] as number;
    let pushed = false;
    while ((next[v] as number) < end) {
      const e = next[v] as number;
      next[v] = e + 1;
      const w = g.edgeTo[e] as number;
      if (!seen[w] && strong(g, e)) {
        seen[w] = 1;
        stack.push(w);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      post[v] = n;
      order[n++] = v;
    }
  }
  // Predecessors (strong edges, reachable nodes only).
  const predCount = new Uint32Array(g.count + 1);
  for (let v = 0; v < g.count; v++) {
    if (!seen[v]) continue;
    for (let e = g.firstEdge[v] as number; e < (g.firstEdge[v + 1] as number); e++) {
      if (!strong(g, e)) continue;
      const slot = (g.edgeTo[e] as number) + 1;
      predCount[slot] = (predCount[slot] as number) + 1;
    }
  }
  for (let i = 0; i < g.count; i++) predCount[i + 1] = (predCount[i + 1] as number) + (predCount[i] as number);
  const preds = new Uint32Array(predCount[g.count] as number);
  const fill = predCount.slice();
  for (let v = 0; v < g.count; v++) {
    if (!seen[v]) continue;
    for (let e = g.firstEdge[v] as number; e < (g.firstEdge[v + 1] as number); e++) {
      if (!strong(g, e)) continue;
      const w = g.edgeTo[e] as number;
      const slot = fill[w] as number;
      preds[slot] = v;
      fill[w] = slot + 1;
    }
  }
  const idom = new Int32Array(g.count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while ((post[a] as number) < (post[b] as number)) a = idom[a] as number;
      while ((post[b] as number) < (post[a] as number)) b = idom[b] as number;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = n - 2; k >= 0; k--) {
      const v = order[k] as number;
      let d = -1;
      for (let p = predCount[v] as number; p < (predCount[v + 1] as number); p++) {
        const u = preds[p] as number;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return { idom, order: order.subarray(0, n) };
}

function retainedSizes(g: Graph): { retained: Float64Array; idom: Int32Array } {
  const { idom, order } = dominators(g);
  const retained = Float64Array.from(g.selfSize);
  // Postorder visits children before their dominators.
  for (const v of order) if (v !== 0) retained[idom[v] as number] = (retained[idom[v] as number] as number) + (retained[v] as number);
  return { retained, idom };
}

/** DevTools' grouping: objects and native objects by constructor name, the rest by kind. */
function className(g: Graph, i: number): string {
  const type = g.nodeTypes[g.type[i] as number] as string;
  if (type === 'object' || type === 'native') return g.strings[g.name[i] as number] as string;
  if (type === 'closure') return '(closure)';
  return `(${type})`;
}

interface Row {
  count: number;
  self: number;
  /** Retained by the objects of this class that no other object of the class dominates. */
  retained: number;
}

function summarize(g: Graph): Map<string, Row> {
  const { retained, idom } = retainedSizes(g);
  const rows = new Map<string, Row>();
  for (let i = 1; i < g.count; i++) {
    if (idom[i] === -1) continue;
    const key = className(g, i);
    const row = rows.get(key) ?? { count: 0, self: 0, retained: 0 };
    row.count++;
    row.self += g.selfSize[i] as number;
    // Count a retained size once per class: skip objects dominated by one of their own class.
    let d = idom[i] as number;
    let nested = false;
    while (d > 0) {
      if (className(g, d) === key) {
        nested = true;
        break;
      }
      d = idom[d] as number;
    }
    if (!nested) row.retained += retained[i] as number;
    rows.set(key, row);
  }
  return rows;
}

/** Shortest retainer path from the root (BFS over strong edges) to each of up to 12 of the class's largest objects. */
function retainerPaths(g: Graph, cls: string): string[] {
  const parent = new Int32Array(g.count).fill(-1);
  const via = new Int32Array(g.count).fill(-1);
  parent[0] = 0;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    for (let e = g.firstEdge[v] as number; e < (g.firstEdge[v + 1] as number); e++) {
      const w = g.edgeTo[e] as number;
      if (parent[w] !== -1 || !strong(g, e)) continue;
      parent[w] = v;
      via[w] = e;
      queue.push(w);
    }
  }
  const picks = Array.from({ length: g.count }, (_, i) => i)
    .filter((i) => className(g, i) === cls && parent[i] !== -1)
    .sort((a, b) => (g.selfSize[b] as number) - (g.selfSize[a] as number))
    .slice(0, 12);
  const edgeLabel = (e: number) => {
    const t = g.edgeTypes[g.edgeType[e] as number];
    return t === 'element' || t === 'hidden' ? `[${g.edgeName[e]}]` : `.${g.strings[g.edgeName[e] as number]}`;
  };
  return picks.map((i) => {
    const steps: string[] = [];
    for (let v = i; v !== 0; v = parent[v] as number) steps.unshift(`${edgeLabel(via[v] as number)} → ${className(g, v)}`);
    return steps.join(' ');
  });
}

const KiB = 1024;
const fmt = (bytes: number) => `${(bytes / KiB).toFixed(0)} KiB`.padStart(12);

function main(): void {
  const [beforeFile, afterFile, topText, pathsFor] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: heap-summary.ts <before.heapsnapshot> <after.heapsnapshot> [top] [constructor]');
  const top = Number(topText ?? 30);
  const before = summarize(load(beforeFile));
  const afterGraph = load(afterFile);
  const after = summarize(afterGraph);
  const total = (m: Map<string, Row>) => [...m.values()].reduce((s, r) => s + r.self, 0);
  process.stdout.write(`total own size: ${fmt(total(before))} → ${fmt(total(after))}\n\n`);
  process.stdout.write(`${'constructor'.padEnd(48)} ${'count Δ'.padStart(9)} ${'own Δ'.padStart(12)} ${'retained Δ'.padStart(12)} ${'retained after'.padStart(14)}\n`);
  const keys = new Set([...before.keys(), ...after.keys()]);
  const zero: Row = { count: 0, self: 0, retained: 0 };
  const diffs = [...keys].map((k) => ({ k, b: before.get(k) ?? zero, a: after.get(k) ?? zero })).sort((x, y) => y.a.self - y.b.self - (x.a.self - x.b.self));
  for (const { k, b, a } of diffs.slice(0, top)) {
    process.stdout.write(`${k.slice(0, 48).padEnd(48)} ${String(a.count - b.count).padStart(9)} ${fmt(a.self - b.self)} ${fmt(a.retained - b.retained)} ${fmt(a.retained).padStart(14)}\n`);
  }
  if (pathsFor) {
    process.stdout.write(`\nretainer paths of ${pathsFor} (largest first):\n`);
    for (const p of retainerPaths(afterGraph, pathsFor)) process.stdout.write(`  ${p}\n`);
  }
}

main();
