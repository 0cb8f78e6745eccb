import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { guardedInterceptors } from '../../../src/temporal-client';

// A client call waiting between the SDK's gRPC retries when its connection closes. Nothing
// listens on the port (a socket that accepts and drops is enough to make the call UNAVAILABLE,
// which the SDK retries), so no Temporal server is needed to produce it.

const run = promisify(execFile);

/** A port that accepts TCP connections and closes them at once: every call is UNAVAILABLE. */
async function droppingPort(): Promise<{ address: string; server: Server }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { address: `127.0.0.1:${port}`, server };
}

describe('a call waiting to be retried when its Temporal connection closes', () => {
  let port: { address: string; server: Server };
  beforeAll(async () => {
    port = await droppingPort();
  });
  afterAll(() => new Promise<void>((resolve) => port.server.close(() => resolve())));

  it('with the guard, the call settles with an error and nothing is thrown from a timer', async () => {
    const connection = Connection.lazy({ address: port.address, connectTimeout: 100, interceptors: guardedInterceptors() });
    const signal = new Client({ connection }).workflow.getHandle('preview:acme/shop#1').signal('extend');
    const outcome = signal.then(
      () => 'sent',
      (err: Error & { cause?: { code?: number } }) => `rejected (code ${err.cause?.code})`,
    );
    await new Promise((r) => setTimeout(r, 300)); // a few UNAVAILABLE attempts
    await connection.close();
    // Where the close lands (a backoff or an attempt) moves with the machine's load: the call
    // ends CANCELLED (1, the guard) or UNAVAILABLE (14). Without the guard a close during a
    // backoff leaves the promise unsettled (the timeout fails this test) and throws from the
    // timer (jest fails the file).
    await expect(outcome).resolves.toMatch(/^rejected \(code (1|14)\)$/);
  });

  it("without it (the SDK's defaults), the retry throws 'Channel has been shut down' from a timer: the reason the guard exists", async () => {
    // In a child process: the uncaught exception would otherwise take down this test file.
    // When an SDK upgrade fixes this, this test fails and the guard can go.
    const script = `
      const { Client, Connection } = require('@temporalio/client');
      process.on('uncaughtException', (e) => { console.log('uncaught: ' + e.message); process.exit(0); });
      const connection = Connection.lazy({ address: ${JSON.stringify(port.address)}, connectTimeout: 100 });
      new Client({ connection }).workflow.getHandle('x').signal('s').catch((e) => console.log('rejected: ' + e.message));
      setTimeout(() => connection.close(), 300);
      setTimeout(() => { console.log('no error within 5 s'); process.exit(0); }, 5000);
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: process.cwd() });
    expect(stdout.trim()).toBe('uncaught: Channel has been shut down');
  });
});
