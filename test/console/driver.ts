// Types into the console and reads what it prints, like a person at a terminal.
import { PassThrough } from 'node:stream';

export class ConsoleDriver {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  private text = '';
  private mark = 0;
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.output.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      for (const l of this.listeners) l();
    });
  }

  get all(): string {
    return this.text;
  }

  /** Output since the last expect(). */
  get recent(): string {
    return this.text.slice(this.mark);
  }

  type(line: string): void {
    this.input.write(`${line}\n`);
  }

  /** Waits until the output after the mark matches, then moves the mark past the match. */
  expect(re: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = re.exec(this.text.slice(this.mark));
        if (!m) return false;
        this.mark += m.index + m[0].length;
        cleanup();
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `console did not print ${re} within ${timeoutMs} ms; it printed:\n${this.text.slice(this.mark).slice(-3000)}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => void check();
      this.listeners.add(listener);
      check();
    });
  }

  end(): void {
    this.input.end();
  }
}
