// Durations the lifecycle measures on its own clock and hands to the worker's Prometheus
// registry. Workflow time is history time, so a replay or another worker computes the same
// numbers; the samples reach the registry through an activity, whose completion is recorded in
// history, so a replay never observes a sample twice (see workflows/preview-durations.ts).

export type PreviewDurationKind = 'create' | 'delete';

export interface RecordPreviewDurationInput {
  /** `create`: first event → first Ready; `delete`: teardown requested → namespace (and database) gone. */
  readonly kind: PreviewDurationKind;
  /** ISO-8601 workflow times. */
  readonly from: string;
  readonly to: string;
}

export interface PreviewMetricsActivities {
  /** One histogram sample on the worker's registry (`previewd_preview_{create,delete}_duration_seconds`). */
  recordPreviewDuration(input: RecordPreviewDurationInput): Promise<void>;
}
