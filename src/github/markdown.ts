// Text from outside previewd's control (Kubernetes messages, failure reasons) goes into the
// PR comment. Escaping keeps it from breaking the table, opening HTML, or pinging people.

const LIMIT = 300;

/** Inline text safe inside a Markdown table cell: one line, no HTML, no table breaks, no mentions. */
export function inlineText(text: string, limit = LIMIT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const short = oneLine.length > limit ? `${oneLine.slice(0, limit - 1)}…` : oneLine;
  return short
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/([`*_[\]])/g, '\\$1')
    .replace(/@(?=\w)/g, '@\u200b');
}

/** Text inside a code span: backticks cannot be escaped there, so they are dropped. */
export function codeSpan(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, '')}\``;
}

/** Cuts `text` to GitHub's length limits (status descriptions take 140 characters). */
export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** An http(s) URL safe as a Markdown link target, or undefined for anything else. */
export function linkTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}
