// Valid command texts and mutations of them, for the fuzz tests.
import fc from 'fast-check';

export const CORPUS: Record<string, string[]> = {
  '/pod': [
    '',
    'help',
    'list',
    'list mine',
    'list all',
    'status alice-llama70b-serve',
    'status "carol notebook"',
    'stop bob-sdxl-train',
    'resume carol-notebook',
    'terminate erin-whisper-spot',
    'create',
    'create gpu=a6000',
    'create gpu="RTX 4090" count=2 spot bid=0.35 image=vllm/vllm-openai:latest disk=50 volume=20 ports=8888/http,22/tcp for="llama eval"',
    'create gpu=a6000 template=abc123 network-volume=vol1',
  ],
  '/gpu': [
    '70b awq',
    'llama 3.1 8b 32k context',
    'qwen2.5 72b fp8 16 users',
    'prices',
    'prices a6000',
    'stock',
    'stock h100',
    'help',
  ],
  '/volume': [
    '',
    'list',
    'list 2',
    'create models 200 EU-RO-1',
    'create "my data" 50 US-KS-2',
    'resize models 300',
    'rename models weights',
    'delete datasets',
    'help',
  ],
  '/endpoint': [
    '',
    'list',
    'create whisper tpl-1 AMPERE_24,ADA_24 workers-max=3 idle=5 flashboot=on',
    'update whisper workers-max=5 scaler=request-count scaler-value=2',
    'update whisper network-volume=none',
    'delete whisper',
    'help',
  ],
  '/spend': ['', 'help'],
};

const INSERTS = [
  '"',
  "'",
  '“',
  '”',
  '‘',
  '=',
  ' ',
  '  ',
  '\n',
  '\t',
  '&amp;',
  '&lt;',
  '&gt;',
  '<@U123|bob>',
  '<#C1|gpu>',
  '`',
  '*',
  '_',
  '~',
  '-1',
  '0',
  '99999999999',
  '1e309',
  'NaN',
  '$',
  '.',
  ',',
  '/',
  '\\',
  '%',
  '🚀',
  'é',
  '\u0000',
  '\u202e',
  'ǅ',
  '\ud800',
  'x'.repeat(300),
  ' mine',
  ' all',
  ' help',
  ' gpu=',
  ' count=',
  ' bid=',
  ' env=A=1',
  '=x',
];

export interface Mutation {
  kind: 'insert' | 'delete' | 'replace' | 'dup-word' | 'swap-words' | 'upper' | 'truncate' | 'repeat';
  at: number;
  pick: number;
}

const mutation = fc.record({
  kind: fc.constantFrom<Mutation['kind']>(
    'insert',
    'delete',
    'replace',
    'dup-word',
    'swap-words',
    'upper',
    'truncate',
    'repeat',
  ),
  at: fc.nat(10_000),
  pick: fc.nat(10_000),
});

export function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const i = t.length ? m.at % (t.length + 1) : 0;
    const ins = INSERTS[m.pick % INSERTS.length] ?? '';
    const words = t.split(' ');
    switch (m.kind) {
      case 'insert':
        t = t.slice(0, i) + ins + t.slice(i);
        break;
      case 'delete':
        t = t.slice(0, i) + t.slice(i + 1 + (m.pick % 4));
        break;
      case 'replace':
        t = t.slice(0, i) + ins + t.slice(i + 1);
        break;
      case 'dup-word': {
        const w = m.pick % Math.max(1, words.length);
        words.splice(w, 0, words[w] ?? '');
        t = words.join(' ');
        break;
      }
      case 'swap-words': {
        const a = m.at % Math.max(1, words.length);
        const b = m.pick % Math.max(1, words.length);
        [words[a], words[b]] = [words[b] ?? '', words[a] ?? ''];
        t = words.join(' ');
        break;
      }
      case 'upper':
        t = t.toUpperCase();
        break;
      case 'truncate':
        t = t.slice(0, i);
        break;
      case 'repeat':
        t = `${t} ${t}`.slice(0, 4000);
        break;
    }
  }
  return t;
}

/** Random text, or a valid command text with a few mutations. */
export function commandText(command: string): fc.Arbitrary<string> {
  const corpus = CORPUS[command] ?? [''];
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.constantFrom(...INSERTS, ...corpus.flatMap((c) => c.split(' '))), { maxLength: 12 })
        .map((w) => w.join(' ')),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 4 }))
        .map(([t, ms]) => mutate(t, ms)),
    },
  );
}
