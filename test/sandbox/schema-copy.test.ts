import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(repoRoot, '../shared/runpod/schema.graphql');
const local = path.resolve(repoRoot, 'src/sandbox/schema.graphql');
const sharedExists = existsSync(shared);

describe('src/sandbox/schema.graphql', () => {
  it.skipIf(!sharedExists)(
    `is byte-identical to the shared reconstruction${sharedExists ? '' : ` (skipped: ${shared} not found)`}`,
    () => {
      expect(readFileSync(local).equals(readFileSync(shared))).toBe(true);
    },
  );

  it('keeps its provenance header and builds', () => {
    const text = readFileSync(local, 'utf8');
    expect(text.startsWith('# ====')).toBe(true);
    expect(text).toContain('RECONSTRUCTED SUBSET');
    const schema = buildSchema(text);
    expect(Object.keys(schema.getMutationType()?.getFields() ?? {})).toContain('podFindAndDeployOnDemand');
  });
});
