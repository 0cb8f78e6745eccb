import { previewJanitor } from '../../../workflows';
import { JANITOR_WORKFLOW_TYPE } from '../../../workflows/contract';

// The schedule names the janitor workflow as a string (the worker process does not import
// workflow code); this keeps it in step with the function workflows/index.ts exports.
test('the schedule starts the workflow type that workflows/index.ts exports', () => {
  expect(JANITOR_WORKFLOW_TYPE).toBe(previewJanitor.name);
});
