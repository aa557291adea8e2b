// RunPod misreads explicit `null` input fields (e.g. `repo: null` breaks saveEndpoint), so the
// twin refuses any null a client sends, literal or through variables, to make such bugs loud.
import { type DocumentNode, Kind, type OperationDefinitionNode, type ValueNode, visit } from 'graphql';

function nullInJs(value: unknown, field: string): string | null {
  if (value === null) return field;
  if (Array.isArray(value)) {
    for (const v of value) {
      const hit = nullInJs(v, field);
      if (hit) return hit;
    }
    return null;
  }
  if (typeof value === 'object' && value !== undefined) {
    for (const [k, v] of Object.entries(value)) {
      const hit = nullInJs(v, k);
      if (hit) return hit;
    }
  }
  return null;
}

function nullInAst(node: ValueNode, field: string, variables: Record<string, unknown>): string | null {
  switch (node.kind) {
    case Kind.NULL:
      return field;
    case Kind.OBJECT:
      for (const f of node.fields) {
        const hit = nullInAst(f.value, f.name.value, variables);
        if (hit) return hit;
      }
      return null;
    case Kind.LIST:
      for (const v of node.values) {
        const hit = nullInAst(v, field, variables);
        if (hit) return hit;
      }
      return null;
    case Kind.VARIABLE: {
      const name = node.name.value;
      return Object.hasOwn(variables, name) ? nullInJs(variables[name], field) : null;
    }
    default:
      return null;
  }
}

/** The name of the first argument or input field given an explicit null, or null when there is none. */
export function findExplicitNull(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): string | null {
  let hit: string | null = null;
  const scan = (root: Parameters<typeof visit>[0]) =>
    visit(root, {
      Argument(node) {
        hit ??= nullInAst(node.value, node.name.value, variables);
      },
    });
  scan(operation);
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) scan(def);
  return hit;
}
