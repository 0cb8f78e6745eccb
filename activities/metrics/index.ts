// Samples the workflows measure and the worker's registry exposes, and the registry helpers the activities share.
export { createMetricsActivities, intervalSeconds, PreviewDurationMetrics, PREVIEW_CREATE_DURATION_METRIC, PREVIEW_DELETE_DURATION_METRIC } from './preview-durations';
export { counterOn, histogramOn } from './registry-metrics';
