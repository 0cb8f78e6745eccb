import { setCurrentDetails } from '@temporalio/workflow';
import { currentDetails } from '../src/lifecycle';
import type { Preview, PreviewSubscriber } from './preview';

// Keeps the run's "current details" (the Temporal UI's Summary & Details, `temporal workflow
// describe`) in step with the preview. Not a command: the SDK answers the UI's metadata query
// from this value, so it adds no history event and replay is unaffected.

/** Subscribed to the preview: after every change, sets the details when their text changed. */
export class CurrentDetails implements PreviewSubscriber {
  private shown?: string;

  changed(preview: Preview): void {
    const next = currentDetails(preview.state, preview.expiry);
    if (next === this.shown) return;
    setCurrentDetails(next);
    this.shown = next;
  }
}
