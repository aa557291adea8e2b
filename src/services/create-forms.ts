// The create forms podbay opened: who opened them, where the outcome goes, and what the quote in
// the form was for. A submission is checked against this record, never against what the client
// sends back (private_metadata can be edited by anyone who crafts a payload).
import { PodbayError } from './errors.ts';
import type { Clock, Store, StoredForm } from './ports.ts';

/** Forms older than this are treated as never opened (Slack closes idle modals long before). */
export const FORM_TTL_MS = 24 * 3_600_000;

export interface SubmittedChoice {
  gpuTypeId: string;
  gpuCount: number;
  kind: 'on-demand' | 'spot';
}

export class CreateFormService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async opened(form: Omit<StoredForm, 'openedAt' | 'quoted'>): Promise<void> {
    await this.deps.store.saveForm({ ...form, quoted: null, openedAt: this.deps.clock.now().toISOString() });
  }

  /** The quote the form now shows is for these choices (null: it shows no price). */
  async quoted(viewId: string, choice: SubmittedChoice | null): Promise<void> {
    const f = await this.deps.store.getForm(viewId);
    if (f) await this.deps.store.saveForm({ ...f, quoted: choice ? { ...choice } : null });
  }

  /**
   * The form behind a submission, checked: opened by podbay, by this person, not expired, and the
   * submitted GPU, count and pricing are what the shown quote was for. Throws INVALID_REQUEST with a
   * sentence for the person (the handler shows it in the form) otherwise.
   */
  async check(viewId: string, userId: string, choice: SubmittedChoice): Promise<StoredForm> {
    const f = await this.deps.store.getForm(viewId);
    const age = f ? this.deps.clock.now().getTime() - Date.parse(f.openedAt) : Number.POSITIVE_INFINITY;
    if (!f || age > FORM_TTL_MS || f.userId !== userId) {
      throw new PodbayError(
        'INVALID_REQUEST',
        'podbay does not know this form (it expired, or podbay restarted).',
        {
          hint: 'Close it and run /pod create again.',
        },
      );
    }
    const q = f.quoted;
    if (q && (q.gpuTypeId !== choice.gpuTypeId || q.gpuCount !== choice.gpuCount || q.kind !== choice.kind)) {
      throw new PodbayError(
        'CONFLICT',
        'The price shown is for other choices; wait a moment for the new quote, then create.',
      );
    }
    return f;
  }

  async done(viewId: string): Promise<void> {
    await this.deps.store.deleteForm(viewId);
  }
}
