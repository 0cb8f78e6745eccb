export {
  assertDatabasePrefix,
  assertPreviewDatabaseName,
  assertPreviewNamespace,
  InvalidDatabaseNameError,
  isPreviewDatabaseName,
  MAX_DATABASE_PREFIX,
  MAX_IDENTIFIER_BYTES,
  previewDatabaseName,
  type DatabaseNaming,
} from './database-names';
export {
  buildDatabaseSecret,
  connectionUrl,
  decodeSecretData,
  SECRET_KEYS,
  type DatabaseEndpoint,
  type DatabaseSecretInput,
  type DatabaseSecretManifest,
  type SecretKey,
  type SslMode,
} from './database-secret';
export { databaseSettingsSchema, databaseSettingsFromConfig, parseDatabaseSettings, type DatabaseSettings, type DatabaseSettingsInput } from './database-settings';
export {
  isOwnedBy,
  MANAGED_BY,
  ownershipMarker,
  parseDatabaseComment,
  parseOwnershipMarker,
  renderComment,
  type BootstrapRecord,
  type DatabaseComment,
  type OwnershipMarker,
} from './ownership-marker';
export { screenPreviewDatabase, type DatabaseScreen, type DatabaseScreenOptions, type DatabaseSkipReason, type PreviewDatabaseEntry } from './database-listing';
