export { createDatabaseActivities } from './create-database-activities';
export { createDatabaseContext, type AdminConnection, type DatabaseActivityDeps, type DatabaseContext } from './database-context';
export { DatabaseFailureType, NON_RETRYABLE_DATABASE_FAILURES, toDatabaseFailure, type DatabaseFailureTypeName } from './database-failure';
export { kubeSecretStore, type PreviewSecretStore, type SecretApi } from './secret-store';
export { generatePassword, isGeneratedPassword, scramSha256Verifier } from './credentials';
export type {
  DatabaseActivities,
  DatabaseOwner,
  DropDatabaseInput,
  DropDatabaseResult,
  ListPreviewDatabasesResult,
  ProvisionDatabaseInput,
  ProvisionDatabaseResult,
} from './types';
