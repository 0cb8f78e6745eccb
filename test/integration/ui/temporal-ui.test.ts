import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { PullRequestEvent } from '@octokit/webhooks-types';
import type { FastifyInstance } from 'fastify';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { buildIngress } from '../../../src/ingress';
import { guardedInterceptors } from '../../../src/temporal-client';
import { createWorker, type PreviewdWorker } from '../../../src/worker';
import { workflowRunsLink } from '../../../src/worker/temporal-ui-link';
import { PreviewExpiresAt, PreviewPhase, PreviewPullRequest, PreviewRepository, statusQuery, type PreviewStatus } from '../../../workflows/contract';
import { PreviewActivityDoubles } from '../../doubles';
import { harnessState, uniqueId } from '../../harness';
import { pullRequestEvent, type PrTarget } from '../ingress/github-examples';
import { deliver, eventually, memoryLogger, nextTarget, repositoryEntry, testConfig, testRepository, workflowIdOf } from '../ingress/support';
import { readPng, screenshotDir } from './screenshots';

// The Temporal UI the dev server ships (2.54.1), driven by a real headless Chromium the way an
// operator uses it: open the "Workflow run" link previewd puts in the PR comment, find the
// preview in the runs list, follow it to the run, and read what the run says about itself
// (the static summary and details the ingress set, the current details the workflow keeps).
// Each test leaves a screenshot of the page it checked (see ./screenshots.ts for where).
// The preview is started by a signed published example through the real ingress; activities
// are doubles (no cluster is needed to show what the UI renders).

const CHROMIUM = process.env.PREVIEWD_CHROMIUM ?? '/usr/bin/chromium';
const PROVISION_HINT = 'Provision it with `npm run provision` (Debian: apt-get install chromium) or point PREVIEWD_CHROMIUM at a Chromium/Chrome binary.';
/** A commit SHA that looks like one (the pictures show them). */
const sha = (seed: string): string => createHash('sha1').update(seed).digest('hex');
/** A laptop-sized window: the screenshots stay small and read like what an operator sees. */
const VIEWPORT = { width: 1280, height: 880 } as const;
/** A blank or half-painted 1280x880 page compresses to a few KB; the UI's list or run page is several times that. */
const MIN_SCREENSHOT_BYTES = 20_000;

/** The answer of the SDK's built-in `__temporal_workflow_metadata` query (temporal.api.sdk.v1.WorkflowMetadata), as JSON. */
interface WorkflowMetadata {
  readonly currentDetails?: string;
  readonly definition?: Partial<Record<'signalDefinitions' | 'queryDefinitions' | 'updateDefinitions', readonly { readonly name?: string; readonly description?: string }[]>>;
}

