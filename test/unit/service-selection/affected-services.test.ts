import { repositoryConfigSchema } from '../../../src/config';
import { selectAffectedServices, type ChangedFile } from '../../../src/service-selection';

const source = { repoURL: 'https://git.example.com/deploy.git', path: 'apps/x', image: 'registry.example.com/x' };
const repo = repositoryConfigSchema.parse({
  fullName: 'acme/shop',
  key: 'shop',
  services: [
    { name: 'web', phase: 650, paths: ['web/**', 'shared/ui/**'], dependsOn: ['api'], source },
    { name: 'api', phase: 630, paths: ['api/**', 'shared/proto/**'], dependsOn: ['db-migrate'], source },
    { name: 'db-migrate', phase: 610, paths: ['migrations/**'], source },
    { name: 'worker', phase: 640, paths: ['worker/**', '.github/workers/*.yml'], source },
    { name: 'smoke', phase: 699, alwaysDeploy: true, source },
  ],
});
const changed = (...filenames: string[]): ChangedFile[] => filenames.map((filename) => ({ filename, status: 'modified' }));

describe('selectAffectedServices', () => {
  it('picks services whose globs match, with transitive dependencies and always-deploy services, in phase order', () => {
    const selection = selectAffectedServices(repo, changed('web/src/app.tsx'));
    expect(selection.services).toEqual(['db-migrate', 'api', 'web', 'smoke']);
    expect(selection.reasons).toEqual({ web: 'changed-paths', api: 'dependency', 'db-migrate': 'dependency', smoke: 'always-deploy' });
  });

  it('counts the old path of a renamed file and removed files', () => {
    const renamed: ChangedFile[] = [{ filename: 'docs/moved.md', status: 'renamed', previousFilename: 'worker/jobs/moved.md' }];
    expect(selectAffectedServices(repo, renamed).services).toEqual(['worker', 'smoke']);
    const removed: ChangedFile[] = [{ filename: 'migrations/0042_drop.sql', status: 'removed' }];
    expect(selectAffectedServices(repo, removed).services).toEqual(['db-migrate', 'smoke']);
  });

  it('matches dot-directories', () => {
    expect(selectAffectedServices(repo, changed('.github/workers/ci.yml')).services).toEqual(['worker', 'smoke']);
  });

  it('deploys only always-deploy services when nothing matches', () => {
    expect(selectAffectedServices(repo, changed('README.md')).services).toEqual(['smoke']);
  });

  it('deploys the whole apps tier for scope all', () => {
    const selection = selectAffectedServices({ ...repo, scope: 'all' }, changed('README.md'));
    expect(selection.services).toEqual(['db-migrate', 'api', 'worker', 'web', 'smoke']);
    expect(new Set(Object.values(selection.reasons))).toEqual(new Set(['scope-all']));
  });
});

describe('selectAffectedServices with detected services', () => {
  it('adds detected services with their dependencies and ignores unknown names', () => {
    const selection = selectAffectedServices(repo, changed('worker/job.ts'), { detected: ['web', 'payments', 'worker'] });
    expect(selection.services).toEqual(['db-migrate', 'api', 'worker', 'web', 'smoke']);
    expect(selection.reasons).toEqual({ worker: 'changed-paths', web: 'detected', api: 'dependency', 'db-migrate': 'dependency', smoke: 'always-deploy' });
  });
});
