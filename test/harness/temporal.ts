import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { harnessState } from './state';
import { guardedInterceptors } from '../../src/temporal-client';

/** A client for the run-wide dev server; close the connection in afterAll. */
export async function devServerClient(): Promise<{ client: Client; connection: Connection; namespace: string }> {
  const { temporal } = harnessState();
  const connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
  return { client: new Client({ connection, namespace: temporal.namespace }), connection, namespace: temporal.namespace };
}

/**
 * A time-skipping environment on the provisioned test server. One per test file: the SDK can
 * only drive time on a test server it launched itself, and the native binary starts in well
 * under a second. Always `teardown()` it in afterAll.
 */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = harnessState();
  const executable = testServer === 'sdk-download' ? { type: 'cached-download' as const } : { type: 'existing-path' as const, path: testServer };
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
}

/** Workflow ids unique per test, so tests sharing the dev server never collide. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
