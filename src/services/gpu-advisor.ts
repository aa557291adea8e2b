// GPU advisor: the I/O side of the catalog. Answers sizing questions with live RunPod prices when it can
// (cached with a TTL, fetched per GPU count the answer needs) and the offline snapshot when it cannot,
// saying which it used. `answerNow` never waits on the network (Slack acks within 3 s).
import {
  type Answer,
  analyzeQuestion,
  buildAnswer,
  createPriceBook,
  type DataCenterInput,
  describeSource,
  findGpu,
  type LiveBatch,
  neededGpuCounts,
  type PriceBook,
  type PriceRow,
  priceRows,
  readServerlessLoad,
  type ServerlessAnswer,
  serverlessAnswer,
  priceRowsText,
  type StockRow,
  stockRows,
  stockRowsText,
} from '../catalog/index.ts';
import type { Logger } from '../logger.ts';
import { asPodbayError, PodbayError } from './errors.ts';
import type { Clock, RunpodApi } from './ports.ts';

export const DEFAULT_PRICE_TTL_MS = 10 * 60_000;
/** Cached live prices older than this are no better than the snapshot's caveats: drop them. */
export const DEFAULT_MAX_STALE_MS = 24 * 60 * 60_000;
const RECENT_ANSWERS = 1000;

export interface GpuAdvisorOptions {
  maxStaleMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

export interface PriceListing {
  rows: PriceRow[];
  /** Where the prices came from, as a sentence. */
  source: string;
  text: string;
}

export interface StockListing {
  rows: StockRow[];
  /** 'live' when RunPod answered now, 'cache' when an earlier answer was reused, 'none' without data. */
  source: 'live' | 'cache' | 'none';
  note: string;
  text: string;
}

type Analysis = ReturnType<typeof analyzeQuestion>;

interface Cached {
  batch: LiveBatch;
  atMs: number;
}

export class GpuAdvisor {
  readonly #api: RunpodApi | null;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxStaleMs: number;
  readonly #log: Pick<Logger, 'warn'> | undefined;
  readonly #cache = new Map<number, Cached>();
  readonly #inflight = new Map<number, Promise<void>>();
  #dataCenters: { rows: DataCenterInput[]; atMs: number } | null = null;
  /** Bumped whenever the cached prices change; answers from older prices are not reused. */
  #generation = 0;
  /** answerNow results for the current generation (the ack path answers the same questions often). */
  readonly #recent = new Map<string, Answer>();
  readonly #analyses = new Map<string, { analysis: Analysis; counts: readonly number[] | null }>();
  #recentGeneration = -1;

  constructor(
    api: RunpodApi | null,
    clock: Clock,
    ttlMs: number = DEFAULT_PRICE_TTL_MS,
    opts: GpuAdvisorOptions = {},
  ) {
    this.#api = api;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#maxStaleMs = opts.maxStaleMs ?? DEFAULT_MAX_STALE_MS;
    this.#log = opts.logger;
  }

