import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface KubeHttpResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * A minimal admin HTTPS client for the harness itself (readiness probes, CRD install), so
 * bring-up does not depend on the product's Kubernetes client. Tests use the real client.
 */
export class KubeHttp {
  private readonly ca: Buffer;
  private readonly cert: Buffer;
  private readonly key: Buffer;

  constructor(
    readonly server: string,
    files: { caCert: string; adminCert: string; adminKey: string },
  ) {
    this.ca = readFileSync(files.caCert);
    this.cert = readFileSync(files.adminCert);
    this.key = readFileSync(files.adminKey);
  }

  send(method: string, path: string, body?: string, contentType = 'application/json', headers: Record<string, string> = {}): Promise<KubeHttpResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        { method, ca: this.ca, cert: this.cert, key: this.key, headers: body ? { 'content-type': contentType, ...headers } : headers, timeout: 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
