import { randomBytes, randomUUID } from 'node:crypto';
import type { RepositoryConfig } from '../config';
import { CliError, EXIT } from './cli-io';

// `previewctl simulate` sends what GitHub would: a published example payload from
// @octokit/webhooks-examples (never hand-written JSON), re-targeted at the given repository
// and PR. Every change to the example is listed here.

export interface SimulateRequest {
  readonly event: 'pull_request' | 'comment' | 'ping';
  /** pull_request action (opened, synchronize, closed, labeled, …). */
  readonly action: string;
  readonly repository: string;
  readonly number: number;
  /** The PR's labels after the event; default: the repository's trigger label in label mode. */
  readonly labels?: readonly string[];
  /** For labeled/unlabeled. */
  readonly label?: string;
  readonly headSha?: string;
  readonly draft?: boolean;
  /** For comment: the comment body, e.g. `/preview extend 4h`. */
  readonly body?: string;
  readonly association?: string;
  readonly sender?: string;
}

export interface SimulatedDelivery {
  readonly event: string;
  readonly deliveryId: string;
  readonly payload: Record<string, unknown>;
}

type Json = Record<string, unknown>;
interface Definition {
  readonly name: string;
  readonly examples: readonly Json[];
}

/** Loaded on use: a dev dependency (simulate is a development tool; deployed images omit it). */
async function publishedExamples(): Promise<readonly Definition[]> {
  try {
    return (await import('@octokit/webhooks-examples')).default as unknown as Definition[];
  } catch {
    throw new CliError('simulate sends the published payloads of @octokit/webhooks-examples, a dev dependency: run `npm install` (without --omit=dev)', EXIT.usage);
  }
}

function example(examples: readonly Definition[], name: string, action?: string): Json {
  const found = examples
    .find((d) => d.name === name)
    ?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new CliError(`no published ${name}${action ? `.${action}` : ''} example to send`, EXIT.usage);
  return structuredClone(found);
}

const obj = (value: unknown): Json => value as Json;

function moveRepository(repository: Json, fullName: string): void {
  const [owner = '', name = ''] = fullName.split('/');
  repository.full_name = fullName;
  repository.name = name;
  obj(repository.owner).login = owner;
}

/** GitHub's clock as it stamps a change (`updated_at`, `created_at`): now, in whole seconds. */
function githubNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function defaultLabels(repo: RepositoryConfig | undefined): string[] {
  return repo?.trigger.mode === 'label' ? [repo.trigger.label] : [];
}

function pullRequestPayload(examples: readonly Definition[], req: SimulateRequest, repo: RepositoryConfig | undefined): Json {
  const payload = example(examples, 'pull_request', req.action);
  const pr = obj(payload.pull_request);
  // 1. The given repository and PR instead of Codertocat/Hello-World#2 (head in the same repository).
  moveRepository(obj(payload.repository), req.repository);
  moveRepository(obj(obj(pr.base).repo), req.repository);
  if (obj(pr.head).repo) moveRepository(obj(obj(pr.head).repo), req.repository);
  payload.number = req.number;
  pr.number = req.number;
  // 2. A fresh head SHA (or the given one), so a simulated push is a new head.
  obj(pr.head).sha = req.headSha ?? randomBytes(20).toString('hex');
  // 3. Labels that pass the repository's trigger policy unless others are given.
  const labels = req.labels ?? defaultLabels(repo);
  pr.labels = labels.map((name, i) => ({ id: i + 1, node_id: `LA_${i + 1}`, url: '', name, color: 'ededed', default: false, description: null }));
  if (payload.label && req.label !== undefined) obj(payload.label).name = req.label;
  if (req.draft !== undefined) pr.draft = req.draft;
  if (req.sender) obj(payload.sender).login = req.sender;
  // 4. Happening now: previewd orders deliveries by this stamp (the example's is from 2019).
  pr.updated_at = githubNow();
  return payload;
}

function commentPayload(examples: readonly Definition[], req: SimulateRequest): Json {
  const payload = example(examples, 'issue_comment', 'created');
  // 1. The given repository and PR instead of the example's issue Codertocat/Hello-World#1.
  moveRepository(obj(payload.repository), req.repository);
  const issue = obj(payload.issue);
  issue.number = req.number;
  // 2. A comment on a pull request: GitHub marks those with `issue.pull_request`.
  const url = `https://api.github.com/repos/${req.repository}/pulls/${req.number}`;
  issue.pull_request = { url, html_url: url, diff_url: `${url}.diff`, patch_url: `${url}.patch`, merged_at: null };
  // 3. The command, written by the repository owner unless said otherwise.
  const comment = obj(payload.comment);
  comment.body = req.body ?? '/preview extend 4h';
  comment.author_association = req.association ?? 'OWNER';
  if (req.sender) obj(comment.user).login = req.sender;
  // 4. Written now: previewd recognises a late /preview destroy by this stamp.
  comment.created_at = githubNow();
  comment.updated_at = comment.created_at;
  return payload;
}

function pingPayload(examples: readonly Definition[], req: SimulateRequest): Json {
  const payload = examples
    .find((d) => d.name === 'ping')
    ?.examples.find((e) => e.repository);
  if (!payload) throw new CliError('no published ping example to send', EXIT.usage);
  const copy = structuredClone(payload);
  moveRepository(obj(copy.repository), req.repository);
  return copy;
}

export async function simulatedDelivery(req: SimulateRequest, repo: RepositoryConfig | undefined): Promise<SimulatedDelivery> {
  const examples = await publishedExamples();
  const deliveryId = randomUUID();
  switch (req.event) {
    case 'pull_request':
      return { event: 'pull_request', deliveryId, payload: pullRequestPayload(examples, req, repo) };
    case 'comment':
      return { event: 'issue_comment', deliveryId, payload: commentPayload(examples, req) };
    case 'ping':
      return { event: 'ping', deliveryId, payload: pingPayload(examples, req) };
  }
}
