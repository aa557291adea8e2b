// Prometheus text exposition, parsed strictly (prom-client ships no parser): shared by the tests of
// /metrics in one thread and behind the ack front.
/**
 * Checked line by line: every sample belongs to a declared metric, and no metric is declared twice
 * (two registries served together must not overlap).
 */
export function parseExposition(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (types.has(meta[2] as string)) throw new Error(`metric declared twice: ${meta[2]}`);
        types.set(meta[2] as string, meta[3] as string);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$/.exec(
      line,
    );
    // Values are Go floats: numbers, NaN and ±Inf in any case (prom-client writes "Nan").
    if (!m || !/^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?inf|nan)$/i.test(m[3] as string))
      throw new Error(`not Prometheus text: ${line}`);
    const name = m[1] as string;
    const base = name.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!types.has(name) && !types.has(base)) throw new Error(`sample of an undeclared metric: ${line}`);
    samples.set(`${name}${m[2] ?? ''}`, Number(m[3]));
  }
  return samples;
}
