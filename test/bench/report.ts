import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Figure, Section } from './figures';
import type { MachineFacts } from './machine';
import { judgeTargets, renderTargets } from './targets';

// One run, three renderings: a table on stdout, docs/benchmarks.md for people and
// docs/benchmarks.json for tools. Every figure of a run comes from the same machine and run.

export interface SectionRun extends Section {
  readonly seconds: number;
  /** 1-minute load average when the section started and ended. */
  readonly load: readonly [number, number];
}

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  readonly machine: MachineFacts;
  readonly settings: Readonly<Record<string, string | number>>;
  readonly loadAtEnd: readonly number[];
  readonly totalSeconds: number;
  readonly sections: readonly SectionRun[];
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.1 || abs === 0) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatRatio(f: Figure): string {
  return f.ratio ? `${formatValue(f.ratio.value)}× ${f.ratio.to}` : '';
}

export function renderTable(report: Pick<BenchReport, 'sections'>): string {
  const lines: string[] = [];
  for (const s of report.sections) {
    lines.push('', `${s.title}  (${s.seconds.toFixed(0)} s, load ${s.load[0]} → ${s.load[1]})`);
    for (const f of s.figures) {
      const ratio = formatRatio(f);
      lines.push(`  ${f.name.padEnd(66)} ${formatValue(f.value).padStart(10)} ${f.unit.padEnd(11)} ${ratio}${f.note ? `  (${f.note})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out = [
    '# Benchmarks',
    '',
    `Measured by \`${report.command}\` at ${report.date}, all figures from that one run on one machine.`,
    'Regenerate with the same command; `PREVIEWD_BENCH_PREVIEWS=<n>` scales the 1,000-preview run down for a quick look.',
    'Ratios are to a baseline measured in the same run, because absolute numbers on a shared 2-core machine move from run to run.',
    '',
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${m.cores} × ${cell(m.cpuModel)} |`,
    `| RAM | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| load average at start (1/5/15 min) | ${m.loadAtStart.join(' / ')} |`,
    `| load average at end | ${report.loadAtEnd.join(' / ')} |`,
    `| whole run | ${(report.totalSeconds / 60).toFixed(1)} min |`,
    '',
    '| setting | value |',
    '| --- | --- |',
    ...Object.entries(report.settings).map(([k, v]) => `| ${cell(k)} | ${cell(String(v))} |`),
    '',
    ...renderTargets(judgeTargets(report.sections), formatValue),
  ];
  for (const s of report.sections) {
    out.push('', `## ${s.title}`, '', ...s.method.map((line) => `- ${line}`), `- took ${s.seconds.toFixed(0)} s; 1-minute load average ${s.load[0]} at its start, ${s.load[1]} at its end`, '');
    out.push('| figure | value | unit | ratio |', '| --- | ---: | --- | --- |');
    for (const f of s.figures) out.push(`| ${cell(f.name)}${f.note ? ` (${cell(f.note)})` : ''} | ${formatValue(f.value)} | ${f.unit} | ${cell(formatRatio(f))} |`);
  }
  return `${out.join('\n')}\n`;
}

export function writeReport(report: BenchReport, files: { markdown: string; json: string }): void {
  for (const file of [files.markdown, files.json]) mkdirSync(dirname(file), { recursive: true });
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.markdown, renderMarkdown(report));
}
