import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomBytes, randomUUID, verify } from 'node:crypto';
import type { RestEndpointMethodTypes } from '@octokit/rest';

// A local server speaking the parts of GitHub's REST API that previewd uses, with GitHub's
// response shapes (typed against Octokit's OpenAPI-generated types, so a field GitHub does not
// have is a compile error), its pagination (`Link` headers), its auth (token, App JWT →
// installation token) and its errors (rate limits, missing permissions). Every request is
// recorded so tests assert exact paths, queries and bodies.

type CommitStatus = RestEndpointMethodTypes['repos']['createCommitStatus']['response']['data'];
type CheckRun = RestEndpointMethodTypes['checks']['get']['response']['data'];
type Deployment = RestEndpointMethodTypes['repos']['getDeployment']['response']['data'];
type DeploymentStatus = RestEndpointMethodTypes['repos']['createDeploymentStatus']['response']['data'];
type IssueComment = RestEndpointMethodTypes['issues']['createComment']['response']['data'];
export type DiffEntry = RestEndpointMethodTypes['pulls']['listFiles']['response']['data'][number];
type InstallationToken = RestEndpointMethodTypes['apps']['createInstallationAccessToken']['response']['data'];
/** One attempt in GET /app/hook/deliveries (REST docs, "List deliveries for an app webhook", API version 2022-11-28: the hook-delivery-item shape). */
export type HookDeliveryItem = RestEndpointMethodTypes['apps']['listWebhookDeliveries']['response']['data'][number];
type Installation = RestEndpointMethodTypes['apps']['getRepoInstallation']['response']['data'];
type SimpleUser = NonNullable<IssueComment['user']>;
type Content = RestEndpointMethodTypes['repos']['getContent']['response']['data'];
type ContentFile = Extract<Content, { type: 'file'; content: string }>;
type ContentSymlink = Extract<Content, { type: 'symlink' }>;
type ContentEntry = Extract<Content, readonly unknown[]>[number];

/** What a path holds at a commit: file bytes, a symlink, or a directory (its entries come from the other paths). */
export type RepositoryEntry = string | Buffer | { readonly symlink: string };

/** GitHub serves file content through the contents API up to 1 MB; larger files come without it. */
const CONTENTS_API_LIMIT = 1024 * 1024;

export interface RecordedRequest {
  readonly method: string;
  /** Path below the API base (`/repos/acme/shop/statuses/…`), without the query. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** Epoch ms the request arrived. */
  readonly at: number;
}

export interface CannedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Sent as is instead of JSON (the raw media type of the contents API). */
  readonly raw?: string;
}

export interface FakeGitHubOptions {
  /** `/api/v3` to look like GitHub Enterprise Server. */
  readonly basePath?: string;
  /** Personal/installation tokens accepted as `token …` or `bearer …`. */
  readonly tokens?: readonly string[];
  /** A GitHub App: JWTs signed with its key are accepted for app endpoints. */
  readonly app?: { readonly appId: number; readonly publicKeyPem: string; readonly installations: Readonly<Record<string, number>> };
  /** The login of the authenticated identity (the author of created objects). */
  readonly actor?: string;
}

/** A webhook delivery the fake's App webhook holds: GitHub's list item plus what a redelivery sends again. */
export interface StoredHookDelivery {
  readonly item: HookDeliveryItem;
  /** The request body exactly as delivered (a redelivery sends the same bytes). */
  readonly body: string;
}

export interface HookDeliveryInput {
  readonly event: string;
  readonly payload: unknown;
  readonly statusCode: number;
  /** Defaults to a fresh UUID, like GitHub's `X-GitHub-Delivery`. */
  readonly guid?: string;
  /** ISO-8601; defaults to now. */
  readonly deliveredAt?: string;
  readonly redelivery?: boolean;
}

/** Where the App's webhook points, for redeliveries: previewd's ingress and the secret it checks. */
export interface HookTarget {
  readonly url: string;
  readonly secret: string;
}

interface Fault {
  readonly method?: string;
  readonly path: RegExp;
  readonly response: CannedResponse;
  remaining: number;
}

const DOCS = 'https://docs.github.com/rest';
const CREATED_AT = '2026-11-23T10:00:00Z';

