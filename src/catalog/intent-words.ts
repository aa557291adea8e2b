// The parser's vocabulary: word classes, unit words, format words and the typo vocabulary.
import { MODEL_WORDS } from './model-lookup.ts';
import { FuzzyVocabulary } from './text.ts';
import type { FormatId } from './types.ts';

export const FUZZY = new FuzzyVocabulary([
  'llama',
  'codellama',
  'mistral',
  'mixtral',
  'codestral',
  'qwen',
  'gemma',
  'deepseek',
  'whisper',
  'nomic',
  'minilm',
  'sdxl',
  'scout',
  'maverick',
  'distill',
  'instruct',
  'embedding',
  'embeddings',
  'transcription',
  'transcribe',
  'finetune',
  'finetuning',
  'inference',
  'quantized',
  'concurrent',
  'context',
  'qlora',
  'users',
  'requests',
  'tokens',
]);

/** Common words that must never be "corrected" into a model name. */
export const STOP = new Set(
  (
    'what which with will would could should need needs does have that this there their from into onto about best ' +
    'good many much more less than then when where your mine want like them they these those just also only some ' +
    'gamma lambda whisker lamp lame llava mist quick quite quiet query queue mistake mixture gemini claude ' +
    'card cards cost costs price prices hour hours week month days daily spot demand fine tune tuning train ' +
    'training serve serving hosting host model models users user batch size long short chat base deploy run ' +
    'running fits enough memory large small medium mini turbo vision nemo instance instances team people ' +
    'doing done dont cant work works make made know help please thanks hello hey able time times each every ' +
    'text image images audio speech video code coding agent agents local locally cloud home server servers ' +
    'cheap cheaper cheapest fast faster fastest budget under over least most maybe really still ' +
    'concurrency context contexts window tokens token prompt prompts request requests stream streams ' +
    'mistralai thebloke unsloth bartowski neuralmagic huggingface google microsoft intfloat openai ' +
    // English words within a typo's reach of a model or unit word ("minimum" is not MiniLM).
    'content contents contest contend convert minimum minima minion mistrial minstrel instinct distal whiskey quora ' +
    'uses ushers requester requested requestor'
  ).split(' '),
);

export const KNOWN = new Set<string>([...MODEL_WORDS]);

export const SPOT = new Set(['spot', 'interruptible', 'interruptable', 'preemptible', 'preemptable', 'bid']);
export const ON_DEMAND = new Set(['ondemand', 'on-demand', 'reserved', 'uninterruptible', 'uninterruptable']);
export const CONTEXT_WORDS = new Set([
  'context',
  'ctx',
  'tokens',
  'token',
  'window',
  'length',
  'len',
  'seq',
  'sequence',
  'prompt',
  'prompts',
  'input',
  'max_model_len',
  'max_seq_len',
  'max_seq_length',
  'num_ctx',
]);
export const CONCURRENCY_AFTER = new Set([
  'users',
  'user',
  'concurrent',
  'concurrency',
  'requests',
  'request',
  'sequences',
  'seqs',
  'parallel',
  'simultaneous',
  'clients',
  'sessions',
  'people',
  'streams',
  'calls',
  'agents',
  'chats',
  'conversations',
  'callers',
  'customers',
  'employees',
  'devs',
  'developers',
  'engineers',
  'members',
  'seats',
  'staff',
  'students',
  'researchers',
  'analysts',
  'colleagues',
  'coworkers',
  'teammates',
  'ppl',
  'folks',
  'persons',
  'testers',
]);
/** Words that count people rather than parallel requests. */
export const PEOPLE = new Set([
  'users',
  'user',
  'people',
  'clients',
  'customers',
  'employees',
  'devs',
  'developers',
  'engineers',
  'members',
  'seats',
  'staff',
  'students',
  'researchers',
  'analysts',
  'colleagues',
  'coworkers',
  'teammates',
  'callers',
  'ppl',
  'folks',
  'persons',
  'testers',
]);
export const CONCURRENCY_BEFORE = new Set([
  'batch',
  'bs',
  'concurrency',
  'batch_size',
  'max_num_seqs',
  'parallel',
]);
export const HOUR = new Set(['h', 'hr', 'hrs', 'hour', 'hours', 'hourly', 'ph']);
export const DAY = new Set(['day', 'days', 'daily', 'd']);
export const WEEK = new Set(['week', 'weeks', 'weekly', 'wk']);
export const MONTH = new Set(['month', 'months', 'monthly', 'mo', 'mth']);
export const OWNED = new Set([
  'have',
  'got',
  'own',
  'owned',
  'my',
  'our',
  'mine',
  'ours',
  'homelab',
  'on-prem',
  'onprem',
]);
export const DOMAIN = new Set(
  (
    'gpu gpus vram memory model models llm llms inference serve serving host hosting deploy run running ' +
    'finetune finetuning fine-tune train training lora qlora peft quantized quantization quant awq gptq gguf ' +
    'fp8 fp16 bf16 int4 int8 nf4 vllm ollama tgi sglang runpod pod pods cuda tokens context batch embedding ' +
    'embeddings whisper transcription transcribe diffusion sdxl flux card cards price prices cost spot ' +
    'on-demand ondemand cheapest h100 a100 rtx parameters params weights kv cache throughput latency ' +
    'rag chatbot agent nvidia amd cluster node nodes'
  ).split(' '),
);

