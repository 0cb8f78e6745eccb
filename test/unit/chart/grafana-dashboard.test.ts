import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { resolvePromtool } from '../../harness/binaries';
import { metricNamesIn, previewdSeriesNames } from './previewd-metrics';

// The chart's Grafana dashboard (charts/previewd/files/grafana-dashboard.json, the ConfigMap the
// Grafana sidecar loads): a dashboard Grafana can import, over metrics previewd really exports.

const FILE = resolve(__dirname, '../../../charts/previewd/files/grafana-dashboard.json');

interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: { type?: string; uid?: string };
}
interface Panel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly gridPos?: { x: number; y: number; w: number; h: number };
  readonly datasource?: { type?: string; uid?: string };
  readonly targets?: Target[];
  readonly panels?: Panel[];
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { query?: string };
}
interface Dashboard {
  readonly uid?: unknown;
  readonly title?: unknown;
  readonly schemaVersion?: unknown;
  readonly panels?: Panel[];
  readonly templating?: { list?: Variable[] };
}

const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;
const allPanels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const dataPanels = allPanels.filter((p) => p.type !== 'row');
const queries = (): { where: string; expr: string }[] => [
  ...dataPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr ?? '' }))),
  ...(dashboard.templating?.list ?? []).filter((v) => v.type === 'query').map((v) => ({ where: `variable $${v.name}`, expr: variableSelector(typeof v.query === 'string' ? v.query : (v.query?.query ?? '')) })),
];

/** Grafana's `label_values(<selector>, <label>)`: the selector is PromQL, the label is not a metric. */
function variableSelector(query: string): string {
  return /^label_values\((.*),\s*[A-Za-z_]\w*\)$/.exec(query.trim())?.[1] ?? query;
}

describe('charts/previewd/files/grafana-dashboard.json', () => {
  it('is a dashboard Grafana imports: uid, title, schema version, panels with ids, positions and queries', () => {
    expect(dashboard.uid).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{1,40}$/));
    expect(dashboard.title).toEqual(expect.stringMatching(/\S/));
    expect(dashboard.schemaVersion).toEqual(expect.any(Number));
    expect(dataPanels.length).toBeGreaterThan(0);
    const ids = allPanels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of allPanels) {
      expect([p.title, p.gridPos]).toEqual([p.title, { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) }]);
      expect([p.title, (p.gridPos?.x ?? 0) + (p.gridPos?.w ?? 0) <= 24]).toEqual([p.title, true]);
    }
    for (const p of dataPanels) {
      expect([p.title, p.type, p.targets?.length ?? 0]).toEqual([p.title, expect.stringMatching(/^(timeseries|stat|table|gauge|bargauge)$/), expect.any(Number)]);
      expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
      for (const t of p.targets ?? []) expect([p.title, t.refId, t.expr]).toEqual([p.title, expect.stringMatching(/^[A-Z]$/), expect.stringMatching(/\S/)]);
    }
  });

  it('uses only the data source and variables it declares', () => {
    const variables = new Set((dashboard.templating?.list ?? []).map((v) => v.name));
    expect(variables).toEqual(new Set(['datasource', 'namespace']));
    for (const p of dataPanels) {
      for (const ds of [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]) expect([p.title, ds]).toEqual([p.title, { type: 'prometheus', uid: '${datasource}' }]);
    }
    for (const { where, expr } of queries()) {
      const used = [...expr.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1] as string).filter((v) => !v.startsWith('__'));
      expect([where, used.filter((v) => !variables.has(v))]).toEqual([where, []]);
    }
  });

  it('queries only metrics previewd registers', () => {
    const registered = previewdSeriesNames();
    for (const { where, expr } of queries()) {
      const names = metricNamesIn(expr);
      expect([where, names.length > 0]).toEqual([where, true]);
      expect([where, names.filter((n) => !registered.has(n))]).toEqual([where, []]);
    }
  });

  it('has queries that are valid PromQL once Grafana substitutes its variables (`promtool check rules`)', async () => {
    const promql = (expr: string) => expr.replace(/\$__rate_interval/g, '5m').replace(/\$\{?namespace\}?/g, 'previewd-system');
    const rules = queries().map(({ expr }, i) => ({ record: `previewd:dashboard_query_${i}`, expr: promql(expr) }));
    const dir = mkdtempSync(join(tmpdir(), 'previewd-dashboard-'));
    try {
      const file = join(dir, 'queries.yaml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
      const { stdout } = await promisify(execFile)(resolvePromtool(), ['check', 'rules', file]).catch((err: { stdout?: string; stderr?: string }) => {
        throw new Error(`promtool check rules failed on the dashboard's queries:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      });
      expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
