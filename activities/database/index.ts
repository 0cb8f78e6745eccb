export { createDatabaseActivities, type DatabaseActivities } from './create-database-activities';
export { createDatabaseContext, type AdminConnection, type DatabaseActivityDeps, type DatabaseContext } from './database-context';
export { DatabaseFailureType, NON_RETRYABLE_DATABASE_FAILURES, toDatabaseFailure, type DatabaseFailureTypeName } from './database-failure';
export { kubeSecretStore, type PreviewSecretStore, type SecretApi } from './secret-store';
export { generatePassword, isGeneratedPassword, scramSha256Verifier } from './credentials';
export { listPreviewDatabases, readPreviewDatabase, type ListPreviewDatabasesResult } from './list-preview-databases';
export { dropDatabase } from './drop-database';
