import { serviceConfigSchema, type ServiceConfig } from '../../../src/config';

const source = (name: string) => ({ repoURL: 'https://git.example.com/deploy.git', path: `apps/${name}`, image: `registry.example.com/${name}` });

export const SERVICES: ServiceConfig[] = [
  serviceConfigSchema.parse({ name: 'db-migrate', phase: 610, paths: ['migrations/**'], source: source('db-migrate') }),
  serviceConfigSchema.parse({ name: 'api', phase: 630, paths: ['api/**'], dependsOn: ['db-migrate'], source: source('api') }),
  serviceConfigSchema.parse({ name: 'worker', phase: 640, paths: ['worker/**'], source: source('worker') }),
  serviceConfigSchema.parse({ name: 'www', phase: 650, paths: ['web/**'], dependsOn: ['api'], expose: { port: 8080 }, source: source('www') }),
];
