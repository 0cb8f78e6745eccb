export { sha, repoConfig, prEvent, lifecycleInput, startPreview, type PreviewSpec, type PreviewHandle } from './fixtures';
export { bundlePreviewWorkflows, startPreviewWorker, previewWorkerPerFile, quietLogger, quietTemporalLogs, type RunningWorker, type DevServerPreviewWorker } from './worker';
export { untilStatus, phaseIs, eventually } from './status-polling';
export { registerSearchAttributes } from './time-skipping';
export { bundleContents, byOwner, type BundleContents, type BundleModule } from './bundle-contents';
