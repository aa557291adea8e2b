// `podbay gpu "<question>" [--json]`: which GPU a model needs and what it costs.
// Also `podbay gpu prices [gpu]` and `podbay gpu stock [gpu]` helpers for wiring into the CLI.
import { type Answer, answerText, type ServerlessAnswer, serverlessText } from '../catalog/index.ts';
import type { GpuAdvisor } from '../services/gpu-advisor.ts';
import type { Print } from './output.ts';

export const GPU_COMMAND_HELP = `Ask which GPU a model needs, in plain words. Examples:
  podbay gpu "70b awq"
  podbay gpu "qwen2.5 32b bf16, 32k context, 8 concurrent users, spot"
  podbay gpu "will mistral 7b fit on a 4090?"
  podbay gpu "qlora llama 3.1 8b" --json
  podbay gpu "serverless llama 3.1 8b 2000 requests/day 3 s each"`;

/**
 * Answers one question with live prices when RunPod is reachable (snapshot otherwise) and prints either
 * one JSON document (--json) or readable text. Returns the answer so the caller can pick an exit code.
 */
export async function gpuCommand(
  question: string,
  opts: { json: boolean },
  advisor: GpuAdvisor,
  print: Print,
): Promise<Answer | ServerlessAnswer> {
  // "serverless <model> [load]": the serverless pools and monthly cost instead of pods.
  const m = /^\s*serverless\b(.*)$/i.exec(question);
  if (m) {
    const s = advisor.serverless(m[1]!.trim());
    print(opts.json ? JSON.stringify(s, null, 2) : serverlessText(s));
    return s;
  }
  const answer = await advisor.answer(question);
  print(opts.json ? JSON.stringify(answer, null, 2) : answerText(answer));
  return answer;
}

/** Exit code for an answer: 0 answered, 2 needs clarification, 3 refused. */
export const gpuExitCode = (a: Pick<Answer, 'status'>): number =>
  a.status === 'ok' ? 0 : a.status === 'clarify' ? 2 : 3;

export async function gpuPricesCommand(
  gpu: string | undefined,
  opts: { json: boolean },
  advisor: GpuAdvisor,
  print: Print,
): Promise<void> {
  const listing = await advisor.prices(gpu);
  print(opts.json ? JSON.stringify({ prices: listing.rows, source: listing.source }, null, 2) : listing.text);
}

export async function gpuStockCommand(
  gpu: string | undefined,
  opts: { json: boolean },
  advisor: GpuAdvisor,
  print: Print,
): Promise<void> {
  const listing = await advisor.stock(gpu);
  print(
    opts.json
      ? JSON.stringify({ stock: listing.rows, source: listing.source, note: listing.note }, null, 2)
      : listing.text,
  );
}
