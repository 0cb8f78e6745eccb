import { parseConfig } from '../../../src/config';
import type { Tracing } from '../../../src/observability/tracing';
import { WORKFLOWS_PATH, workflowSource } from '../../../src/worker';

// Which workflow code the worker loads. Production loads the prebuilt bundle the image ships
// (dist/workflow-bundle.js, or worker.workflowBundle) instead of running webpack at start;
// test/integration/cli/previewctl.test.ts runs a worker on such a file and replays its runs.

const base = parseConfig({ github: { webhookSecrets: ['s'.repeat(32)] } });
const withBundle = (file: string) => ({ temporal: base.temporal, worker: { ...base.worker, workflowBundle: file } });

test("worker.workflowBundle is loaded as a file (the SDK's codePath), not bundled at start", () => {
  expect(workflowSource({ config: withBundle('/opt/previewd/workflow-bundle.js'), activities: {} })).toEqual({ workflowBundle: { codePath: '/opt/previewd/workflow-bundle.js' } });
});

test('a bundle given by the caller wins over the configured file', () => {
  const code = { code: 'bundle' };
  expect(workflowSource({ config: withBundle('/x.js'), activities: {}, workflowBundle: code })).toEqual({ workflowBundle: code });
});

test('with tracing the workflows are bundled at start (the prebuilt bundle has no tracing interceptors)', () => {
  expect(workflowSource({ config: withBundle('/x.js'), activities: {}, tracing: {} as Tracing })).toEqual({ workflowsPath: WORKFLOWS_PATH });
});
