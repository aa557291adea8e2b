// Reads the backfill of a REST v2 log stream (server-sent events, `data:` lines carrying
// {ts, source, line}). The stream stays open for live lines, so the backfill is complete when
// `max` lines came or the stream went quiet; the caller then closes it.
import type { PodLogLine } from '../../services/ports.ts';

export function parseEvent(block: string): PodLogLine | null {
  const data = block
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).replace(/^ /, ''))
    .join('\n');
  if (!data) return null;
  try {
    const v = JSON.parse(data) as Partial<PodLogLine>;
    if (typeof v.line !== 'string') return null;
    return {
      ts: typeof v.ts === 'string' ? v.ts : '',
      source: v.source === 'system' ? 'system' : 'container',
      line: v.line,
    };
  } catch {
    return null;
  }
}

export async function readLogTail(
  stream: ReadableStream<Uint8Array>,
  opts: { max: number; quietMs: number },
): Promise<PodLogLine[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const lines: PodLogLine[] = [];
  let buffer = '';
  try {
    while (lines.length < opts.max) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const quiet = new Promise<'quiet'>((r) => {
        timer = setTimeout(() => r('quiet'), opts.quietMs);
      });
      const next = await Promise.race([reader.read(), quiet]);
      clearTimeout(timer);
      if (next === 'quiet' || next.done) break;
      buffer += decoder.decode(next.value, { stream: true }).replace(/\r\n/g, '\n');
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const event = parseEvent(buffer.slice(0, cut));
        if (event) lines.push(event);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return lines.slice(-opts.max);
}
