// Money and time as the PR comment and status descriptions show them. Times are absolute UTC:
// a comment is edited only when the preview changes, so "in 3 hours" would go stale.

export function formatMoney(amount: number, currency: string, maxFractionDigits = 2): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: maxFractionDigits }).format(amount);
}

/** `2026-11-23 14:00 UTC`. */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
