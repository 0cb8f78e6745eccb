// The Secret that hands a preview its database credentials, in the preview namespace. Its keys
// are the usual ones (host, port, database, username, password, url), so workloads can take
// them with `envFrom` or single `secretKeyRef`s. Built only inside the activity that sets the
// role's password: the password never travels through workflow history, logs or memos.

export const SECRET_KEYS = ['host', 'port', 'database', 'username', 'password', 'url'] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Where preview workloads reach the shared server (may differ from the worker's own address). */
export interface DatabaseEndpoint {
  readonly host: string;
  readonly port: number;
  /** Written into `url` as `?sslmode=…` when set. */
  readonly sslMode?: SslMode;
}

export interface DatabaseSecretInput {
  readonly namespace: string;
  readonly secretName: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly endpoint: DatabaseEndpoint;
  readonly database: string;
  readonly username: string;
  readonly password: string;
}

/** A v1 Secret as the API server speaks it (a type alias, so it is assignable to generic object shapes). */
export type DatabaseSecretManifest = {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly type: 'Opaque';
  /** Base64, as the API stores it (not `stringData`, which server-side apply cannot own cleanly). */
  readonly data: Readonly<Record<SecretKey, string>>;
};

/** `postgresql://user:password@host:port/database`, every part percent-encoded, IPv6 hosts bracketed. */
export function connectionUrl(endpoint: DatabaseEndpoint, database: string, username: string, password: string): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const query = endpoint.sslMode ? `?sslmode=${endpoint.sslMode}` : '';
  return `postgresql://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${endpoint.port}/${encodeURIComponent(database)}${query}`;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function buildDatabaseSecret(input: DatabaseSecretInput): DatabaseSecretManifest {
  const values: Record<SecretKey, string> = {
    host: input.endpoint.host,
    port: String(input.endpoint.port),
    database: input.database,
    username: input.username,
    password: input.password,
    url: connectionUrl(input.endpoint, input.database, input.username, input.password),
  };
  const data = Object.fromEntries(SECRET_KEYS.map((key) => [key, base64(values[key])])) as Record<SecretKey, string>;
  const metadata = { name: input.secretName, namespace: input.namespace, ...(input.labels ? { labels: { ...input.labels } } : {}) };
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data };
}

/** The decoded values of a Secret's `data`, for reading back what an earlier attempt wrote. */
export function decodeSecretData(data: unknown): Partial<Record<SecretKey, string>> {
  if (typeof data !== 'object' || data === null) return {};
  const decoded: Partial<Record<SecretKey, string>> = {};
  for (const key of SECRET_KEYS) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string') decoded[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return decoded;
}
