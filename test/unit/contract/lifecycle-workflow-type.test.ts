import { previewLifecycle } from '../../../workflows';
import { PREVIEW_WORKFLOW_TYPE } from '../../../workflows/contract';

// The ingress and previewctl name the workflow type as a string (they must not import workflow
// code at runtime); this keeps the string and the exported workflow function in step.
test('the ingress starts the workflow type that workflows/index.ts exports', () => {
  expect(PREVIEW_WORKFLOW_TYPE).toBe(previewLifecycle.name);
});