export const OPTIMIZER_WORDS = new Set(['adam', 'adamw', 'optimizer', 'optim', 'paged', 'optimiser']);
/** Word classes, one bit each, so the parser reads every token once instead of asking word by word. */
export const W = {
  ft: 1 << 0,
  fine: 1 << 1,
  tune: 1 << 2,
  qlora: 1 << 3,
  lora: 1 << 4,
  pretrain: 1 << 5,
  from: 1 << 6,
  scratch: 1 << 7,
  full: 1 << 8,
  parameter: 1 << 9,
  embed: 1 << 10,
  transcribe: 1 << 11,
  audio: 1 << 12,
  generate: 1 << 13,
  diffusion: 1 << 14,
  image: 1 << 15,
  chat: 1 << 16,
  long: 1 << 17,
  ctx: 1 << 18,
  max: 1 << 19,
  on: 1 << 20,
  demand: 1 << 21,
  community: 1 << 22,
  secure: 1 << 23,
  already: 1 << 24,
  single: 1 << 25,
  gpu: 1 << 26,
  one: 1 << 27,
  can: 1 << 28,
  run: 1 << 29,
} as const;
export const V = {
  price: 1 << 0,
  how: 1 << 1,
  much: 1 << 2,
  stock: 1 << 3,
  spotQ: 1 << 4,
  prod: 1 << 5,
  eightBit: 1 << 6,
  adam: 1 << 7,
  ggufish: 1 << 8,
  ollama: 1 << 9,
  bnb: 1 << 10,
  fit: 1 << 11,
  domain: 1 << 12,
  documents: 1 << 13,
  generation: 1 << 14,
  exl2: 1 << 15,
  precision: 1 << 16,
  fewest: 1 << 17,
  monthly: 1 << 18,
  month: 1 << 19,
  greet: 1 << 20,
  perA: 1 << 21,
  number: 1 << 22,
} as const;

