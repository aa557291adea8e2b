// Public surface of the catalog (pure, I/O-free): GPU table, model registry, price snapshot, parser,
// estimator, recommender, and the Answer document with its plain-text rendering.
export {
  type Analysis,
  type Answer,
  type AnswerKind,
  type AnswerStatus,
  analyzeQuestion,
  answerQuestion,
  buildAnswer,
  type EstimateView,
  type FitCheckView,
  type GpuInfoView,
  type IntentView,
  neededGpuCounts,
  type Option,
  type PriceSourceView,
  taskLabel,
} from './answer.ts';
export { answerText } from './answer-text.ts';
export { GPU_BY_ID, GPUS, OWNED_GPUS } from './data/gpus.ts';
export { MODEL_BY_ID, MODELS } from './data/models.ts';
export { PRICE_SNAPSHOT, PRICE_SNAPSHOT_META, type SnapshotPrice } from './data/price-snapshot.ts';
export {
  type Estimate,
  estimate,
  kvBytesPerToken,
  maxContextFor,
  type Parallelism,
  perGpuNeed,
  type Task,
  type Workload,
  weightBytes,
} from './estimate.ts';
export { FORMATS } from './formats.ts';
export { findGpu } from './gpu-lookup.ts';
export { type Intent, parseQuestion } from './intent.ts';
export { tensorParallelProblem } from './parallel.ts';
export {
  type DataCenterInput,
  type PriceRow,
  priceRows,
  priceRowsText,
  type StockRow,
  stockRows,
  stockRowsText,
} from './price-table.ts';
export {
  createPriceBook,
  describeSource,
  type GpuPrice,
  type LiveBatch,
  type LivePriceInput,
  type PriceBook,
  type PriceSource,
  priceFor,
  SNAPSHOT_BOOK,
  type StockLevel,
} from './prices.ts';
export { checkSetup, fittingSetups, type SetupCheck } from './recommend.ts';
export {
  type LiveServerlessPrices,
  readLoad as readServerlessLoad,
  SERVERLESS_POOLS,
  type ServerlessAnswer,
  type ServerlessOption,
  serverlessAnswer,
  serverlessText,
} from './serverless.ts';
export { THROUGHPUT_METHOD } from './throughput.ts';
export type { FormatId, GpuSpec, ModelSpec } from './types.ts';
