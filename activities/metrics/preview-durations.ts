import { log } from '@temporalio/activity';
import type { Histogram, Registry } from 'prom-client';
import type { PreviewDurationKind, PreviewMetricsActivities, RecordPreviewDurationInput } from '../../workflows/contract';
import { histogramOn } from './registry-metrics';

// How long previews take to come up and to go away, measured by the lifecycle workflow on its
// own clock (workflows/preview-durations.ts) and observed here, on the worker's registry. The
// workflow calls this activity once per preview and kind, with no retries: its completion is
// in history, so replays never observe again, and a lost sample is better than a double one.

export const PREVIEW_CREATE_DURATION_METRIC = 'previewd_preview_create_duration_seconds';
export const PREVIEW_DELETE_DURATION_METRIC = 'previewd_preview_delete_duration_seconds';

// Creation waits for images and readiness (minutes); deletion for Argo CD's prune and the namespace.
const BUCKETS = [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, 3600];

export class PreviewDurationMetrics {
  private readonly histograms: Readonly<Record<PreviewDurationKind, Histogram>>;

  constructor(registry: Registry) {
    this.histograms = {
      create: histogramOn(registry, PREVIEW_CREATE_DURATION_METRIC, "Time from a preview's first event (workflow start) to its first Ready, by the workflow's clock", [], BUCKETS),
      delete: histogramOn(registry, PREVIEW_DELETE_DURATION_METRIC, "Time from a preview's teardown request to its namespace (and database) being gone, by the workflow's clock", [], BUCKETS),
    };
  }

  observe(kind: PreviewDurationKind, seconds: number): void {
    this.histograms[kind].observe(seconds);
  }
}

/** Seconds between the input's times; undefined for anything that is not a forward interval. */
export function intervalSeconds(input: RecordPreviewDurationInput): number | undefined {
  const ms = Date.parse(input.to) - Date.parse(input.from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

export function createMetricsActivities(metrics?: PreviewDurationMetrics): PreviewMetricsActivities {
  return {
    recordPreviewDuration(input) {
      const seconds = intervalSeconds(input);
      if (seconds === undefined || (input.kind !== 'create' && input.kind !== 'delete')) {
        // Retrying cannot fix a malformed sample, and the lifecycle does not wait on it: drop it, visibly.
        log.warn('preview duration sample dropped', { kind: input.kind, from: input.from, to: input.to });
        return Promise.resolve();
      }
      metrics?.observe(input.kind, seconds);
      return Promise.resolve();
    },
  };
}
