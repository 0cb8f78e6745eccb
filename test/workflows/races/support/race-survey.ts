import fc from 'fast-check';
import { describeCase, type RaceCase } from './race-case';
import { formatReport, runRaceCase, type CaseReport } from './race-runner';
import type { RaceSettings } from './race-settings';
import type { RaceStack } from './race-stack';

// A survey runs a seed's cases without stopping at the first failure and without shrinking,
// then groups the failures by the shape of what they violated. One failing property run shows
// one bug; a survey shows all of a seed's, so fixes can be planned (and checked) together.

export interface SurveyResult {
  readonly cases: number;
  readonly failing: readonly { readonly index: number; readonly c: RaceCase; readonly report: CaseReport }[];
}

/** The violation without what differs between cases (SHAs, PR numbers, event numbers, delivery ids). */
function shape(detail: string): string {
  return detail
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<delivery>')
    .replace(/\b[0-9a-f]{7,40}\b/g, '<sha>')
    .replace(/#\d+/g, '#n')
    .replace(/pr-[a-z]+-\d+/g, 'pr-<n>')
    .replace(/racer-\d+/g, 'racer-n')
    .replace(/\d+m\b/g, 'Nm');
}

export async function survey(stack: RaceStack, arb: fc.Arbitrary<RaceCase>, settings: RaceSettings): Promise<SurveyResult> {
  const cases = fc.sample(arb, { seed: settings.seed, numRuns: settings.runs });
  const deadline = Date.now() + settings.timeLimitMs;
  const failing: { index: number; c: RaceCase; report: CaseReport }[] = [];
  let ran = 0;
  for (const [index, c] of cases.entries()) {
    if (Date.now() > deadline) break;
    const started = Date.now();
    const report = await runRaceCase(stack, c, settings.rules);
    ran++;
    if (settings.verbose) process.stdout.write(`case ${index}, ${Date.now() - started} ms: ${formatReport(report)}\n`);
    if (report.violations.length > 0) failing.push({ index, c, report });
  }
  return { cases: ran, failing };
}

export function formatSurvey(result: SurveyResult, seed: number): string {
  const groups = new Map<string, { index: number; c: RaceCase; report: CaseReport }[]>();
  for (const f of result.failing) {
    const key = [...new Set(f.report.violations.map((v) => `[${v.rule}] ${shape(v.detail)}`))].sort().join('\n  ');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  return [
    `survey of seed ${seed}: ${result.failing.length} of ${result.cases} case(s) failed, ${groups.size} kind(s) of failure`,
    ...sorted.flatMap(([key, list]) => {
      const smallest = [...list].sort((a, b) => a.report.log.length - b.report.log.length)[0] as (typeof list)[number];
      return [
        '',
        `${list.length} case(s) (case numbers ${list.map((f) => f.index).join(', ')}):`,
        `  ${key}`,
        `smallest, case ${smallest.index}:`,
        describeCase(smallest.c).replace(/^/gm, '  '),
        formatReport(smallest.report).replace(/^/gm, '  '),
      ];
    }),
  ].join('\n');
}
