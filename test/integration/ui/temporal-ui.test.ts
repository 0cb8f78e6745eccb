import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { buildIngress } from '../../../src/ingress';
import { guardedInterceptors } from '../../../src/temporal-client';
import { createWorker, type PreviewdWorker } from '../../../src/worker';
import { workflowRunsLink } from '../../../src/worker/temporal-ui-link';
import { statusQuery, type PreviewStatus } from '../../../workflows/contract';
import { PreviewActivityDoubles } from '../../doubles';
import { harnessState, uniqueId } from '../../harness';
import { pullRequestEvent } from '../ingress/github-examples';
import { deliver, eventually, memoryLogger, nextTarget, repositoryEntry, testConfig, testRepository, workflowIdOf } from '../ingress/support';

// The Temporal UI the dev server ships (2.54.1), driven by a real headless Chromium the way an
// operator uses it: open the "Workflow run" link previewd puts in the PR comment, find the
// preview in the runs list, follow it to the run, and read what the run says about itself
// (the static summary and details the ingress set, the current details the workflow keeps).
// The preview is started by a signed published example through the real ingress; activities
// are doubles (no cluster is needed to show what the UI renders).

const CHROMIUM = process.env.PREVIEWD_CHROMIUM ?? '/usr/bin/chromium';
const PROVISION_HINT = 'Provision it with `npm run provision` (Debian: apt-get install chromium) or point PREVIEWD_CHROMIUM at a Chromium/Chrome binary.';
const sha = (c: string): string => c.repeat(40).slice(0, 40);

/** The answer of the SDK's built-in `__temporal_workflow_metadata` query (temporal.api.sdk.v1.WorkflowMetadata), as JSON. */
interface WorkflowMetadata {
  readonly currentDetails?: string;
  readonly definition?: Partial<Record<'signalDefinitions' | 'queryDefinitions' | 'updateDefinitions', readonly { readonly name?: string; readonly description?: string }[]>>;
}

/** The little of the browser's DOM these functions read (they run in the page; the project's types have no DOM lib). */
interface InPage {
  readonly document: { readonly body?: { readonly innerText: string }; querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }> };
}

const repository = testRepository('ui');
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: PreviewdWorker;
let app: FastifyInstance;
let browser: Browser | undefined;
const doubles = new PreviewActivityDoubles();

beforeAll(async () => {
  const { temporal } = harnessState();
  const taskQueue = uniqueId('temporal-ui');
  const config = testConfig({ temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue }, repositories: [repositoryEntry(repository, 'ui')] });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
  nativeConnection = await NativeConnection.connect({ address: temporal.address });
  worker = await createWorker({ config, connection: nativeConnection, workflowBundle, activities: doubles.activities() });
  connection = await Connection.connect({ address: temporal.address, interceptors: guardedInterceptors() });
  client = new Client({ connection, namespace: temporal.namespace });
  app = await buildIngress({ config, client, logger: memoryLogger().logger });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await worker?.stop();
  await nativeConnection?.close();
  await connection?.close();
});

/** A missing browser is a failure that says how to provision it, never a skip. */
async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`No Chromium at ${CHROMIUM}: the Temporal UI test drives a real headless browser. ${PROVISION_HINT}`);
  }
  return puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
}

function innerText(page: Page | Frame): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as InPage).document.body?.innerText ?? '');
}

/** The UI renders summary and details as markdown in iframes (`/render?content=…`): their texts. */
async function renderedFrames(page: Page): Promise<string[]> {
  const frames = page.frames().filter((f) => f.url().includes('/render'));
  return Promise.all(frames.map((f) => innerText(f).catch(() => '')));
}

