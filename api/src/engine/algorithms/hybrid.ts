import type { SparseRow } from "../matrix/csr-matrix";
import type { InteractionMatrix } from "../matrix/interaction-matrix";
import { decodeModel, encodeModel } from "./model-container";
import type { AlgorithmSpec, Contribution, FitOptions, RecommendOptions, Recommender, ScoredItems } from "./recommender";
import { checkHistory, checkItem, checkK, exclusionMask, intParam, ParameterError, rejectUnknown, selectTopK } from "./common";

/**
 * A blend of fitted models over the same catalog. Each component ranks its best `candidates`
 * titles; their scores are min-max normalised per request to [0, 1] (so models on different
 * scales mix), multiplied by the component's weight and summed. A title outside a component's
 * candidates gets 0 from it. Weights are tuned on validation by the evaluator (see
 * evaluation/pipeline.ts), not by hand.
 */
export interface HybridParams extends Record<string, unknown> {
  readonly components: readonly string[];
  readonly weights: readonly number[];
  /** Parameters per component name (missing: the component's defaults). */
  readonly componentParams: Readonly<Record<string, Record<string, unknown>>>;
  readonly candidates: number;
}

const KNOWN = ["components", "weights", "componentParams", "candidates"];
/** Keeps every candidate above 0 after normalisation, so a candidate always beats a non-candidate. */
const FLOOR = 1e-3;

export type SpecLookup = (name: string) => AlgorithmSpec;

export function validateHybrid(params: Partial<HybridParams>): HybridParams {
  rejectUnknown("hybrid", params, KNOWN);
  const components = params.components ?? ["ease", "itemknn"];
  if (!Array.isArray(components) || components.length === 0 || !components.every((c) => typeof c === "string")) {
    throw new ParameterError("hybrid: components must be a non-empty list of algorithm names");
  }
  if (components.includes("hybrid")) throw new ParameterError("hybrid: a hybrid cannot contain a hybrid");
  if (new Set(components).size !== components.length) throw new ParameterError("hybrid: components must not repeat");
  const weights = params.weights ?? components.map(() => 1 / components.length);
  if (!Array.isArray(weights) || weights.length !== components.length || !weights.every((w) => typeof w === "number" && Number.isFinite(w) && w >= 0)) {
    throw new ParameterError(`hybrid: weights must be ${components.length} finite numbers >= 0, one per component`);
  }
  if (!weights.some((w) => w > 0)) throw new ParameterError("hybrid: at least one weight must be > 0");
  const componentParams = params.componentParams ?? {};
  if (typeof componentParams !== "object" || componentParams === null) throw new ParameterError("hybrid: componentParams must be an object");
  return { components, weights, componentParams, candidates: intParam("hybrid", "candidates", params.candidates, 200) };
}

/**
 * The blend itself, over rankings already computed (one per component, undefined = skipped), so
 * that a weight search can rank once per component and blend many times.
 */
export function blendRankings(
  rankings: readonly (ScoredItems | undefined)[],
  weights: readonly number[],
  nItems: number,
  k: number,
  mask?: Uint8Array,
  filter?: (item: number) => boolean,
): ScoredItems {
  const blended = new Float64Array(nItems);
  rankings.forEach((ranking, c) => {
    const w = weights[c];
    if (!ranking || w === 0 || ranking.items.length === 0) return;
    const { scores, items } = ranking;
    const max = scores[0];
    const min = scores[scores.length - 1];
    const span = max - min;
    for (let t = 0; t < items.length; t++) {
      const norm = span > 0 ? (scores[t] - min) / span : 1;
      blended[items[t]] += w * (FLOOR + (1 - FLOOR) * norm);
    }
  });
  return selectTopK(blended, k, mask, filter, 0);
}

export class HybridModel implements Recommender {
  readonly algorithm = "hybrid";
  readonly itemIds: readonly string[];

