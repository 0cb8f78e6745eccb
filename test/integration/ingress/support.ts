import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { parseConfig, type PreviewdConfig, type PreviewdConfigInput } from '../../../src/config';
import { previewWorkflowId } from '../../../src/lifecycle';
import { WEBHOOK_PATH } from '../../../src/ingress';
import { createLogger } from '../../../src/observability';
import { signedDelivery, type PrTarget } from './github-examples';

export const SECRET = 'current-webhook-secret-0001';
export const OLD_SECRET = 'previous-webhook-secret-0002';

/** One repository per test file (random), so files sharing the dev server never share workflow ids. */
export function testRepository(prefix: string): string {
  return `acme/${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

let nextPr = 1 + Math.floor(Math.random() * 1000);
export function nextTarget(repository: string): PrTarget {
  return { repository, number: nextPr++ };
}

export function workflowIdOf(target: PrTarget): string {
  return previewWorkflowId(target);
}

export function repositoryEntry(fullName: string, key: string, trigger: Record<string, unknown> = {}): NonNullable<PreviewdConfigInput['repositories']>[number] {
  return {
    fullName,
    key,
    scope: 'all',
    trigger,
    services: [{ name: 'web', expose: { port: 8080 }, source: { repoURL: 'https://git.example.test/gitops.git', path: 'apps/web', image: 'ghcr.example.test/acme/web' } }],
  };
}

/**
 * Runs end right after their teardown here (lifecycle.retainAfterTeardown `0s`), so tests can
 * await a run's outcome; the race suite keeps the production behaviour (torn-down runs stay).
 */
export function testConfig(input: PreviewdConfigInput): PreviewdConfig {
  return parseConfig({ github: { webhookSecrets: [SECRET, OLD_SECRET] }, log: { level: 'silent' }, ...input, lifecycle: { retainAfterTeardown: '0s', ...input.lifecycle } });
}

/** previewd's logger (with its redaction) writing into memory, to check what was and was not logged. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: () => string } {
  const chunks: string[] = [];
  const logger = createLogger({ level, destination: { write: (chunk: string) => void chunks.push(chunk) } });
  return { logger, lines: () => chunks.join('') };
}

export async function deliver(app: FastifyInstance, event: string, payload: unknown, opts: { secret?: string; deliveryId?: string } = {}): Promise<LightMyRequestResponse> {
  const delivery = await signedDelivery(event, payload, opts.secret ?? SECRET, opts.deliveryId);
  return app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: delivery.headers, payload: delivery.body });
}

/**
 * No workflow with this id exists: describe (strongly consistent) says not found, and a
 * visibility list by the id (what people and previewctl use) finds nothing either.
 */
export async function expectNoWorkflow(client: Client, workflowId: string): Promise<void> {
  await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  const found: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) found.push(execution.runId);
  expect(found).toEqual([]);
}

/** Polls until `probe` returns a value or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
