// The status query and the UI show what happened lately, not the whole history (that is what
// the Temporal history is for), so the list is bounded and survives continue-as-new.

export interface PreviewEvent {
  /** ISO-8601 workflow time. */
  readonly at: string;
  readonly kind: string;
  readonly detail: string;
}

export function appendEvent(events: readonly PreviewEvent[], event: PreviewEvent, limit: number): PreviewEvent[] {
  const next = [...events, event];
  return next.slice(Math.max(0, next.length - limit));
}
