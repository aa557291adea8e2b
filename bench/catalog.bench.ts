// Catalog benchmark: parse + estimate + rank (the full pure answer, priced from the snapshot) on one core
// over a mixed question set. Prints one JSON line on stdout; progress goes to stderr.
//
// Method: warm up, then time every answer individually with performance.now() (sub-microsecond, no
// allocation) in rounds over the shuffled question set; report answers/s (total answers / total time) and
// latency percentiles. A baseline measured in the same run — JSON.stringify + JSON.parse of the same
// questions, and the parse-only stage — gives a reference for the ratio reported alongside; the three
// stages run interleaved round by round so load from other processes hits them alike. A second set, the
// second-round question classes (named hardware, negation, approximate and per-unit numbers, frontier models,
// counts, comfort, throughput), is timed in the same rounds and reported under `round2` with its own baseline.
import { answerQuestion } from '../src/catalog/answer.ts';
import { parseQuestion } from '../src/catalog/intent.ts';

const QUESTIONS = [
  '70b awq',
  'which gpu for llama 3.1 70b awq at 8k context?',
  '70b awq at 32k context for 4 users',
  'llama 3.1 8b bf16 128k context',
  'will llama 3.1 70b awq fit on 2x 4090?',
  'mixtral 8x7b 32k context 8 users spot',
  'qlora llama 3.1 70b',
  'fine-tune llama 3.1 8b',
  'full fine-tune mistral 7b on h100s',
  'embeddings model',
  'whisper large v3 for transcription, 8 streams',
  'sdxl on a 4090',
  'GPT-4o',
  'a 5T model',
  'asdfgh',
  'is spot ok for a production API?',
  'deepseek r1',
  'how much is an h100?',
  'I already have 3x A6000, can I run llama 3.3 70b in fp8?',
  'qwen2.5 32b q4_k_m on a single gpu under $1/hr',
  'lama 3 70b',
  'mistral 7b instrcut',
  'llama',
  'gemma 2 27b with 16 concurrent users and fp8 kv cache',
  'phi-3-medium awq on 4 gpus',
  'can I run llama 3.1 8b on my 3060',
  'gpt-oss-120b',
  'what gpus have at least 80gb',
  'deepseek-r1-distill-qwen-32b awq, 32k context, 10 users, budget $2/h',
  'which gpu should I use?',
];

/** Second-round classes, as people type them (one or more per class). */
const ROUND2 = [
  'llama 3.1 70b awq on one L40S?',
  'will a 48gb gpu handle llama 70b awq at 16k',
  'how many A100 80GB do i need for llama 3.1 70b at 128k for 8 users',
  'qwen2.5 32b on a pair of 4090s',
  'fine tune llama 3.1 8b, no lora',
  'llama 3.1 8b, spot is not ok',
  '70b awq anything but consumer cards',
  'deepseek r1, not the distilled one',
  'llama 3.1 8b, context: 32k, users: ~4',
  'about 20 concurrent chats on qwen 2.5 14b',
  'mistral 7b, 2k prompt + 512 output tokens, 16 users',
  'R1, the full model',
  'kimi k2 how many h100s',
  'qwen3 235b a22b fp8',
  'llama 70b fp16 on 3 gpus',
  'llama 3.1 70b on 12 H100s',
  'llama 3.1 70b max 2 gpus',
  'llama 3.3 70b fp8, 10 users, 4k',
  'mistral 7b ≈30 tok/s per user for 20 users',
  'llama 3.1 8b 2k in / 512 out tokens per request, 20 rps',
];

const WARMUP_ROUNDS = 300;
const ROUNDS = 1500;

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = xs.slice();
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Stage {
  name: string;
  fn: (q: string) => unknown;
  questions: readonly string[];
  orders: string[][];
  times: Float64Array;
  k: number;
  totalMs: number;
  sink: number;
}

const stage = (
  name: string,
  fn: (q: string) => unknown,
  questions: readonly string[] = QUESTIONS,
): Stage => ({
  name,
  fn,
  questions,
  orders: Array.from({ length: 16 }, (_, i) => shuffled(questions, i + 1)),
  times: new Float64Array(ROUNDS * questions.length),
  k: 0,
  totalMs: 0,
  sink: 0,
});

/** Time every stage round by round, interleaved, so a busy machine slows all of them alike. */
function measureTogether(stages: Stage[]): void {
  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const s of stages) for (const q of s.questions) s.fn(q);
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of stages) {
      const order = s.orders[r % s.orders.length]!;
      const t0 = performance.now();
      for (const q of order) {
        const a = performance.now();
        const out = s.fn(q);
        s.times[s.k++] = performance.now() - a;
        if (out) s.sink++;
      }
      s.totalMs += performance.now() - t0;
    }
  }
}

function result(s: Stage): { perSec: number; p50Ms: number; p99Ms: number; n: number } {
  const sorted = s.times.slice(0, s.k).sort();
  const pct = (p: number) => sorted[Math.min(s.k - 1, Math.floor((p / 100) * s.k))]!;
  process.stderr.write(`# ${s.name}: ${s.k} calls in ${s.totalMs.toFixed(0)} ms (sink ${s.sink})\n`);
  return { perSec: (s.k / s.totalMs) * 1000, p50Ms: pct(50), p99Ms: pct(99), n: s.k };
}

const jsonRoundTrip = (q: string) => JSON.parse(JSON.stringify({ q }));
const stages = [
  stage('baseline JSON round-trip', jsonRoundTrip),
  stage('parse only', parseQuestion),
  stage('parse + estimate + rank (answer)', (q) => answerQuestion(q)),
  stage('round 2: baseline JSON round-trip', jsonRoundTrip, ROUND2),
  stage('round 2: answer', (q) => answerQuestion(q), ROUND2),
];
measureTogether(stages);
const [baseline, parseOnly, full, baseline2, full2] = stages.map(result) as [
  ReturnType<typeof result>,
  ReturnType<typeof result>,
  ReturnType<typeof result>,
  ReturnType<typeof result>,
  ReturnType<typeof result>,
];

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;
process.stdout.write(
  `${JSON.stringify({
    bench: 'catalog',
    answersPerSec: Math.round(full.perSec),
    p50Ms: round(full.p50Ms, 4),
    p99Ms: round(full.p99Ms, 4),
    answers: full.n,
    questions: QUESTIONS.length,
    targetAnswersPerSec: 50000,
    targetP99Ms: 0.1,
    meetsTarget: full.perSec >= 50000 && full.p99Ms <= 0.1,
    parseOnlyPerSec: Math.round(parseOnly.perSec),
    parseOnlyP99Ms: round(parseOnly.p99Ms, 4),
    baseline: 'JSON.stringify+JSON.parse of each question',
    baselinePerSec: Math.round(baseline.perSec),
    ratioToBaseline: round(full.perSec / baseline.perSec, 4),
    ratioToParseOnly: round(full.perSec / parseOnly.perSec, 4),
    round2: {
      questions: ROUND2.length,
      answersPerSec: Math.round(full2.perSec),
      p50Ms: round(full2.p50Ms, 4),
      p99Ms: round(full2.p99Ms, 4),
      baselinePerSec: Math.round(baseline2.perSec),
      ratioToBaseline: round(full2.perSec / baseline2.perSec, 4),
    },
    node: process.version,
  })}\n`,
);
