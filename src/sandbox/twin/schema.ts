// The executable schema: the shared RunPod SDL (src/sandbox/schema.graphql), built once.
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLSchema } from 'graphql';

export const SCHEMA_PATH = new URL('../schema.graphql', import.meta.url);

let cached: GraphQLSchema | undefined;

export function twinSchema(): GraphQLSchema {
  cached ??= buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
  return cached;
}
