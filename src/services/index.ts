export * from './changed-file';
export * from './affected-services';
