export * from './skip-reason';
export * from './namespace-screen';
export * from './orphan-verdict';
export * from './orphan-candidate';
export * from './janitor-summary';
