// GitHub's two rate limits, as its REST docs describe them:
// - primary: 403 or 429 with `x-ratelimit-remaining: 0`; wait until `x-ratelimit-reset`
//   (epoch seconds);
// - secondary: 403 or 429, with `retry-after` (seconds) when GitHub says how long, otherwise
//   "wait at least one minute".
// A 403 that is neither is a permission problem, which the caller handles differently.

export interface GitHubErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
  readonly message: string;
}

export interface RateLimitWait {
  readonly kind: 'primary' | 'secondary';
  readonly delayMs: number;
}

const SECONDARY_DEFAULT_MS = 60_000;
/** The reset time is in whole seconds and clocks drift: wait a little past it. */
const RESET_MARGIN_MS = 1_000;

function header(res: GitHubErrorResponse, name: string): string | undefined {
  const value = res.headers[name];
  return value === undefined ? undefined : String(value);
}

function retryAfterMs(value: string, now: number): number | undefined {
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function rateLimitWait(res: GitHubErrorResponse, now: number): RateLimitWait | undefined {
  if (res.status !== 403 && res.status !== 429) return undefined;
  const retryAfter = header(res, 'retry-after');
  const after = retryAfter === undefined ? undefined : retryAfterMs(retryAfter, now);
  const secondary = /secondary rate limit|abuse/i.test(res.message);
  if (after !== undefined) return { kind: secondary || header(res, 'x-ratelimit-remaining') !== '0' ? 'secondary' : 'primary', delayMs: after };
  const reset = Number(header(res, 'x-ratelimit-reset'));
  if (header(res, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset)) {
    return { kind: 'primary', delayMs: Math.max(0, reset * 1000 - now) + RESET_MARGIN_MS };
  }
  if (secondary || res.status === 429) return { kind: 'secondary', delayMs: SECONDARY_DEFAULT_MS };
  return undefined;
}
