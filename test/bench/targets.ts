import type { Figure, Section } from './figures';

// Issue 15's targets, judged from the figures of the same run. "before" is what the wave-1 code
// measured with this bench on 2026-11-23 (the issue quotes those figures); it is text because
// some of those runs had no baseline for the ratio the target now uses.

type Reading = 'value' | 'ratio';

export interface Target {
  readonly figure: string;
  readonly target: string;
  readonly before: string;
  readonly section: string;
  /** Start of the figure's name in that section (names carry the preview count). */
  readonly name: string;
  /** The figure's ratio is to this baseline (tells the two RSS rows apart at any preview count). */
  readonly to?: string;
  readonly reading: Reading;
  readonly unit: string;
  readonly met: (x: number) => boolean;
}

export interface TargetRow {
  readonly target: Target;
  readonly after?: number;
  readonly met?: boolean;
}

export const TARGETS: readonly Target[] = [
  { figure: 'worker RSS, open previews at rest', target: '≤ 256 MiB at 1,000', before: '949 MiB', section: 'scale', name: 'worker RSS at rest, ', to: 'idle worker', reading: 'value', unit: 'MiB', met: (x) => x <= 256 },
  { figure: 'worker RSS at twice the previews', target: '≤ 1.1× the RSS at 1,000', before: 'grew ≈ 560 KiB per idle preview', section: 'scale', name: 'worker RSS at rest, ', to: 'RSS at', reading: 'ratio', unit: '×', met: (x) => x <= 1.1 },
  { figure: 'teardown start after the timer, simultaneous expiries, p95', target: '≤ 2 s', before: '65 s', section: 'scale', name: 'teardown started (first Application deletion) late by p95', reading: 'value', unit: 'ms', met: (x) => x <= 2000 },
  { figure: 'namespace delete issued after the timer, p95', target: '≤ 3 s', before: '66 s', section: 'scale', name: 'namespace deletion issued late by p95', reading: 'value', unit: 'ms', met: (x) => x <= 3000 },
  { figure: 'bring-up rate', target: '≥ 0.5× direct creation', before: '2.37 previews/s (no direct baseline)', section: 'scale', name: 'bring-up throughput', reading: 'ratio', unit: '×', met: (x) => x >= 0.5 },
  { figure: 'opened → namespace exists, p50', target: '≤ 3× a direct create', before: '9.2×', section: 'create-delete', name: 'opened → namespace exists p50', reading: 'ratio', unit: '×', met: (x) => x <= 3 },
  { figure: 'closed → delete issued, p50', target: '≤ 5× a direct delete', before: '19×', section: 'create-delete', name: 'closed → namespace deletion issued p50', reading: 'ratio', unit: '×', met: (x) => x <= 5 },
  { figure: 'replay per history (mean)', target: '≤ 50 ms', before: '169 ms', section: 'replay', name: 'replay time per history (mean)', reading: 'value', unit: 'ms', met: (x) => x <= 50 },
  { figure: 'ingress throughput', target: '≥ 0.9× raw signal-with-start', before: '0.78×', section: 'ingress', name: 'ingress throughput', reading: 'ratio', unit: '×', met: (x) => x >= 0.9 },
  { figure: 'ingress accept p99', target: '≤ 1.2× raw signal-with-start', before: '1.02×', section: 'ingress', name: 'ingress accept p99', reading: 'ratio', unit: '×', met: (x) => x <= 1.2 },
];

function find(sections: readonly Section[], t: Target): Figure | undefined {
  const figures = sections.find((s) => s.id === t.section)?.figures ?? [];
  return figures.find((f) => f.name.startsWith(t.name) && (t.to === undefined || (f.ratio?.to.startsWith(t.to) ?? false)) && (t.reading === 'value' || f.ratio !== undefined));
}

/** Every target with this run's figure; a section that did not run leaves the row unmeasured. */
export function judgeTargets(sections: readonly Section[]): TargetRow[] {
  return TARGETS.map((target) => {
    const f = find(sections, target);
    const after = f === undefined ? undefined : target.reading === 'value' ? f.value : f.ratio?.value;
    return after === undefined ? { target } : { target, after, met: target.met(after) };
  });
}

export function renderTargets(rows: readonly TargetRow[], format: (x: number) => string): string[] {
  const out = ['## Targets (issue 15)', '', '| figure | target | before | after | met? |', '| --- | --- | --- | --- | --- |'];
  for (const { target: t, after, met } of rows) {
    const value = after === undefined ? 'not measured in this run' : `${format(after)}${t.unit === '×' ? '×' : ` ${t.unit}`}`;
    out.push(`| ${t.figure} | ${t.target} | ${t.before} | ${value} | ${met === undefined ? '—' : met ? 'yes' : 'no'} |`);
  }
  return out;
}