/** The little of the browser's DOM these functions read (they run in the page; the project's types have no DOM lib). */
interface InPage {
  readonly document: { readonly body?: { readonly innerText: string }; querySelectorAll(selector: string): Iterable<{ readonly innerText: string; getAttribute(name: string): string | null }> };
  readonly localStorage: { setItem(key: string, value: string): void };
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

/** Shoots the page into the screenshot directory and checks the file is a PNG of the page, not an empty one. */
async function screenshot(page: Page, name: string): Promise<string> {
  const dir = screenshotDir(harnessState().workDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await page.screenshot({ path });
  const png = readPng(path);
  expect({ width: png.width, height: png.height }).toEqual(VIEWPORT);
  expect(png.bytes).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
  process.stdout.write(`temporal-ui: ${path} (${png.width}x${png.height}, ${png.bytes} bytes)\n`);
  return path;
}

/** Opens a preview through the real ingress and waits until its workflow reports `phase`. */
async function openPreview(target: PrTarget, headSha: string, phase: PreviewStatus['phase']): Promise<{ workflowId: string; event: PullRequestEvent }> {
  const workflowId = workflowIdOf(target);
  const event = pullRequestEvent('opened', target, { headSha, labels: ['preview'] });
  expect((await deliver(app, 'pull_request', event)).statusCode).toBe(202);
  await eventually(async () => {
    const s: PreviewStatus = await client.workflow.getHandle(workflowId).query(statusQuery);
    return s.phase === phase ? s : undefined;
  }, `${workflowId} to be ${phase}`);
  return { workflowId, event };
}

function uiUrl(): string {
  const { temporal } = harnessState();
  if (!temporal.uiUrl) throw new Error('The harness dev server runs without its UI (the SDK-downloaded server has none): provision the Temporal CLI with `npm run provision`.');
  return temporal.uiUrl;
}

async function browserPage(): Promise<Page> {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  return page;
}

test('the PR comment link leads through the runs list to a run page that explains the preview', async () => {
  const { temporal } = harnessState();
  const ui = uiUrl();
  const target = nextTarget(repository);
  const { workflowId, event } = await openPreview(target, sha('a'), 'Ready');

  // What the UI's tabs read: the SDK's metadata query carries the current details and every handler's description.
  const metadata = await client.workflow.getHandle(workflowId).query<WorkflowMetadata>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(/\*\*Phase:\*\* Ready/);
  const handlers = [...(metadata.definition?.signalDefinitions ?? []), ...(metadata.definition?.queryDefinitions ?? []), ...(metadata.definition?.updateDefinitions ?? [])];
  for (const name of ['prEvent', 'extend', 'extendTtl', 'destroy', 'redeploy', 'status', 'clusterChanged']) {
    expect(handlers.find((h) => h.name === name)?.description).toEqual(expect.stringMatching(/\w/));
  }

  const page = await browserPage();

  // The runs list, filtered by the workflow id. Visibility is eventually consistent: reload until the row is there.
  const link = workflowRunsLink(ui, temporal.namespace, workflowId);
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

  // The row's link opens the run (a page with the run's tabs, not the 404 page).
  await page.goto(new URL(rowHref, ui).toString(), { waitUntil: 'domcontentloaded' });
  const runText = (await untilRendered(page, ([text]) => text!.includes('User Metadata') && text!.includes(workflowId), 'the run page'))[0]!;
  expect(runText).not.toMatch(/\b404\b|not found/i);

  // Its User Metadata tab: the static summary and details, and the current details the workflow keeps.
  const metadataHref = await page.evaluate(() => [...(globalThis as unknown as InPage).document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '').find((h) => /\/user-metadata\b/.test(h)));
  expect(metadataHref).toBeDefined();
  await page.goto(new URL(metadataHref!, ui).toString(), { waitUntil: 'domcontentloaded' });
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
  await screenshot(page, 'temporal-ui-run.png');
}, 180_000);

// The UI keeps the runs list's columns per namespace in the browser's local storage (UI 2.54.1:
// `namespace-workflow-table-columns`, what its "Configure columns" drawer writes). It has no
// column for the summary (the list API returns no user metadata), but it shows search
// attributes: previewd's say which PR, which phase and until when.
const COLUMNS_KEY = 'namespace-workflow-table-columns';
// The head SHA (PreviewHeadSha) is left out: 40 characters push the expiry out of a laptop's window.
const PREVIEW_COLUMNS = ['Status', 'Workflow ID', PreviewPullRequest.name, PreviewPhase.name, PreviewExpiresAt.name];

test("the runs list filtered to a repository's previews shows their PR, phase and expiry", async () => {
  const { temporal } = harnessState();
  const ui = uiUrl();
  const readyTarget = nextTarget(repository);
  const ready = await openPreview(readyTarget, sha('b'), 'Ready');
  const failing = nextTarget(repository);
  doubles.for(workflowIdOf(failing)).fail('deployApps', { type: 'KubernetesForbidden', message: 'applications.argoproj.io is forbidden: User "previewd" cannot create' });
  const failed = await openPreview(failing, sha('c'), 'Failed');

  const page = await browserPage();
  await page.evaluateOnNewDocument(
    (key: string, value: string) => (globalThis as unknown as InPage).localStorage.setItem(key, value),
    COLUMNS_KEY,
    JSON.stringify({ [temporal.namespace]: PREVIEW_COLUMNS.map((label) => ({ label })) }),
  );
  const query = `${PreviewRepository.name} = "${repository}"`;
  const list = `${ui}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
  // Visibility is eventually consistent (the phase is upserted after the start): reload until both rows say their phase.
  const rows = await eventually(
    async () => {
      await page.goto(list, { waitUntil: 'domcontentloaded' });
      const found = await page.waitForFunction(
        (ids: string[]) => {
          const texts = [...(globalThis as unknown as InPage).document.querySelectorAll('tr')].map((r) => r.innerText);
          const mine = ids.map((id) => texts.find((t) => t.includes(id)));
          return mine.every((t) => t !== undefined && /Ready|Failed/.test(t)) ? mine : undefined;
        },
        { timeout: 10_000 },
        [ready.workflowId, failed.workflowId],
      );
      return (await found.jsonValue()) as string[] | undefined;
    },
    'both previews with their phase in the runs list',
    60_000,
  );
  // Each row's cells (a table row's innerText separates them by tabs): its PR number, its phase and its expiry (the one date among the columns).
  const [readyCells, failedCells] = rows.map((row) => row.split('\t').map((cell) => cell.trim()));
  expect(readyCells).toEqual(expect.arrayContaining([String(readyTarget.number), 'Ready', expect.stringMatching(/^\w{3} \d+, 20\d\d, .* UTC$/)]));
  expect(failedCells).toEqual(expect.arrayContaining([String(failing.number), 'Failed', expect.stringMatching(/^\w{3} \d+, 20\d\d, .* UTC$/)]));
  const header = await innerText(page);
  for (const column of PREVIEW_COLUMNS) expect(header).toContain(column);
  expect(header).toContain(query);
  await screenshot(page, 'temporal-ui-runs-list.png');
}, 180_000);
