import { isStickyComment, renderPreviewComment, stickyCommentMarker } from '../../../src/github';
import { checkBudget } from '../../../src/cost';
import { readyReport } from './fixtures';

describe('renderPreviewComment', () => {
  it('starts with the hidden marker and shows URLs, services, cost, expiry and the commands', () => {
    const body = renderPreviewComment(readyReport());
    expect(body.split('\n')[0]).toBe('<!-- previewd:sticky-comment acme/shop#42 -->');
    expect(body).toContain('### ✅ Preview ready');
    expect(body).toContain('| `www` | ✅ Ready | [https://www-pr-42.dev.example.com](https://www-pr-42.dev.example.com) |');
    expect(body).toContain('| `api` | ✅ Ready | — |');
    expect(body).toContain('**Cost:** $0.1125 per hour · $0.45 projected until expiry');
    expect(body).toContain('**Expires:** 2026-11-23 14:00 UTC (hard cap 2026-11-30 10:00 UTC)');
    expect(body).toContain('`/preview extend 4h`');
    expect(body).toContain('`/preview destroy`');
    expect(body).toContain('`previewctl destroy acme/shop 42`');
    expect(body).toContain(`--workflow-id 'preview:acme/shop#42' --name extend --input '{"by":"4h"}'`);
    expect(body).toContain('**Commit:** `4f1c2a9` · **Namespace:** `pr-shop-42`');
  });

  it('is a function of the report alone, so a retried report renders the same body', () => {
    expect(renderPreviewComment(readyReport())).toBe(renderPreviewComment(readyReport()));
  });

  it('neutralises text from outside previewd: no HTML, no table breaks, no mentions, one line', () => {
    const body = renderPreviewComment(
      readyReport({
        phase: 'Degraded',
        reason: 'readiness timed out <script>alert(1)</script>',
        services: [{ name: 'api', state: 'Degraded', message: 'Back-off pulling | image\n@octocat [x](http://evil)' }],
      }),
    );
    expect(body).toContain('**Reason:** readiness timed out &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('| `api` | ⚠️ Degraded — Back-off pulling \\| image @\u200boctocat \\[x\\](http://evil) | — |');
    expect(body).not.toContain('<script>');
  });

  it('says when the cost is not known yet and warns about an exceeded budget', () => {
    expect(renderPreviewComment(readyReport({ phase: 'Deploying', cost: undefined }))).toContain('**Cost:** not measured yet');
    const report = readyReport({ cost: { currency: 'USD', perHour: 2, projectedToExpiry: 48 } });
    const budget = checkBudget(report.cost!, { perPreview: 10, onExceed: 'block' });
    const body = renderPreviewComment(report, { budget });
    expect(body).toContain('> [!WARNING]');
    expect(body).toContain('projected cost 48.00 USD until expiry exceeds the per-preview budget of 10.00 USD. New deploys of this preview are blocked.\n\n**Expires:**');
  });

  it('drops cost, expiry and commands once the preview is gone', () => {
    const body = renderPreviewComment(readyReport({ phase: 'Destroyed', reason: 'pull request closed', final: true }));
    expect(body).toContain('### 🗑️ Preview removed');
    expect(body).toContain('**Reason:** pull request closed');
    expect(body).not.toContain('**Cost:**');
    expect(body).not.toContain('/preview extend');
  });

  it('uses the configured command prefix, CLI name and workflow link', () => {
    const body = renderPreviewComment(readyReport(), { commandPrefix: '/pv', cliName: 'pctl', logUrl: 'http://temporal.example/namespaces/default/workflows/preview:acme%2Fshop%2342' });
    expect(body).toContain('`/pv redeploy`');
    expect(body).toContain('`pctl extend acme/shop 42 4h`');
    expect(body).toContain('[Workflow run](http://temporal.example/namespaces/default/workflows/preview:acme%2Fshop%2342)');
  });
});

describe('sticky comment marker', () => {
  const preview = { repository: 'Acme/Shop', prNumber: 42 };

  it('matches only a body that starts with the marker of the same PR', () => {
    const marker = stickyCommentMarker(preview);
    expect(isStickyComment(`${marker}\nbody`, preview)).toBe(true);
    expect(isStickyComment(`${marker}\nbody`, { repository: 'acme/shop', prNumber: 42 })).toBe(true);
    expect(isStickyComment(`> ${marker}\n> quoted by a person`, preview)).toBe(false);
    expect(isStickyComment(`${stickyCommentMarker({ repository: 'acme/shop', prNumber: 4 })}`, preview)).toBe(false);
    expect(isStickyComment(null, preview)).toBe(false);
  });
});

describe('links', () => {
  it('links only http(s) URLs', () => {
    const body = renderPreviewComment(readyReport({ services: [{ name: 'www', state: 'Ready', url: 'javascript:alert(1)' }] }));
    expect(body).toContain('| `www` | ✅ Ready | javascript:alert(1) |');
  });
});

describe('after a push', () => {
  it('says the new commit is queued and which one is still served', () => {
    const body = renderPreviewComment(readyReport({ headSha: 'b'.repeat(40), deployedHeadSha: 'a'.repeat(40) }));
    expect(body).toContain('### ⏳ Preview queued');
    expect(body).toContain('**Commit:** `bbbbbbb` · **Serving:** `aaaaaaa` until the new commit is deployed');
  });
});
