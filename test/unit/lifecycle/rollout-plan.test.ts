import { serviceConfigSchema, type ServiceConfig } from '../../../src/config';
import { planRollout, selectServices } from '../../../src/lifecycle';

function svc(name: string, fields: Record<string, unknown> = {}): ServiceConfig {
  return serviceConfigSchema.parse({ name, source: { repoURL: 'https://git.example.test/x.git', path: name, image: `img/${name}` }, ...fields });
}

const all = [
  svc('db', { phase: 610 }),
  svc('cache', { phase: 610 }),
  svc('api', { phase: 630, dependsOn: ['db', 'cache'] }),
  svc('web', { phase: 650, dependsOn: ['api'] }),
  svc('docs', { phase: 650 }),
  svc('gateway', { phase: 620, alwaysDeploy: true }),
];
const names = (list: readonly ServiceConfig[]) => list.map((s) => s.name);

describe('selectServices', () => {
  it('adds dependencies transitively and always-deploy services', () => {
    expect(names(selectServices(all, ['web']))).toEqual(['db', 'cache', 'api', 'web', 'gateway']);
  });

  it('ignores names that are not configured services', () => {
    expect(names(selectServices(all, ['docs', 'evil; rm -rf']))).toEqual(['docs', 'gateway']);
  });

  it('deploys everything when nothing was chosen', () => {
    expect(names(selectServices(all.filter((s) => !s.alwaysDeploy), []))).toEqual(['db', 'cache', 'api', 'web', 'docs']);
  });
});

describe('planRollout', () => {
  it('groups by rollout phase, lowest first, in config order within a phase', () => {
    expect(planRollout(all).map((step) => [step.phase, names(step.services)])).toEqual([
      [610, ['db', 'cache']],
      [620, ['gateway']],
      [630, ['api']],
      [650, ['web', 'docs']],
    ]);
  });
});
