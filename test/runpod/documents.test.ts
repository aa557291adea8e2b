import { readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, isMutation } from '../../src/runpod/documents.ts';

const schema = buildSchema(
  readFileSync(new URL('../../src/sandbox/schema.graphql', import.meta.url), 'utf8'),
);

describe('every GraphQL document podbay can send', () => {
  const entries = Object.entries(DOCUMENTS);

  it('is registered (there is something to check)', () => {
    expect(entries.length).toBeGreaterThanOrEqual(20);
  });

  it.each(entries)('%s validates against the RunPod schema', (_name, text) => {
    const errors = validate(schema, parse(text));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('rejects a document with an unknown field (the check can fail)', () => {
    const bad = parse('query { myself { pods { id notAField } } }');
    expect(validate(schema, bad).length).toBeGreaterThan(0);
  });

  it('sends exactly one operation per document, with a name', () => {
    for (const text of Object.values(DOCUMENTS)) {
      const doc: DocumentNode = parse(text);
      const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      expect(ops).toHaveLength(1);
      expect(ops[0]?.kind === Kind.OPERATION_DEFINITION && ops[0].name?.value).toBeTruthy();
    }
  });

  it('classifies mutations, which are never retried blindly', () => {
    expect(isMutation('createOnDemandPod')).toBe(true);
    expect(isMutation('terminatePod')).toBe(true);
    expect(isMutation('listPods')).toBe(false);
  });

  it('never puts the API key in a document', () => {
    for (const text of Object.values(DOCUMENTS)) expect(text).not.toMatch(/api_key|apiKey/i);
  });
});
