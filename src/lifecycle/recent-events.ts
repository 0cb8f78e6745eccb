import type { PreviewEvent } from '../../workflows/contract';

// The status query and the UI show what happened lately, not the whole history (that is what
// the Temporal history is for), so the list is bounded and survives continue-as-new.

export function appendEvent(events: readonly PreviewEvent[], event: PreviewEvent, limit: number): PreviewEvent[] {
  const next = [...events, event];
  return next.slice(Math.max(0, next.length - limit));
}
