import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import type { TemporalConfig } from './connections';

// One mapping from config to connection options, shared by the client (ingress, previewctl)
// and the worker's NativeConnection, which accept the same address/tls/apiKey shape.

export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  readonly apiKey?: string;
}

function readPem(field: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(field, `invalid previewd config: ${field}: cannot read ${file}: ${(err as Error).message}`);
  }
}

export function temporalConnectionOptions(temporal: TemporalConfig): TemporalConnectionOptions {
  const { tls } = temporal;
  return {
    address: temporal.address,
    ...(tls.enabled && {
      tls: {
        ...(tls.serverName !== undefined && { serverNameOverride: tls.serverName }),
        ...(tls.caFile !== undefined && { serverRootCACertificate: readPem('temporal.tls.caFile', tls.caFile) }),
        ...(tls.certFile !== undefined &&
          tls.keyFile !== undefined && { clientCertPair: { crt: readPem('temporal.tls.certFile', tls.certFile), key: readPem('temporal.tls.keyFile', tls.keyFile) } }),
      },
    }),
    ...(temporal.apiKey !== undefined && { apiKey: temporal.apiKey }),
  };
}
