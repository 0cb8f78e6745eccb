import type { FakeGitHub } from '../../fakes/github-server';
import { activitiesFor, runActivity, startGitHub } from './support';

const preview = { repository: 'acme/shop', repoKey: 'shop', prNumber: 42 };

describe('listChangedFiles', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startGitHub();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.clearRequests());

  it('pages through the files 100 at a time and keeps renames and diff stats', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ filename: `api/file-${i}.ts`, additions: i, deletions: 1 }));
    files[3] = { ...files[3], filename: 'web/new.tsx', status: 'renamed', previous_filename: 'web/old.tsx' } as (typeof files)[number];
    fake.setPullFiles('acme/shop', 42, files);
    const result = await runActivity(activitiesFor(fake).listChangedFiles, preview);
    expect(fake.calls()).toEqual([
      'GET /repos/acme/shop/pulls/42/files?per_page=100',
      'GET /repos/acme/shop/pulls/42/files?per_page=100&page=2',
      'GET /repos/acme/shop/pulls/42/files?per_page=100&page=3',
    ]);
    expect(result.truncated).toBe(false);
    expect(result.files).toHaveLength(250);
    expect(result.files[3]).toEqual({ filename: 'web/new.tsx', status: 'renamed', additions: 3, deletions: 1, previousFilename: 'web/old.tsx' });
    expect(result.files[249]).toEqual({ filename: 'api/file-249.ts', status: 'modified', additions: 249, deletions: 1 });
  });

  it("stops at GitHub's 3,000-file cap and says the list is incomplete", async () => {
    fake.setPullFiles('acme/shop', 42, Array.from({ length: 3_500 }, (_, i) => ({ filename: `f/${i}` })));
    const result = await runActivity(activitiesFor(fake).listChangedFiles, preview);
    expect(fake.requests).toHaveLength(30);
    expect(result.files).toHaveLength(3_000);
    expect(result.truncated).toBe(true);
  });
});
