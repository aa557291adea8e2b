// Runs after the main suite (npm test): every line the suite printed or logged, and every
// error the RunPod adapter threw in it, is searched for API keys and pod env values.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTwin } from '../../src/sandbox/twin/server.ts';
import { TEST_SECRETS } from '../support/secrets.ts';
import { TAP_DIR } from '../support/tap.ts';

/** Env values the twin seeds on its demo pods and endpoints: secrets by definition. */
async function twinSeedSecrets(): Promise<string[]> {
  const twin = await startTwin({ seed: true });
  try {
    const res = await fetch(twin.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ myself { pods { env } endpoints { env { value } } } }' }),
    });
    const body = (await res.json()) as {
      data: {
        myself: { pods: { env: string[] | null }[]; endpoints: { env: { value: string }[] | null }[] };
      };
    };
    const podValues = body.data.myself.pods.flatMap((p) =>
      (p.env ?? []).map((e) => e.slice(e.indexOf('=') + 1)),
    );
    const endpointValues = body.data.myself.endpoints.flatMap((e) => (e.env ?? []).map((x) => x.value));
    return [...podValues, ...endpointValues].filter((v) => /secret/i.test(v));
  } finally {
    await twin.close();
  }
}

describe('secret scan of the whole suite', () => {
  it('finds the tap written by the main suite (the scan has something to read)', () => {
    expect(existsSync(TAP_DIR)).toBe(true);
    const text = readdirSync(TAP_DIR)
      .map((f) => readFileSync(join(TAP_DIR, f), 'utf8'))
      .join('');
    // The fault tests log these; without them this scan would prove nothing.
    expect(text).toContain('mutation outcome unknown');
    expect(text).toContain('OUTCOME_UNKNOWN');
  });

  it('contains no API key and no pod env value', async () => {
    const secrets = [...TEST_SECRETS, ...(await twinSeedSecrets())];
    expect(secrets.length).toBeGreaterThan(TEST_SECRETS.length);
    const hits: string[] = [];
    for (const f of readdirSync(TAP_DIR)) {
      const text = readFileSync(join(TAP_DIR, f), 'utf8');
      for (const s of secrets) if (text.includes(s)) hits.push(`${s.slice(0, 6)}… in ${f}`);
    }
    expect(hits).toEqual([]);
  });
});