  /** Answer from whatever prices are cached (or the snapshot), without any network call. */
  answerNow(question: string): Answer {
    if (this.#recentGeneration !== this.#generation) {
      this.#recent.clear();
      this.#recentGeneration = this.#generation;
    }
    const hit = this.#recent.get(question);
    if (hit) return hit;
    const answer = buildAnswer(this.#analyze(question), this.#book(new Set(), null));
    if (this.#recent.size >= RECENT_ANSWERS) this.#recent.delete(this.#recent.keys().next().value as string);
    this.#recent.set(question, answer);
    return answer;
  }

  /**
   * `/gpu serverless`: pool prices from the dated table (the RunpodApi port has no serverless catalog read yet;
   * serverlessAnswer takes live REST v2 `price.serverless` figures once it has). The pod comparison uses the
   * same prices as answerNow.
   */
  serverless(question: string): ServerlessAnswer {
    const pod = this.answerNow(readServerlessLoad(question).rest).options.find(
      (o) => o.fits && o.nodes === 1,
    );
    return serverlessAnswer(question, null, pod?.onDemandUsdPerHr ?? null);
  }

  /** Answer with live prices for the GPU counts the answer needs; on failure, cache or snapshot, said so. */
  async answer(question: string): Promise<Answer> {
    const analysis = this.#analyze(question);
    if (analysis.status !== 'ok' || !this.#api) return this.answerNow(question);
    const { fetched, problem } = await this.#refresh(this.#counts(question, analysis));
    // Nothing new fetched and nothing failed: the prices are the ones answerNow used, so is the answer.
    if (fetched.size === 0 && problem === null) return this.answerNow(question);
    return buildAnswer(analysis, this.#book(fetched, problem));
  }

  /** The parse of a question and the GPU counts it needs depend on the text alone: kept for repeats. */
  #analyze(question: string): Analysis {
    let hit = this.#analyses.get(question);
    if (!hit) {
      hit = { analysis: analyzeQuestion(question), counts: null };
      if (this.#analyses.size >= RECENT_ANSWERS)
        this.#analyses.delete(this.#analyses.keys().next().value as string);
      this.#analyses.set(question, hit);
    }
    return hit.analysis;
  }

  #counts(question: string, analysis: Analysis): readonly number[] {
    const hit = this.#analyses.get(question);
    if (hit?.counts) return hit.counts;
    const counts = neededGpuCounts(analysis);
    if (hit) hit.counts = counts;
    return counts;
  }

  /** "/gpu prices [gpu]": per-GPU prices, live when possible. */
  async prices(gpu?: string): Promise<PriceListing> {
    const only = this.#resolve(gpu);
    const { fetched, problem } = await this.#refresh([1]);
    const book = this.#book(fetched, problem);
    const rows = priceRows(book, only);
    const source = this.#sourceSentence(book, rows);
    return { rows, source, text: priceRowsText(rows, source) };
  }

  /** "/gpu stock [gpu]": stock per GPU type and the data centers that have it now. */
  async stock(gpu?: string): Promise<StockListing> {
    const only = this.#resolve(gpu);
    if (!this.#api) {
      const note = 'Stock needs a live RunPod connection; the offline price snapshot has no stock data.';
      return { rows: [], source: 'none', note, text: note };
    }
    const { fetched, problem } = await this.#refresh([1], true);
    let dcProblem: string | null = null;
    try {
      const dcs = await this.#api.dataCenters({ gpuCount: 1 });
      this.#dataCenters = { rows: dcs, atMs: this.#clock.now().getTime() };
    } catch (e) {
      dcProblem = this.#problem('dataCenters', e);
    }
    const book = this.#book(fetched, problem);
    const dcs = this.#dataCenters?.rows ?? [];
    const rows = stockRows(book, dcs, only);
    const live = fetched.has(1) && dcProblem === null;
    const anyData = this.#cache.has(1) || dcs.length > 0;
    const source: StockListing['source'] = live ? 'live' : anyData ? 'cache' : 'none';
    const cachedAt = this.#cache.get(1)?.batch.fetchedAt;
    const problems = [problem, dcProblem].filter((p): p is string => p !== null);
    const note =
      source === 'live'
        ? `Stock from RunPod, fetched ${cachedAt ?? 'now'}.`
        : source === 'cache'
          ? `RunPod did not answer (${problems.join('; ')}); showing stock cached at ${cachedAt ?? 'an earlier fetch'}.`
          : `Stock unavailable: ${problems.join('; ') || 'no data from RunPod'}.`;
    return { rows, source, note, text: stockRowsText(rows, note) };
  }

  #resolve(gpu: string | undefined): ReturnType<typeof findGpu> {
    if (gpu === undefined || !gpu.trim()) return null;
    const found = findGpu(gpu);
    if (!found) {
      throw new PodbayError('NOT_FOUND', `No RunPod GPU type matches “${gpu.trim().slice(0, 60)}”.`, {
        hint: 'Try a name like "4090", "A6000", "L40S", "H100 SXM" or "H200".',
      });
    }
    return found;
  }

  /** Fetch live offers for every stale count (in parallel, one request per count at a time). */
  async #refresh(
    counts: readonly number[],
    force = false,
  ): Promise<{ fetched: Set<number>; problem: string | null }> {
    const fetched = new Set<number>();
    let problem: string | null = null;
    const api = this.#api;
    if (!api) return { fetched, problem };
    const now = this.#clock.now().getTime();
    await Promise.all(
      counts.map(async (gpuCount) => {
        const hit = this.#cache.get(gpuCount);
        if (!force && hit && now - hit.atMs < this.#ttlMs) return;
        let job = this.#inflight.get(gpuCount);
        if (!job) {
          job = (async () => {
            const offers = await api.gpuOffers({ gpuCount });
            const at = this.#clock.now();
            this.#cache.set(gpuCount, {
              batch: { gpuCount, fetchedAt: at.toISOString(), source: 'live', offers },
              atMs: at.getTime(),
            });
            this.#generation++;
          })().finally(() => this.#inflight.delete(gpuCount));
          this.#inflight.set(gpuCount, job);
        }
        try {
          await job;
          fetched.add(gpuCount);
        } catch (e) {
          problem = this.#problem('gpuOffers', e);
        }
      }),
    );
    return { fetched, problem };
  }

  #problem(call: string, e: unknown): string {
    const err = asPodbayError(e);
    this.#log?.warn({ call, code: err.code }, 'live RunPod data unavailable; falling back');
    return `${err.userMessage} Used ${this.#cache.size ? 'cached RunPod prices where available, else ' : ''}the offline snapshot.`;
  }

  /** The price book: cached batches (those fetched just now labelled live), dropping too-old ones. */
  #book(fetchedNow: ReadonlySet<number>, problem: string | null): PriceBook {
    const now = this.#clock.now().getTime();
    const batches: LiveBatch[] = [];
    for (const [count, c] of this.#cache) {
      if (now - c.atMs > this.#maxStaleMs) {
        this.#cache.delete(count);
        this.#generation++;
        continue;
      }
      batches.push(
        fetchedNow.has(count) && c.batch.source === 'live'
          ? c.batch
          : Object.assign({}, c.batch, { source: 'cache' as const }),
      );
    }
    return createPriceBook(batches, problem);
  }

  #sourceSentence(book: PriceBook, rows: readonly PriceRow[]): string {
    const used = new Set(rows.map((r) => r.priceSource).filter((s) => s !== 'none'));
    const liveAt = book.live.get(1)?.batch.fetchedAt ?? null;
    const parts = [...used].map((s) => describeSource(s, s === 'snapshot' ? null : liveAt));
    let text = parts.length ? `Prices: ${parts.join('; ')}.` : 'No prices known.';
    if (book.liveProblem) text += ` Live prices unavailable: ${book.liveProblem}`;
    return text;
  }
}
