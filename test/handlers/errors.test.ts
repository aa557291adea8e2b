// Errors become sentences a person can act on; nothing else (no stack, no internal message) shows.
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/handlers/views/common.ts';
import { checkMessage } from '../../src/handlers/views/limits.ts';
import { PodbayError } from '../../src/services/errors.ts';

describe('errorMessage', () => {
  it('a PodbayError shows its sentence and hint', () => {
    const m = errorMessage(
      new PodbayError('CONFLICT', 'models is used by 2 pods.', { hint: 'Stop them first.' }),
    );
    expect(m.text).toBe('models is used by 2 pods. Stop them first.');
    expect(checkMessage(m)).toEqual([]);
  });

  it('an unexpected error shows a generic sentence, never its message or stack', () => {
    const e = new Error('ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const m = errorMessage(e);
    const all = JSON.stringify(m);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('ECONNREFUSED');
    expect(all).not.toMatch(/at .*\.ts:\d+/);
    expect(m.text).toMatch(/nothing was changed/);
  });

  it('mrkdwn control characters in a message are escaped', () => {
    const m = errorMessage(new PodbayError('NOT_FOUND', 'No pod matches “<!channel>”.'));
    expect(JSON.stringify(m.blocks)).toContain('&lt;!channel&gt;');
  });
});
