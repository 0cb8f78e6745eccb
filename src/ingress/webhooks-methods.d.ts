// @octokit/webhooks-methods publishes its types only through package "exports", which this
// project's CommonJS module resolution (node10) does not read. These are its two functions.
declare module '@octokit/webhooks-methods' {
  /** `sha256=<hex>` HMAC of `payload`. */
  export function sign(secret: string, payload: string): Promise<string>;
  /** Constant-time check of `signature` against the HMAC of `payload`. */
  export function verify(secret: string, payload: string, signature: string): Promise<boolean>;
}
