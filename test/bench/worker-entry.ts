// The benchmark's worker process: previewd's real worker entry point (src/worker/main.ts, its
// config from PREVIEWD_CONFIG), plus answers to the bench driver's usage requests over IPC.
// Started with --expose-gc, each usage sample follows a full collection (retained memory).
import { answerUsageRequests } from './usage-ipc';
import '../../src/worker/main';

answerUsageRequests({ collectFirst: typeof (globalThis as { gc?: unknown }).gc === 'function' });
