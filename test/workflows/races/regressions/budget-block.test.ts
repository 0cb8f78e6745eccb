import { createCostActivities } from '../../../../activities/cost';
import type { BudgetPolicy } from '../../../../src/config';
import { modelNamespaceName } from '../../../doubles/preview-world';
import { quietTemporalLogs } from '../../support';
import { RaceStack } from '../support/race-stack';
import { ScriptedPullRequest } from '../support/scripted-pull-request';

// `budget.onExceed: block` (issue 14): the real cost activity with a budget over the model's
// cluster. The workloads of a preview here request 2 cores and 4 GiB, which at seed 004's rates
// projects to more than the budget over the 4-hour TTL.

const GiB = 2 ** 30;
/** Mutable on purpose: the operator raises the budget in the middle of the test. */
const budget: { perPreview?: number; onExceed: BudgetPolicy['onExceed'] } = { perPreview: 0.05, onExceed: 'block' };

let stack: RaceStack;

beforeAll(async () => {
  quietTemporalLogs();
  stack = await RaceStack.start({
    activities: () =>
      createCostActivities({
        // What the namespace's workloads request, as readWorkloads reads it from the cluster.
        readWorkloads: ({ preview }) => Promise.resolve({ namespace: modelNamespaceName(preview), totals: { cpuCores: 2, memoryBytes: 4 * GiB, storageBytes: 0 } }),
        budget,
      }),
  });
});

afterAll(async () => {
  await stack?.stop();
});

test('an over-budget preview is Blocked with the reason on the PR, deploys no new head, and a redeploy after the budget is raised unblocks it', async () => {
  const pr = new ScriptedPullRequest(stack);
  expect((await pr.deliver(pr.opened())).statusCode).toBe(202);
  await pr.quiet();

  const blocked = (await pr.observe()).latest?.preview;
  expect({ phase: blocked?.phase, reason: blocked?.failureReason }).toEqual({ phase: 'Blocked', reason: expect.stringMatching(/budget/) });
  expect(stack.world.github.lastShown(pr.target.key)).toMatchObject({ reportedPhase: 'Blocked', reason: expect.stringMatching(/budget/) });

  const push = pr.happen({ kind: 'push' });
  expect((await pr.deliver(push)).statusCode).toBe(202);
  await pr.quiet();
  expect(pr.deployedHeads()).not.toContain(push.pr.headSha);
  expect((await pr.observe()).latest?.preview?.phase).toBe('Blocked');

  // A redeploy while the budget still blocks measures again and deploys nothing.
  expect((await pr.deliver(pr.happen({ kind: 'comment', command: 'redeploy' }))).statusCode).toBe(202);
  await pr.quiet();
  expect(pr.deployedHeads()).not.toContain(push.pr.headSha);
  expect((await pr.observe()).latest?.preview?.phase).toBe('Blocked');

  budget.perPreview = 100;
  expect((await pr.deliver(pr.happen({ kind: 'comment', command: 'redeploy' }))).statusCode).toBe(202);
  await pr.quiet();
  expect(await pr.violations()).toEqual([]);
});