/** Polls the page's DOM (the UI long-polls, so network idle never comes) until `accept` holds. */
async function untilRendered(page: Page, accept: (texts: string[]) => boolean, what: string, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = [await innerText(page), ...(await renderedFrames(page))];
    if (accept(texts)) return texts;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; the page showed:\n${texts.join('\n---\n').slice(0, 4000)}`);
}

test('the PR comment link leads through the runs list to a run page that explains the preview', async () => {
  const { temporal, workDir } = harnessState();
  if (!temporal.uiUrl) throw new Error('The harness dev server runs without its UI (the SDK-downloaded server has none): provision the Temporal CLI with `npm run provision`.');
  browser = await launchChromium();
  const target = nextTarget(repository);
  const workflowId = workflowIdOf(target);
  const event = pullRequestEvent('opened', target, { headSha: sha('a'), labels: ['preview'] });
  expect((await deliver(app, 'pull_request', event)).statusCode).toBe(202);
  await eventually(async () => {
    const s: PreviewStatus = await client.workflow.getHandle(workflowId).query(statusQuery);
    return s.phase === 'Ready' ? s : undefined;
  }, 'the preview to be Ready');

  // What the UI's tabs read: the SDK's metadata query carries the current details and every handler's description.
  const metadata = await client.workflow.getHandle(workflowId).query<WorkflowMetadata>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(/\*\*Phase:\*\* Ready/);
  const handlers = [...(metadata.definition?.signalDefinitions ?? []), ...(metadata.definition?.queryDefinitions ?? []), ...(metadata.definition?.updateDefinitions ?? [])];
  for (const name of ['prEvent', 'extend', 'extendTtl', 'destroy', 'redeploy', 'status', 'clusterChanged']) {
    expect(handlers.find((h) => h.name === name)?.description).toEqual(expect.stringMatching(/\w/));
  }

  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const shots = join(workDir, 'temporal-ui');
  mkdirSync(shots, { recursive: true });

  // The runs list, filtered by the workflow id. Visibility is eventually consistent: reload until the row is there.
  const link = workflowRunsLink(temporal.uiUrl, temporal.namespace, workflowId);
  const runPath = `/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}/`;
  const rowHref = await eventually(
    async () => {
      await page.goto(link, { waitUntil: 'domcontentloaded' });
      const handle = await page.waitForFunction((prefix: string) => [...(globalThis as unknown as InPage).document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').find((h) => h.startsWith(prefix)), { timeout: 10_000 }, runPath);
      return (await handle.jsonValue()) || undefined;
    },
    'the run in the runs list',
    60_000,
  );
  const listText = await innerText(page);
  expect(listText).toContain(workflowId);
  expect(listText).toContain('RUNNING');
  await page.screenshot({ path: join(shots, 'runs-list.png') });

  // The row's link opens the run (a page with the run's tabs, not the 404 page).
  await page.goto(new URL(rowHref, temporal.uiUrl).toString(), { waitUntil: 'domcontentloaded' });
  const runText = (await untilRendered(page, ([text]) => text!.includes('User Metadata') && text!.includes(workflowId), 'the run page'))[0]!;
  expect(runText).not.toMatch(/\b404\b|not found/i);

  // Its User Metadata tab: the static summary and details, and the current details the workflow keeps.
  const metadataHref = await page.evaluate(() => [...(globalThis as unknown as InPage).document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').find((h) => /\/user-metadata\b/.test(h)));
  expect(metadataHref).toBeDefined();
  await page.goto(new URL(metadataHref!, temporal.uiUrl).toString(), { waitUntil: 'domcontentloaded' });
  const summary = `${target.repository}#${target.number} preview`;
  const texts = await untilRendered(
    page,
    (t) => t.some((x) => x.includes(summary)) && t.some((x) => x.includes(`Pull request: #${target.number}`)) && t.some((x) => /Phase: Ready/.test(x)),
    'the summary, details and current details',
  );
  const rendered = texts.slice(1).join('\n');
  expect(rendered).toContain(summary);
  expect(rendered).toContain(`Repository: ${target.repository}`);
  expect(rendered).toContain('pull_request.opened');
  expect(rendered).toMatch(/Phase: Ready/);
  expect(rendered).toContain(`Head: ${sha('a').slice(0, 7)}`);
  expect(rendered).toMatch(/Expires: \d{4}-\d\d-\d\dT/);
  // Nothing the PR's author wrote reaches the UI's metadata.
  expect(rendered).not.toContain(event.pull_request.title);
  expect(rendered).not.toContain(event.pull_request.head.ref);
  await page.screenshot({ path: join(shots, 'run-user-metadata.png'), fullPage: true });
  process.stdout.write(`temporal-ui: screenshots in ${shots}\n`);
}, 180_000);
