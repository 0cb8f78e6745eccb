import { ApplicationFailure } from '@temporalio/common';
import { createAiActivities } from '../../../activities/ai';
import type { AiDetection, ServiceDetector } from '../../../activities/ai';
import type { ChangedFilesResult } from '../../../activities/github';
import { SERVICES } from './fixtures';
import type { ChooseServicesInput } from '../../../workflows/contract';

// The service-choice activity with stand-ins for GitHub and the model (the real HTTP paths are
// covered in test/integration/ai). This pins down the decision logic.

const input = (overrides: Partial<ChooseServicesInput> = {}): ChooseServicesInput => ({
  preview: { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 },
  headSha: 'a'.repeat(40),
  scope: 'affected',
  services: SERVICES,
  ...overrides,
});
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const files = (...names: string[]): ChangedFilesResult => ({ files: names.map((filename) => ({ filename, status: 'modified' as const })), truncated: false });
const detection = (services: string[], dropped: string[] = []): AiDetection => ({ services, dropped, rationale: 'because', model: 'gpt-test', listedFiles: 1 });

function setup(listed: ChangedFilesResult | Error, detector?: ServiceDetector) {
  const listChangedFiles = jest.fn(() => (listed instanceof Error ? Promise.reject(listed) : Promise.resolve(listed)));
  const detect = detector && jest.fn(detector);
  const { chooseServices } = createAiActivities({ listChangedFiles, detector: detect, logger: quiet });
  return { chooseServices, listChangedFiles, detect };
}

describe('chooseServices', () => {
  it('deploys everything for scope all without asking GitHub or the model', async () => {
    const { chooseServices, listChangedFiles, detect } = setup(files('api/x.ts'), () => Promise.resolve(detection([])));
    await expect(chooseServices(input({ scope: 'all' }))).resolves.toMatchObject({ services: ['db-migrate', 'api', 'worker', 'www'], source: 'scope-all' });
    expect(listChangedFiles).not.toHaveBeenCalled();
    expect(detect).not.toHaveBeenCalled();
  });

  it('uses the static choice when AI is off', async () => {
    const { chooseServices } = setup(files('api/handler.ts'));
    await expect(chooseServices(input())).resolves.toEqual({
      services: ['db-migrate', 'api'],
      source: 'static',
      reasons: { api: 'changed-paths', 'db-migrate': 'dependency' },
      changedFiles: 1,
    });
  });

  it('adds what the model detects, with its dependencies, and records its answer', async () => {
    const { chooseServices, detect } = setup(files('worker/job.ts', 'libs/ui/button.tsx'), () => Promise.resolve(detection(['www'], ['payments'])));
    const choice = await chooseServices(input());
    expect(choice).toEqual({
      services: ['db-migrate', 'api', 'worker', 'www'],
      source: 'ai',
      reasons: { worker: 'changed-paths', www: 'detected', api: 'dependency', 'db-migrate': 'dependency' },
      changedFiles: 2,
      ai: { model: 'gpt-test', suggested: ['www'], dropped: ['payments'], rationale: 'because' },
    });
    expect(detect).toHaveBeenCalledWith(expect.objectContaining({ repository: 'acme/shop', filesTruncated: false, services: SERVICES }));
  });

  it('never lets the model remove a service the globs matched', async () => {
    const { chooseServices } = setup(files('worker/job.ts'), () => Promise.resolve(detection([])));
    await expect(chooseServices(input())).resolves.toMatchObject({ services: ['worker'], source: 'ai' });
  });

  it('falls back to the static choice with the reason when the model fails', async () => {
    const { chooseServices } = setup(files('worker/job.ts'), () => Promise.reject(new Error('the model did not answer within 100 ms')));
    await expect(chooseServices(input())).resolves.toEqual({
      services: ['worker'],
      source: 'static',
      reasons: { worker: 'changed-paths' },
      changedFiles: 1,
      fallbackReason: 'AI not used: the model did not answer within 100 ms',
    });
  });

  it('does not ask the model when the globs already chose everything, or nothing changed', async () => {
    const all = setup(files('web/a.tsx', 'worker/b.ts'), () => Promise.resolve(detection([])));
    await expect(all.chooseServices(input())).resolves.toMatchObject({ source: 'static', services: ['db-migrate', 'api', 'worker', 'www'] });
    const none = setup(files(), () => Promise.resolve(detection([])));
    await expect(none.chooseServices(input())).resolves.toMatchObject({ source: 'static', services: [] });
    expect(all.detect).not.toHaveBeenCalled();
    expect(none.detect).not.toHaveBeenCalled();
  });

  it('deploys everything when GitHub lists only part of the files', async () => {
    const { chooseServices, detect } = setup({ files: files('api/a.ts').files, truncated: true }, () => Promise.resolve(detection([])));
    await expect(chooseServices(input())).resolves.toMatchObject({ source: 'all-fallback', services: ['db-migrate', 'api', 'worker', 'www'], fallbackReason: expect.stringContaining('more than GitHub lists') });
    expect(detect).not.toHaveBeenCalled();
  });

  it('deploys everything instead of waiting out a rate limit or failing on a missing permission', async () => {
    const limited = ApplicationFailure.create({ type: 'GitHubRateLimited', message: 'GitHub primary rate limit reached; retrying in 3000s', nextRetryDelay: 3_000_000 });
    await expect(setup(limited).chooseServices(input())).resolves.toMatchObject({ source: 'all-fallback', fallbackReason: expect.stringContaining('rate limit') });
    const forbidden = ApplicationFailure.nonRetryable('GitHub refused to list …', 'GitHubPermission');
    await expect(setup(forbidden).chooseServices(input())).resolves.toMatchObject({ source: 'all-fallback', fallbackReason: 'changed files unavailable: GitHub refused to list …' });
  });

  it('lets an outage fail the attempt, so the retry policy retries it', async () => {
    const outage = ApplicationFailure.retryable('GitHub unavailable (HTTP 502)', 'GitHubUnavailable');
    await expect(setup(outage).chooseServices(input())).rejects.toBe(outage);
  });
});

describe('chooseServices without GitHub', () => {
  it('deploys everything at once (no retries of an error), saying why', async () => {
    const { chooseServices } = createAiActivities({ logger: quiet });
    await expect(chooseServices(input())).resolves.toEqual({
      services: ['db-migrate', 'api', 'worker', 'www'],
      source: 'all-fallback',
      reasons: { 'db-migrate': 'scope-all', api: 'scope-all', worker: 'scope-all', www: 'scope-all' },
      fallbackReason: 'GitHub is not configured: the changed files are unknown',
    });
  });
});