  constructor(
    readonly params: HybridParams,
    readonly models: readonly Recommender[],
  ) {
    this.itemIds = models[0].itemIds;
    for (const m of models) {
      if (m.itemIds.length !== this.itemIds.length) {
        throw new ParameterError(`hybrid: component ${m.algorithm} has ${m.itemIds.length} titles, ${models[0].algorithm} ${this.itemIds.length}; fit them on the same matrix`);
      }
    }
  }

  /** A hybrid of the same fitted components with other weights (the validation search uses it). */
  withWeights(weights: readonly number[]): HybridModel {
    return new HybridModel(validateHybrid({ ...this.params, weights }), this.models);
  }

  private blend(rank: (m: Recommender, n: number) => ScoredItems, mask: Uint8Array, k: number, options?: RecommendOptions): ScoredItems {
    const depth = Math.max(k, this.params.candidates);
    const rankings = this.models.map((m, c) => (this.params.weights[c] > 0 ? rank(m, depth) : undefined));
    return blendRankings(rankings, this.params.weights, this.itemIds.length, k, mask, options?.filter);
  }

  recommend(history: SparseRow, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkHistory(history, this.itemIds.length);
    return this.blend((m, depth) => m.recommend(history, depth, options), exclusionMask(this.itemIds.length, history, options), k, options);
  }

  similar(item: number, k: number, options?: RecommendOptions): ScoredItems {
    checkK(k);
    checkItem(item, this.itemIds.length);
    return this.blend((m, depth) => m.similar(item, depth, options), exclusionMask(this.itemIds.length, undefined, options, item), k, options);
  }

  /** The explanation of the heaviest-weighted component that has one for this title. */
  explain(history: SparseRow, item: number, k = 5): Contribution[] {
    const order = this.models.map((_, c) => c).sort((a, b) => this.params.weights[b] - this.params.weights[a]);
    for (const c of order) {
      if (this.params.weights[c] === 0) continue;
      const found = this.models[c].explain(history, item, k);
      if (found.length > 0) return found;
    }
    return [];
  }

  serialize(): Uint8Array {
    const sections: Record<string, Uint8Array> = {};
    this.models.forEach((m, c) => (sections[`component${c}`] = m.serialize()));
    return encodeModel({ algorithm: this.algorithm, params: { ...this.params }, itemIds: [] , meta: { nItems: this.itemIds.length } }, sections);
  }
}

/** The hybrid spec; `lookup` resolves component names (the registry, which imports this file). */
export function hybridSpec(lookup: SpecLookup): AlgorithmSpec<HybridParams> {
  return {
    name: "hybrid",
    defaults: { components: ["ease", "itemknn"], weights: [0.5, 0.5], componentParams: {}, candidates: 200 },
    grid: { weights: [[0.25, 0.75], [0.5, 0.5], [0.75, 0.25]] },
    validate: validateHybrid,
    async fit(data: InteractionMatrix, params, options?: FitOptions) {
      const p = validateHybrid(params);
      const specs = p.components.map(lookup);
      const models: Recommender[] = [];
      for (let c = 0; c < specs.length; c++) {
        const spec = specs[c];
        const sub = spec.validate(p.componentParams[spec.name] ?? {});
        models.push(
          await spec.fit(data, sub, {
            ...options,
            onProgress: options?.onProgress && ((pr) => options.onProgress?.({ phase: `${spec.name}: ${pr.phase}`, fraction: (c + pr.fraction) / specs.length })),
          }),
        );
      }
      return new HybridModel({ ...p, componentParams: Object.fromEntries(models.map((m) => [m.algorithm, { ...m.params }])) }, models);
    },
    deserialize(bytes) {
      const { header, sections } = decodeModel(bytes);
      if (header.algorithm !== "hybrid") throw new Error(`not a hybrid model: the artifact holds "${header.algorithm}"`);
      const p = validateHybrid(header.params as Partial<HybridParams>);
      const models = p.components.map((name, c) => {
        const bytesOf = sections[`component${c}`];
        if (!(bytesOf instanceof Uint8Array)) throw new Error(`corrupt hybrid model: component ${c} (${name}) missing`);
        return lookup(name).deserialize(bytesOf);
      });
      return new HybridModel(p, models);
    },
  };
}
