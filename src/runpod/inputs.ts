// RunPod misreads explicit `null` in inputs, so unset fields are omitted, never sent as null.

/** Copy of `value` with every null/undefined property (and empty optional arrays) removed, recursively. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(compact) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      out[k] = compact(v);
    }
    return out as T;
  }
  return value;
}

/** Last guard before a request leaves: a null anywhere is a bug in podbay, never sent. */
export function assertNoNulls(value: unknown, where: string, path = 'variables'): void {
  if (value === null) throw new Error(`internal: explicit null at ${path} in ${where}`);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertNoNulls(v, where, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [k, v] of Object.entries(value)) assertNoNulls(v, where, `${path}.${k}`);
  }
}
