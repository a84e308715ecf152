/**
 * Marquee's recommender engine: a pure library (typed arrays in, rankings out; no database,
 * GraphQL or HTTP). Services load the score matrix, fit through the registry, and serve any
 * viewer by its current history. See README.md in this folder.
 */
export type { CsrMatrix, SparseRow } from "./matrix/csr-matrix";
export { fromCoo, transpose, row, nnz } from "./matrix/csr-matrix";
export { fromCooWithTimes } from "./matrix/build";
export { IdIndex } from "./matrix/id-index";
export type { InteractionMatrix } from "./matrix/interaction-matrix";
export type { ItemFeatures } from "./matrix/item-features";
export { fromGenreBitmasks } from "./matrix/item-features";
export type { ConfidenceKind, ConfidenceTransform } from "./matrix/transforms";
export { applyConfidence, confidence, positivePart, validateConfidence, CONFIDENCE_KINDS } from "./matrix/transforms";

export type {
  AlgorithmSpec,
  Contribution,
  FitOptions,
  FitProgress,
  RecommendOptions,
  Recommender,
  ScoredItems,
} from "./algorithms/recommender";
export { ParameterError, selectTopK } from "./algorithms/common";
export { CorruptModelError, decodeModel, encodeModel } from "./algorithms/model-container";
export type { ModelHeader } from "./algorithms/model-container";
export { algorithmNames, deserializeModel, getAlgorithm } from "./algorithms/registry";
export { HybridModel } from "./algorithms/hybrid";
export type { HybridParams } from "./algorithms/hybrid";
export type { ItemKnnParams } from "./algorithms/item-knn";
export type { UserKnnParams } from "./algorithms/user-knn";
export type { EaseParams } from "./algorithms/ease";
export type { TrendingParams } from "./algorithms/trending";
export type { ContentParams } from "./algorithms/content";

export type { MetricName, MetricReport, MetricValues, RankedLists, RankingTruth } from "./evaluation/metrics";
export { METRIC_NAMES, cleanList, listsFromRankedRows, ndcgCurve, rankingMetrics } from "./evaluation/metrics";
export type { RankingSplit, WeightMode } from "./evaluation/split";
export { loadSplit, loadSplitFiles, readInteractionsCsv, readRecommendationsCsv } from "./evaluation/split";
export { CsvFormatError } from "./evaluation/csv";
export type { EvaluationResult, TuneResult } from "./evaluation/evaluate";
export { evaluate, searchSpace, tune, tuneHybridWeights } from "./evaluation/evaluate";
export type { EvaluationRun, RunOptions } from "./evaluation/pipeline";
export { defaultAlgorithms, runEvaluation } from "./evaluation/pipeline";
