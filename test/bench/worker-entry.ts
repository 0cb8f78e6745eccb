// The benchmark's worker process: previewd's real worker entry point (src/worker/main.ts, its
// config from PREVIEWD_CONFIG), plus answers to the bench driver's usage requests over IPC.
import { answerUsageRequests } from './usage-ipc';
import '../../src/worker/main';

answerUsageRequests();