export function user(login: string, id = 1000 + login.length, type = 'User'): SimpleUser {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  };
}

/** GitHub's primary rate limit answer (REST docs: 403 with `x-ratelimit-remaining: 0`). */
export function primaryRateLimit(resetEpochSeconds: number): CannedResponse {
  return {
    status: 403,
    headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(resetEpochSeconds), 'x-ratelimit-resource': 'core' },
    body: { message: 'API rate limit exceeded for installation ID 4242.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`, status: '403' },
  };
}

/** GitHub's secondary rate limit answer (429 or 403, with `retry-after` when GitHub says how long). */
export function secondaryRateLimit(retryAfterSeconds?: number, status = 429): CannedResponse {
  return {
    status,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      status: String(status),
    },
  };
}

/** What a GitHub App without the needed permission gets. */
export function notAccessible(docPath = 'commits/statuses#create-a-commit-status'): CannedResponse {
  return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/${docPath}`, status: '403' } };
}

export function notFound(): CannedResponse {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

export function serverError(): CannedResponse {
  return { status: 502, body: { message: 'Server Error' } };
}

function base64url(buf: Buffer): string {
  return buf.toString('base64url');
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly statuses = new Map<string, CommitStatus[]>();
  /** head SHA → check runs CI created on it, newest first. */
  readonly checkRuns = new Map<string, CheckRun[]>();
  readonly deployments: Deployment[] = [];
  readonly deploymentStatuses = new Map<number, DeploymentStatus[]>();
  readonly comments = new Map<string, IssueComment[]>();
  readonly pullFiles = new Map<string, DiffEntry[]>();
  /** `owner/repo#n` (lower-cased) → the pull request object GET /pulls/{n} answers. */
  readonly pullRequests = new Map<string, Record<string, unknown>>();
  /** `owner/repo@sha` (lower-cased repository) → path → entry. */
  readonly trees = new Map<string, Map<string, RepositoryEntry>>();
  /** Installation tokens handed out (accepted afterwards). */
  readonly issuedTokens: string[] = [];
  /** The App webhook's delivery attempts, in the order they were made. */
  readonly hookDeliveries: StoredHookDelivery[] = [];
  /** Where redeliveries go; unset: each redelivery is listed as an attempt that got no answer (status code 0). */
  hookTarget?: HookTarget;
  private readonly faults: Fault[] = [];
  private readonly tokens: Set<string>;
  private nextId = 1;
  private server?: Server;
  private origin = '';

  private constructor(private readonly options: FakeGitHubOptions) {
    this.tokens = new Set(options.tokens ?? []);
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The API base URL to configure (`http://127.0.0.1:<port>` or `…/api/v3`). */
  get url(): string {
    return `${this.origin}${this.options.basePath ?? ''}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((err) => (err ? reject(err) : resolve())));
  }

  /** Answers the next `times` matching requests with `response` instead of handling them. */
  failNext(match: { method?: string; path: RegExp }, response: CannedResponse, times = 1): void {
    this.faults.push({ ...match, response, remaining: times });
  }

  /** Requests other than the App's token exchange, in order: what previewd asked of the repository. */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length > 0 ? `?${new URLSearchParams(r.query).toString()}` : ''}`);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** A comment someone wrote (a member unless `association` says otherwise), at `at` (ISO-8601) or the fixed stamp. */
  addComment(repository: string, issue: number, body: string, author = 'octocat', options: { at?: string; association?: IssueComment['author_association'] } = {}): IssueComment {
    const written = this.comment(repository, issue, body, user(author));
    const at = options.at ?? written.created_at;
    const comment = { ...written, created_at: at, updated_at: at, author_association: options.association ?? written.author_association };
    this.commentsOf(repository, issue).push(comment);
    return comment;
  }

  commentsOf(repository: string, issue: number): IssueComment[] {
    const key = `${repository.toLowerCase()}#${issue}`;
    let list = this.comments.get(key);
    if (!list) this.comments.set(key, (list = []));
    return list;
  }

  setPullFiles(repository: string, pr: number, files: readonly Partial<DiffEntry>[]): void {
    this.pullFiles.set(
      `${repository.toLowerCase()}#${pr}`,
      files.map((f) => this.diffEntry(repository, f)),
    );
  }

  /**
   * What GET /repos/{o}/{r}/pulls/{n} answers from now on: the `pull_request` object of a
   * published webhook example (the REST answer has the same fields previewd reads: state,
   * draft, labels, head.sha, updated_at). Unknown pull requests are a 404, as on GitHub.
   */
  setPullRequest(repository: string, pullRequest: object): void {
    const number = (pullRequest as { number?: unknown }).number;
    if (typeof number !== 'number') throw new Error('setPullRequest: the pull request has no number');
    this.pullRequests.set(`${repository.toLowerCase()}#${number}`, structuredClone(pullRequest) as Record<string, unknown>);
  }

  /** Puts a file (or symlink) into the repository's tree at commit `ref`; the commit then exists. */
  setFile(repository: string, ref: string, path: string, entry: RepositoryEntry): void {
    const key = `${repository.toLowerCase()}@${ref}`;
    let tree = this.trees.get(key);
    if (!tree) this.trees.set(key, (tree = new Map<string, RepositoryEntry>()));
    tree.set(path, entry);
  }

  deploymentsIn(environment: string): Deployment[] {
    return this.deployments.filter((d) => d.environment === environment);
  }

  /** Statuses of a deployment, oldest first (GitHub lists them newest first). */
  statusHistory(deploymentId: number): string[] {
    return [...(this.deploymentStatuses.get(deploymentId) ?? [])].reverse().map((s) => s.state);
  }

  // --- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const basePath = this.options.basePath ?? '';
    const raw = await readBody(req);
    const body = raw.length > 0 ? (JSON.parse(raw) as unknown) : undefined;
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, at: Date.now() });
    try {
      const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && f.path.test(path));
      if (fault) {
        fault.remaining--;
        return send(res, fault.response);
      }
      if (!url.pathname.startsWith(basePath)) return send(res, notFound());
      const authorization = req.headers.authorization ?? '';
      if (path.startsWith('/app/hook/')) return send(res, await this.hookEndpoint(method, path, url.searchParams, authorization));
      send(res, this.route(method, path, url.searchParams, body, authorization, req.headers.accept ?? ''));
    } catch (err) {
      send(res, { status: 500, body: { message: err instanceof Error ? err.message : String(err) } });
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: unknown, authorization: string, accept: string): CannedResponse {
    const appRoute = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path) ?? /^\/repos\/([^/]+\/[^/]+)\/installation$/.exec(path);
    if (appRoute) return this.appEndpoint(method, path, appRoute[1] as string, authorization);
    if (!this.authorized(authorization)) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } };
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(path))) return this.createStatus(`${m[1]}/${m[2]}`, m[3] as string, b);
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/check-runs$/.exec(path))) return this.listCheckRuns(m[3] as string, query, path);
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/status$/.exec(path))) return this.combinedStatus(`${m[1]}/${m[2]}`, m[3] as string);
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(path))) {
      const repository = `${m[1]}/${m[2]}`;
      return method === 'POST' ? this.createDeployment(repository, b) : this.listDeployments(repository, query);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/.exec(path))) {
      return method === 'POST' ? this.createDeploymentStatus(`${m[1]}/${m[2]}`, Number(m[3]), b) : this.listDeploymentStatuses(Number(m[3]), query, path);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      const repository = `${m[1]}/${m[2]}`;
      if (method === 'POST') return this.createComment(repository, Number(m[3]), b);
      // `since`: only comments updated at or after that time (GitHub's filter is on updated_at).
      const since = query.get('since');
      const comments = this.commentsOf(repository, Number(m[3]));
      return this.page(since === null ? comments : comments.filter((c) => Date.parse(c.updated_at) >= Date.parse(since)), query, path);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path))) return this.editComment(method, Number(m[3]), b);
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path))) return this.contents(`${m[1]}/${m[2]}`, decodeURIComponent(m[3] as string), query, accept);
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(path))) {
      const pullRequest = this.pullRequests.get(`${m[1]}/${m[2]}#${m[3]}`.toLowerCase());
      return pullRequest ? { status: 200, body: pullRequest } : notFound();
    }
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(path))) {
      // GitHub lists at most 3000 files of a pull request.
      const files = (this.pullFiles.get(`${m[1]}/${m[2]}#${m[3]}`.toLowerCase()) ?? []).slice(0, 3000);
      return this.page(files, query, path);
    }
    return notFound();
  }

  private authorized(authorization: string): boolean {
    const [scheme, token] = authorization.split(' ');
    return (scheme === 'token' || scheme === 'bearer') && token !== undefined && (this.tokens.has(token) || this.issuedTokens.includes(token));
  }

  /** Pagination as GitHub does it: `per_page` (default 30, max 100), `page`, and a `Link` header. */
  private page<T>(items: readonly T[], query: URLSearchParams, path: string): CannedResponse {
    const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
    const page = Math.max(1, Number(query.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(query);
      q.set('page', String(p));
      return `<${this.url}${path}?${q.toString()}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    return { status: 200, headers: links.length > 0 ? { link: links.join(', ') } : {}, body: items.slice((page - 1) * perPage, page * perPage) };
  }

  // --- Contents -------------------------------------------------------------------------------

  /** GET /repos/{owner}/{repo}/contents/{path}?ref=: a file, a symlink, a directory listing, or 404. */
  private contents(repository: string, path: string, query: URLSearchParams, accept: string): CannedResponse {
    const ref = query.get('ref') ?? 'main';
    const tree = this.trees.get(`${repository.toLowerCase()}@${ref}`);
    if (!tree) return { status: 404, body: { message: `No commit found for the ref ${ref}`, documentation_url: `${DOCS}/repos/contents#get-repository-content`, status: '404' } };
    const entry = tree.get(path);
    // The raw media type answers a file's bytes as the body, at any size (how clients read files past the JSON limit).
    if (typeof entry === 'string' && /application\/vnd\.github(\.v3)?\.raw/.test(accept)) return { status: 200, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, raw: entry };
    if (entry !== undefined) return { status: 200, body: this.contentOf(repository, ref, path, entry) };
    const children = [...tree.keys()].filter((p) => p.startsWith(`${path}/`)).map((p) => p.slice(path.length + 1).split('/')[0] as string);
    if (children.length === 0) return notFound();
    const listing: ContentEntry[] = [...new Set(children)].map((name): ContentEntry => {
      const full = `${path}/${name}`;
      const child = tree.get(full);
      const { type, ...base } = this.contentOf(repository, ref, full, child ?? '');
      return { ...base, type: child === undefined ? 'dir' : type, content: undefined };
    });
    return { status: 200, body: listing };
  }

  private contentOf(repository: string, ref: string, path: string, entry: RepositoryEntry): ContentFile | ContentSymlink {
    const api = `https://api.github.com/repos/${repository}`;
    const html = `https://github.com/${repository}/blob/${ref}/${path}`;
    const bytes = typeof entry === 'string' ? Buffer.from(entry, 'utf8') : Buffer.isBuffer(entry) ? entry : Buffer.from(entry.symlink, 'utf8');
    // The git blob id, as GitHub reports it.
    const sha = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    const common = {
      size: bytes.length,
      name: path.split('/').at(-1) as string,
      path,
      sha,
      url: `${api}/contents/${path}?ref=${ref}`,
      git_url: `${api}/git/blobs/${sha}`,
      html_url: html,
      download_url: `https://raw.githubusercontent.com/${repository}/${ref}/${path}`,
      _links: { self: `${api}/contents/${path}?ref=${ref}`, git: `${api}/git/blobs/${sha}`, html },
    };
    if (typeof entry === 'object' && !Buffer.isBuffer(entry)) return { ...common, type: 'symlink', target: entry.symlink };
    // Base64 in lines of 60 characters, like GitHub; no content past the API's limit.
    const content = bytes.length > CONTENTS_API_LIMIT ? '' : (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
    return { ...common, type: 'file', encoding: bytes.length > CONTENTS_API_LIMIT ? 'none' : 'base64', content };
  }

  // --- GitHub App -----------------------------------------------------------------------------

  private verifyJwt(authorization: string): boolean {
    const app = this.options.app;
    const [scheme, jwt] = authorization.split(' ');
    if (!app || scheme?.toLowerCase() !== 'bearer' || !jwt) return false;
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return false;
    const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), app.publicKeyPem, Buffer.from(signature, 'base64url'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; iat?: number; exp?: number };
    const now = Math.floor(Date.now() / 1000);
    // GitHub: `iss` is the app id, and the JWT lives at most 10 minutes.
    return ok && String(claims.iss) === String(app.appId) && typeof claims.exp === 'number' && claims.exp > now && claims.exp - (claims.iat ?? 0) <= 660;
  }

  private appEndpoint(method: string, path: string, key: string, authorization: string): CannedResponse {
    const app = this.options.app;
    if (!app || !this.verifyJwt(authorization)) {
      return { status: 401, body: { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '401' } };
    }
    if (method === 'GET' && path.endsWith('/installation')) {
      const id = Object.entries(app.installations).find(([repo]) => repo.toLowerCase() === key.toLowerCase())?.[1];
      return id === undefined ? notFound() : { status: 200, body: this.installation(id, key.split('/')[0] as string) };
    }
    if (method === 'POST' && Object.values(app.installations).includes(Number(key))) {
      const token = `ghs_${base64url(randomBytes(27)).replace(/[-_]/g, 'x').slice(0, 36)}`;
      this.issuedTokens.push(token);
      const answer: InstallationToken = {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        permissions: { deployments: 'write', statuses: 'write', pull_requests: 'write', metadata: 'read' },
        repository_selection: 'all',
      };
      return { status: 201, body: answer };
    }
    return notFound();
  }

  private installation(id: number, owner: string): Installation {
    return {
      id,
      account: user(owner, 4000, 'Organization'),
      repository_selection: 'all',
      access_tokens_url: `https://api.github.com/app/installations/${id}/access_tokens`,
      repositories_url: 'https://api.github.com/installation/repositories',
      html_url: `https://github.com/organizations/${owner}/settings/installations/${id}`,
      app_id: this.options.app?.appId ?? 0,
      target_id: 4000,
      target_type: 'Organization',
      permissions: { deployments: 'write', statuses: 'write', pull_requests: 'write', metadata: 'read' },
      events: ['pull_request', 'issue_comment'],
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      single_file_name: null,
      app_slug: 'previewd',
      suspended_by: null,
      suspended_at: null,
    };
  }

  // --- The App's webhook deliveries ---------------------------------------------------------------
  //
  // Shaped like GitHub's REST docs, API version 2022-11-28: "List deliveries for an app webhook"
  // (GET /app/hook/deliveries: hook-delivery-item objects, newest first, `per_page` up to 100,
  // an opaque `cursor` and a `Link` header with rel="next") and "Redeliver a delivery for an app
  // webhook" (POST /app/hook/deliveries/{delivery_id}/attempts: 202 Accepted). Both take the
  // App's JWT only. Two differences from GitHub, both about timing: GitHub delivers a
  // redelivery asynchronously after its 202, the fake delivers it before answering (so a test
  // reads the finished attempt at once, with no race to wait out); and GitHub's `status` text
  // for failures varies ("Invalid HTTP Response: 503", "timed out"), which previewd never reads.

  /** Records a delivery attempt as GitHub lists it (what previewd's ingress answered then). */
  addHookDelivery(input: HookDeliveryInput): StoredHookDelivery {
    const id = 10_000_000 + this.nextId++;
    const payload = input.payload as { action?: unknown; installation?: { id?: unknown }; repository?: { id?: unknown } };
    const item: HookDeliveryItem = {
      id,
      guid: input.guid ?? randomUUID(),
      delivered_at: input.deliveredAt ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      redelivery: input.redelivery ?? false,
      duration: 0.27,
      status: deliveryStatusText(input.statusCode),
      status_code: input.statusCode,
      event: input.event,
      action: typeof payload.action === 'string' ? payload.action : null,
      installation_id: typeof payload.installation?.id === 'number' ? payload.installation.id : null,
      repository_id: typeof payload.repository?.id === 'number' ? payload.repository.id : null,
    };
    const stored = { item, body: JSON.stringify(input.payload) };
    this.hookDeliveries.push(stored);
    return stored;
  }

  /** The attempts of one event (guid), oldest first. */
  attemptsOf(guid: string): HookDeliveryItem[] {
    return this.hookDeliveries.filter((d) => d.item.guid === guid).map((d) => d.item);
  }

  private async hookEndpoint(method: string, path: string, query: URLSearchParams, authorization: string): Promise<CannedResponse> {
    if (!this.verifyJwt(authorization)) return { status: 401, body: { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '401' } };
    if (method === 'GET' && path === '/app/hook/deliveries') return this.listHookDeliveries(query);
    const m = /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(path);
    if (method === 'POST' && m) return this.redeliverHookDelivery(Number(m[1]));
    return notFound();
  }

  private listHookDeliveries(query: URLSearchParams): CannedResponse {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
    const newestFirst = [...this.hookDeliveries].map((d) => d.item).sort((a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.id - a.id);
    const cursor = query.get('cursor');
    // The cursor names the first attempt of the page (GitHub's is opaque; `v1_<id>` like its examples).
    const start = cursor ? newestFirst.findIndex((d) => `v1_${d.id}` === cursor) : 0;
    if (start < 0) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Request', code: 'invalid', field: 'cursor' }], documentation_url: DOCS, status: '422' } };
    const page = newestFirst.slice(start, start + perPage);
    const next = newestFirst[start + perPage];
    const headers: Record<string, string> = next ? { link: `<${this.url}/app/hook/deliveries?per_page=${perPage}&cursor=v1_${next.id}>; rel="next"` } : {};
    return { status: 200, headers, body: page };
  }

  private async redeliverHookDelivery(deliveryId: number): Promise<CannedResponse> {
    const original = this.hookDeliveries.find((d) => d.item.id === deliveryId);
    if (!original) return notFound();
    const statusCode = await this.sendToHook(original);
    this.addHookDelivery({ event: original.item.event, payload: JSON.parse(original.body) as unknown, statusCode, guid: original.item.guid, redelivery: true });
    return { status: 202, body: {} };
  }

  /** POSTs the stored body to the hook target with GitHub's delivery headers; the receiver's status, or 0 without an answer. */
  private async sendToHook(delivery: StoredHookDelivery): Promise<number> {
    const target = this.hookTarget;
    if (!target) return 0;
    const signature = `sha256=${createHmac('sha256', target.secret).update(delivery.body).digest('hex')}`;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/fake',
          'x-github-event': delivery.item.event,
          'x-github-delivery': delivery.item.guid,
          'x-github-hook-id': '1',
          'x-github-hook-installation-target-type': 'integration',
          'x-github-hook-installation-target-id': String(this.options.app?.appId ?? 0),
          'x-hub-signature-256': signature,
        },
        body: delivery.body,
        // GitHub gives a receiver 10 seconds.
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  // --- Commit statuses, deployments, comments ---------------------------------------------------

  private actor(): SimpleUser {
    return user(this.options.actor ?? 'previewd[bot]', 9000, 'Bot');
  }

  private createStatus(repository: string, sha: string, b: Record<string, unknown>): CannedResponse {
    const invalid = validate([
      ['state', ['error', 'failure', 'pending', 'success'].includes(b.state as string)],
      ['description', b.description === undefined || (typeof b.description === 'string' && b.description.length <= 140)],
    ]);
    if (invalid) return invalid;
    const id = this.nextId++;
    const status: CommitStatus = {
      url: `https://api.github.com/repos/${repository}/statuses/${sha}`,
      avatar_url: 'https://avatars.githubusercontent.com/u/9000?v=4',
      id,
      node_id: `SC_${id}`,
      state: b.state as string,
      description: (b.description as string | undefined) ?? null,
      target_url: (b.target_url as string | undefined) ?? null,
      context: (b.context as string | undefined) ?? 'default',
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      creator: this.actor(),
    };
    const list = this.statuses.get(sha) ?? [];
    list.unshift(status);
    this.statuses.set(sha, list);
    return { status: 201, body: status };
  }

  private createDeployment(repository: string, b: Record<string, unknown>): CannedResponse {
    const invalid = validate([
      ['ref', typeof b.ref === 'string' && b.ref.length > 0],
      ['description', b.description === undefined || (typeof b.description === 'string' && b.description.length <= 140)],
    ]);
    if (invalid) return invalid;
    const id = this.nextId++;
    const api = `https://api.github.com/repos/${repository}`;
    const deployment: Deployment = {
      url: `${api}/deployments/${id}`,
      id,
      node_id: `DE_${id}`,
      sha: b.ref as string,
      ref: b.ref as string,
      task: (b.task as string | undefined) ?? 'deploy',
      payload: (b.payload as Record<string, unknown> | undefined) ?? {},
      original_environment: (b.environment as string | undefined) ?? 'production',
      environment: (b.environment as string | undefined) ?? 'production',
      description: (b.description as string | undefined) ?? null,
      creator: this.actor(),
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      statuses_url: `${api}/deployments/${id}/statuses`,
      repository_url: api,
      transient_environment: b.transient_environment === true,
      production_environment: b.production_environment === true,
    };
    this.deployments.unshift(deployment);
    return { status: 201, body: deployment };
  }

  private listDeployments(repository: string, query: URLSearchParams): CannedResponse {
    const matches = this.deployments.filter(
      (d) =>
        d.repository_url.endsWith(`/repos/${repository}`) &&
        (!query.get('sha') || d.sha === query.get('sha')) &&
        (!query.get('ref') || d.ref === query.get('ref')) &&
        (!query.get('task') || d.task === query.get('task')) &&
        (!query.get('environment') || d.environment === query.get('environment')),
    );
    return this.page(matches, query, `/repos/${repository}/deployments`);
  }

  private createDeploymentStatus(repository: string, deploymentId: number, b: Record<string, unknown>): CannedResponse {
    const deployment = this.deployments.find((d) => d.id === deploymentId);
    if (!deployment) return notFound();
    const invalid = validate([
      ['state', ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'].includes(b.state as string)],
      ['description', b.description === undefined || (typeof b.description === 'string' && b.description.length <= 140)],
    ]);
    if (invalid) return invalid;
    const id = this.nextId++;
    const status: DeploymentStatus = {
      url: `${deployment.url}/statuses/${id}`,
      id,
      node_id: `DES_${id}`,
      state: b.state as DeploymentStatus['state'],
      creator: this.actor(),
      description: (b.description as string | undefined) ?? '',
      environment: deployment.environment,
      target_url: (b.log_url as string | undefined) ?? '',
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      deployment_url: deployment.url,
      repository_url: `https://api.github.com/repos/${repository}`,
      environment_url: (b.environment_url as string | undefined) ?? '',
      log_url: (b.log_url as string | undefined) ?? '',
    };
    const list = this.deploymentStatuses.get(deploymentId) ?? [];
    list.unshift(status);
    this.deploymentStatuses.set(deploymentId, list);
    return { status: 201, body: status };
  }

  /** A check run CI created (or re-ran) on `sha`: the newest of a name is what `filter=latest` lists. */
  addCheckRun(repository: string, sha: string, run: { name: string; status: CheckRun['status']; conclusion?: CheckRun['conclusion'] }): CheckRun {
    const id = this.nextId++;
    const checkRun = {
      id,
      node_id: `CR_${id}`,
      head_sha: sha,
      external_id: '',
      url: `https://api.github.com/repos/${repository}/check-runs/${id}`,
      html_url: `https://github.com/${repository}/runs/${id}`,
      details_url: null,
      status: run.status,
      conclusion: run.conclusion ?? null,
      started_at: CREATED_AT,
      completed_at: run.status === 'completed' ? CREATED_AT : null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `https://api.github.com/repos/${repository}/check-runs/${id}/annotations` },
      name: run.name,
      check_suite: { id: 1 },
      app: null,
      pull_requests: [],
    } as CheckRun;
    this.checkRuns.set(sha, [checkRun, ...(this.checkRuns.get(sha) ?? [])]);
    return checkRun;
  }

  /** GET …/commits/{ref}/check-runs (REST "List check runs for a Git reference"): `filter=latest` (the default) keeps the newest run per name. */
  private listCheckRuns(sha: string, query: URLSearchParams, path: string): CannedResponse {
    const all = this.checkRuns.get(sha) ?? [];
    const runs = query.get('filter') === 'all' ? all : all.filter((r, i) => all.findIndex((o) => o.name === r.name) === i);
    const page = this.page(runs, query, path);
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  }

  /** GET …/commits/{ref}/status (REST "Get the combined status for a specific reference"): the newest status per context. */
  private combinedStatus(repository: string, sha: string): CannedResponse {
    const all = this.statuses.get(sha) ?? [];
    const statuses = all.filter((st, i) => all.findIndex((o) => o.context === st.context) === i);
    const states = new Set(statuses.map((st) => st.state));
    const state = states.has('error') || states.has('failure') ? 'failure' : statuses.length === 0 || states.has('pending') ? 'pending' : 'success';
    return {
      status: 200,
      body: { state, statuses, sha, total_count: statuses.length, commit_url: `https://api.github.com/repos/${repository}/commits/${sha}`, url: `https://api.github.com/repos/${repository}/commits/${sha}/status` },
    };
  }

  private listDeploymentStatuses(deploymentId: number, query: URLSearchParams, path: string): CannedResponse {
    if (!this.deployments.some((d) => d.id === deploymentId)) return notFound();
    return this.page(this.deploymentStatuses.get(deploymentId) ?? [], query, path);
  }

  private comment(repository: string, issue: number, body: string, author: SimpleUser): IssueComment {
    const id = this.nextId++;
    return {
      id,
      node_id: `IC_${id}`,
      url: `https://api.github.com/repos/${repository}/issues/comments/${id}`,
      html_url: `https://github.com/${repository}/pull/${issue}#issuecomment-${id}`,
      body,
      user: author,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      issue_url: `https://api.github.com/repos/${repository}/issues/${issue}`,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  private createComment(repository: string, issue: number, b: Record<string, unknown>): CannedResponse {
    const invalid = validate([['body', typeof b.body === 'string' && b.body.length > 0 && b.body.length <= 65_536]]);
    if (invalid) return invalid;
    const comment = this.comment(repository, issue, b.body as string, this.actor());
    this.commentsOf(repository, issue).push(comment);
    return { status: 201, body: comment };
  }

  private editComment(method: string, id: number, b: Record<string, unknown>): CannedResponse {
    for (const list of this.comments.values()) {
      const i = list.findIndex((c) => c.id === id);
      if (i < 0) continue;
      if (method === 'DELETE') {
        list.splice(i, 1);
        return { status: 204 };
      }
      if (method !== 'PATCH') return notFound();
      const invalid = validate([['body', typeof b.body === 'string' && b.body.length > 0 && b.body.length <= 65_536]]);
      if (invalid) return invalid;
      const updated: IssueComment = { ...(list[i] as IssueComment), body: b.body as string, updated_at: '2026-11-23T11:00:00Z' };
      list[i] = updated;
      return { status: 200, body: updated };
    }
    return notFound();
  }

  private diffEntry(repository: string, f: Partial<DiffEntry>): DiffEntry {
    const filename = f.filename ?? 'README.md';
    const sha = f.sha ?? 'bbcd538c8e72b8c175046e27cc8f907076331401';
    const additions = f.additions ?? 1;
    const deletions = f.deletions ?? 0;
    return {
      sha,
      filename,
      status: f.status ?? 'modified',
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${repository}/blob/${sha}/${filename}`,
      raw_url: `https://github.com/${repository}/raw/${sha}/${filename}`,
      contents_url: `https://api.github.com/repos/${repository}/contents/${filename}?ref=${sha}`,
      patch: '@@ -1 +1 @@\n-old\n+new',
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
    };
  }
}

/** The `status` text of a delivery attempt: GitHub's `OK`, or a description of the failure. */
function deliveryStatusText(statusCode: number): string {
  if (statusCode >= 200 && statusCode < 300) return 'OK';
  return statusCode === 0 ? 'timed out' : `Invalid HTTP Response: ${statusCode}`;
}

/** GitHub's 422 shape for invalid fields. */
function validate(checks: readonly [string, boolean][]): CannedResponse | undefined {
  const failed = checks.filter(([, ok]) => !ok).map(([field]) => field);
  if (failed.length === 0) return undefined;
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: failed.map((field) => ({ resource: 'Request', code: 'invalid', field })), documentation_url: DOCS, status: '422' },
  };
}

function send(res: ServerResponse, response: CannedResponse): void {
  const headers: Record<string, string> = {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...(response.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    ...response.headers,
  };
  res.writeHead(response.status, headers);
  res.end(response.raw ?? (response.body === undefined ? undefined : JSON.stringify(response.body)));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