export const WORD_CLASSES = new Map<string, [number, number]>();
function classify(words: string, w: number, v: number): void {
  for (const word of words.split(' ')) {
    const prev = WORD_CLASSES.get(word) ?? [0, 0];
    WORD_CLASSES.set(word, [prev[0] | w, prev[1] | v]);
  }
}
classify('finetune finetuning finetuned train training sft dpo grpo rlhf ft', W.ft, 0);
classify('fine', W.fine, 0);
classify('tune tuning tuned', W.tune, 0);
classify('qlora', W.qlora, V.bnb);
classify('lora peft adapter adapters', W.lora, 0);
classify('pretrain pretraining pre-train', W.pretrain, 0);
classify('from', W.from, 0);
classify('scratch', W.scratch, 0);
classify('full', W.full, 0);
classify('full-parameter', W.full | W.parameter, 0);
classify('parameter', W.parameter, 0);
classify('embedding embeddings embed vector vectors rerank reranker', W.embed, 0);
classify('transcription transcribe transcribing stt asr speech', W.transcribe, 0);
classify('audio', W.audio, 0);
classify('generation', W.generate, V.generation);
classify('generate generating generator gen create', W.generate, 0);
classify('diffusion txt2img img2img comfyui a1111', W.diffusion, 0);
classify('image images picture pictures art', W.image, 0);
classify('chatbot chat assistant llm', W.chat, 0);
classify('long', W.long, 0);
classify('context ctx', W.ctx, 0);
classify('documents', 0, V.documents);
classify('max maximum entire', W.max, 0);
classify('on', W.on, 0);
classify('demand', W.demand, 0);
classify('community', W.community, 0);
classify('secure', W.secure, 0);
classify('already', W.already, 0);
classify('single', W.single, 0);
classify('gpu card', W.gpu, 0);
classify('1', W.one, 0);
classify('can could will would does', W.can, 0);
classify('run load serve work', W.run, 0);
classify('price prices pricing cost costs cheapest cheap rate', 0, V.price);
classify('how', 0, V.how);
classify('much', 0, V.much);
classify('stock available availability capacity', 0, V.stock);
classify(
  'ok okay safe reliable should production prod risk risky interrupted interruptions vs versus or difference worth when good is',
  0,
  V.spotQ,
);
classify('production prod customer customers sla api', 0, V.prod);
classify('8bit', 0, V.eightBit);
classify('adam adamw optimizer paged', 0, V.adam);
classify('gguf ggml ollama llama.cpp llamacpp lmstudio', 0, V.ggufish);
classify('ollama', 0, V.ollama);
classify('bnb bitsandbytes nf4', 0, V.bnb);
classify('fit fits fitting enough handle squeeze possible able', 0, V.fit);
for (const d of DOMAIN) classify(d, 0, V.domain);
classify('exl2 exllamav2 exllama tabbyapi', 0, V.exl2);
classify('precision', 0, V.precision);
classify('fewest', 0, V.fewest);
classify('monthly', 0, V.monthly);
classify('month', 0, V.month);
classify('help hi hello hey usage examples', 0, V.greet);
classify('per a', 0, V.perA);
classify('number', 0, V.number);

/** Words that set or hint the weight format. */
export type FormatWord = FormatId | 'bits4' | 'quantized' | 'unquantized';
export const FORMAT_WORDS = new Map<string, FormatWord>([
  ['fp32', 'fp32'],
  ['float32', 'fp32'],
  ['f32', 'fp32'],
  ['fp16', 'bf16'],
  ['bf16', 'bf16'],
  ['float16', 'bf16'],
  ['bfloat16', 'bf16'],
  ['f16', 'bf16'],
  ['half', 'bf16'],
  ['unquantized', 'unquantized'],
  ['fp8', 'fp8'],
  ['float8', 'fp8'],
  ['e4m3', 'fp8'],
  ['w8a8_fp8', 'fp8'],
  ['int8', 'int8'],
  ['w8a8', 'int8'],
  ['w8a16', 'int8'],
  ['load_in_8bit', 'int8'],
  ['awq', 'awq'],
  ['gptq', 'gptq'],
  ['nf4', 'nf4'],
  ['load_in_4bit', 'nf4'],
  ['mxfp4', 'mxfp4'],
  ['int4', 'bits4'],
  ['4bit', 'bits4'],
  ['w4a16', 'bits4'],
  ['fp4', 'bits4'],
  ['nvfp4', 'bits4'],
  ['quantized', 'quantized'],
  ['quantised', 'quantized'],
  ['quant', 'quantized'],
]);
