export * from './repository-config';
