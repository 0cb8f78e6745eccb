import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { ERROR_CATALOGUE } from '../../../src/errors';
import { resolvePromtool } from '../../harness/binaries';
import { metricNamesIn, previewdSeriesNames } from './previewd-metrics';

// The chart's alert rules (charts/previewd/files/prometheus-rules.yaml, the PrometheusRule's
// spec) checked by the real promtool: syntax, then each alert firing on the series that should
// raise it, and staying quiet on ordinary ones.

const run = promisify(execFile);
const RULES = resolve(__dirname, '../../../charts/previewd/files/prometheus-rules.yaml');
const CONTRACT = resolve(__dirname, '../../../workflows/contract/activities.ts');
const NS = 'previewd-system';

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const rule = (name: string): Rule => {
  const found = rules.find((r) => r.alert === name);
  if (!found) throw new Error(`no alert ${name} in ${RULES}`);
  return found;
};

async function promtool(...args: string[]): Promise<string> {
  const bin = resolvePromtool();
  try {
    const { stdout, stderr } = await run(bin, args, { maxBuffer: 8 * 1024 * 1024 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** `n` one-minute samples of a counter that goes up by one at each full hour (a janitor run's skip). */
function hourly(hours: number): string {
  return Array.from({ length: hours }, (_, h) => `${h}+0x59`).join(' ');
}
const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}{${Object.entries({ namespace: NS, ...labels }).map(([k, v]) => `${k}="${v}"`).join(',')}}`,
  values,
});
/** The ALERTS sample a firing alert leaves, with the rule's own labels and the ones its expression keeps. */
const firing = (alertname: string, labels: Record<string, string>, namespace = NS) => ({
  labels: `ALERTS{${Object.entries({ alertname, alertstate: 'firing', namespace, ...rule(alertname).labels, ...labels }).map(([k, v]) => `${k}="${v}"`).join(',')}}`,
  value: 1,
});
const alertsAt = (evalTime: string, alertname: string, expected: ReturnType<typeof firing>[]) => ({
  expr: `ALERTS{alertname="${alertname}",alertstate="firing"}`,
  eval_time: evalTime,
  exp_samples: expected,
});

const SCENARIOS = [
  {
    name: 'previews stuck Degraded, Failed or TearingDown; every replica reports the same count',
    interval: '1m',
    input_series: [
      series('previewd_previews', { phase: 'Degraded', pod: 'worker-a' }, '2x90'),
      series('previewd_previews', { phase: 'Degraded', pod: 'worker-b' }, '2x90'),
      series('previewd_previews', { phase: 'Failed', pod: 'worker-a' }, '1x90'),
      series('previewd_previews', { phase: 'TearingDown', pod: 'worker-a' }, '1x90'),
      series('previewd_previews', { phase: 'Ready', pod: 'worker-a' }, '7x90'),
      // Another installation whose preview was Degraded for 20 minutes only.
      series('previewd_previews', { phase: 'Degraded', pod: 'worker-c', namespace: 'other' }, '1x20 0x70'),
    ],
    promql_expr_test: [
      alertsAt('20m', 'PreviewdPreviewsDegraded', []),
      alertsAt('45m', 'PreviewdPreviewsDegraded', [firing('PreviewdPreviewsDegraded', {})]),
      alertsAt('10m', 'PreviewdPreviewsFailed', []),
      alertsAt('20m', 'PreviewdPreviewsFailed', [firing('PreviewdPreviewsFailed', {})]),
      alertsAt('45m', 'PreviewdTeardownStuck', []),
      alertsAt('65m', 'PreviewdTeardownStuck', [firing('PreviewdTeardownStuck', {})]),
      { expr: 'max by (namespace) (previewd_previews{phase="Degraded"})', eval_time: '45m', exp_samples: [{ labels: `{namespace="${NS}"}`, value: 2 }, { labels: '{namespace="other"}', value: 0 }] },
    ],
  },
  {
    name: 'a teardown that keeps failing, not one that failed once or another step',
    interval: '1m',
    input_series: [
      series('previewd_step_errors_total', { step: 'teardownStep', type: 'Unclassified' }, '0+1x90'),
      series('previewd_step_errors_total', { step: 'deployApps', type: 'Unclassified' }, '0+1x90'),
      series('previewd_step_errors_total', { step: 'teardown', type: 'Unclassified', namespace: 'other' }, '0 1x89'),
    ],
    promql_expr_test: [alertsAt('20m', 'PreviewdTeardownFailing', []), alertsAt('65m', 'PreviewdTeardownFailing', [firing('PreviewdTeardownFailing', { type: 'Unclassified' })])],
  },
  {
    name: 'janitor skips on every hourly run for hours, not ordinary ones or a single one',
    interval: '1m',
    input_series: [
      series('previewd_janitor_namespaces_skipped_total', { reason: 'owner-unconfirmed' }, hourly(10)),
      series('previewd_janitor_namespaces_skipped_total', { reason: 'too-young' }, hourly(10)),
      series('previewd_janitor_namespaces_skipped_total', { reason: 'owned' }, hourly(10)),
      series('previewd_janitor_namespaces_skipped_total', { reason: 'terminating', namespace: 'other' }, `0x59 ${'1x540'}`),
      series('previewd_janitor_databases_skipped_total', { reason: 'unmarked' }, hourly(10)),
      series('previewd_janitor_databases_skipped_total', { reason: 'namespace-exists' }, hourly(10)),
      series('previewd_janitor_applications_skipped_total', { reason: 'owner-ambiguous' }, hourly(10)),
    ],
    promql_expr_test: [
      alertsAt('5h', 'PreviewdJanitorSkipsPersist', []),
      alertsAt('9h30m', 'PreviewdJanitorSkipsPersist', [firing('PreviewdJanitorSkipsPersist', { reason: 'owner-unconfirmed' })]),
      alertsAt('9h30m', 'PreviewdJanitorLeftoverSkipsPersist', [
        firing('PreviewdJanitorLeftoverSkipsPersist', { reason: 'owner-ambiguous', kind: 'application' }),
        firing('PreviewdJanitorLeftoverSkipsPersist', { reason: 'unmarked', kind: 'database' }),
      ]),
    ],
  },
  {
    name: 'visibility counts failing for a quarter of an hour, not one failed count',
    interval: '1m',
    input_series: [series('previewd_previews_visibility_errors_total', {}, '0+1x40'), series('previewd_previews_visibility_errors_total', { namespace: 'other' }, '0 1x39')],
    promql_expr_test: [alertsAt('10m', 'PreviewdVisibilityErrors', []), alertsAt('30m', 'PreviewdVisibilityErrors', [firing('PreviewdVisibilityErrors', {})])],
  },
  {
    name: 'webhook deliveries answered 5xx above 5%, not 4xx refusals nor a 1% trickle',
    interval: '1m',
    input_series: [
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'synchronize', result: 'accepted' }, '0+100x40'),
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'none', result: 'temporal_unavailable' }, '0+10x40'),
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'synchronize', result: 'accepted', namespace: 'refusals' }, '0+100x40'),
      series('previewd_webhook_deliveries_total', { event: 'unverified', action: 'none', result: 'unauthorized', namespace: 'refusals' }, '0+50x40'),
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'none', result: 'rate_limited', namespace: 'refusals' }, '0+50x40'),
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'synchronize', result: 'accepted', namespace: 'trickle' }, '0+100x40'),
      series('previewd_webhook_deliveries_total', { event: 'pull_request', action: 'none', result: 'internal_error', namespace: 'trickle' }, '0+1x40'),
    ],
    promql_expr_test: [alertsAt('8m', 'PreviewdWebhookErrors', []), alertsAt('20m', 'PreviewdWebhookErrors', [firing('PreviewdWebhookErrors', {})])],
  },
];

describe('charts/previewd/files/prometheus-rules.yaml', () => {
  it('passes `promtool check rules`', async () => {
    await expect(promtool('check', 'rules', RULES)).resolves.toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('covers what operators must hear about, each alert with a severity, a summary and a description', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      ['PreviewdJanitorLeftoverSkipsPersist', 'PreviewdJanitorSkipsPersist', 'PreviewdPreviewsDegraded', 'PreviewdPreviewsFailed', 'PreviewdTeardownFailing', 'PreviewdTeardownStuck', 'PreviewdVisibilityErrors', 'PreviewdWebhookErrors'].sort(),
    );
    for (const r of rules) {
      expect([r.alert, r.labels?.severity]).toEqual([r.alert, expect.stringMatching(/^(warning|critical)$/)]);
      expect(r.annotations).toEqual({ summary: expect.any(String), description: expect.any(String) });
    }
  });

  it('queries only metrics previewd registers', () => {
    const registered = previewdSeriesNames();
    for (const r of rules) {
      const names = metricNamesIn(r.expr);
      expect([r.alert, names.length > 0]).toEqual([r.alert, true]);
      expect([r.alert, names.filter((n) => !registered.has(n))]).toEqual([r.alert, []]);
    }
  });

  it('names real label values: the 5xx error codes of the catalogue, teardown activities of the contract', () => {
    const fiveXx = /result=~"([^"]*)"/.exec(rule('PreviewdWebhookErrors').expr)?.[1]?.split('|');
    const catalogue5xx = Object.entries(ERROR_CATALOGUE).filter(([, status]) => status >= 500).map(([code]) => code);
    expect(fiveXx?.filter((c) => !/^5/.test(c)).sort()).toEqual(catalogue5xx.sort());
    const steps = /step=~"([^"]*)"/.exec(rule('PreviewdTeardownFailing').expr)?.[1]?.split('|') ?? [];
    const contract = readFileSync(CONTRACT, 'utf8');
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect([step, new RegExp(`^\\s+${step}\\(input: TeardownInput\\)`, 'm').test(contract)]).toEqual([step, true]);
  });

  it('fires each alert on the series that should raise it and stays quiet on ordinary ones (`promtool test rules`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'previewd-rules-'));
    try {
      const file = join(dir, 'rules.test.yaml');
      writeFileSync(file, stringify({ rule_files: [RULES], evaluation_interval: '1m', tests: SCENARIOS }));
      await expect(promtool('test', 'rules', file)).resolves.toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
