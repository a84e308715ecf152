import { decodeModel } from "./model-container";
import type { AlgorithmSpec, Recommender } from "./recommender";
import { ParameterError } from "./common";
import { popularity } from "./popularity";
import { trending } from "./trending";
import { itemKnn } from "./item-knn";
import { userKnn } from "./user-knn";
import { ease } from "./ease";
import { content } from "./content";
import { hybridSpec } from "./hybrid";
import { ials } from "./ials";
import { rp3beta } from "./rp3beta";

/** Every algorithm by its name (the name stored in model artifacts and used by the CLI). */
const specs = new Map<string, AlgorithmSpec>();

/** Adds (or replaces) an algorithm under its name, e.g. an experimental model in a script. */
export function registerAlgorithm(spec: AlgorithmSpec): void {
  specs.set(spec.name, spec);
}
const register = registerAlgorithm;

/** The spec registered under `name`; throws a clear error listing the known names otherwise. */
export function getAlgorithm(name: string): AlgorithmSpec {
  const spec = specs.get(name);
  if (!spec) throw new ParameterError(`unknown algorithm "${name}": known algorithms are ${algorithmNames().join(", ")}`);
  return spec;
}

export function algorithmNames(): string[] {
  return [...specs.keys()];
}

/** Loads any model artifact, dispatching on the algorithm named in its container header. */
export function deserializeModel(bytes: Uint8Array): Recommender {
  const { header } = decodeModel(bytes);
  return getAlgorithm(header.algorithm).deserialize(bytes);
}

register(popularity as unknown as AlgorithmSpec);
register(trending as unknown as AlgorithmSpec);
register(itemKnn as unknown as AlgorithmSpec);
register(userKnn as unknown as AlgorithmSpec);
register(ease as unknown as AlgorithmSpec);
register(ials as unknown as AlgorithmSpec);
register(rp3beta as unknown as AlgorithmSpec);
register(content as unknown as AlgorithmSpec);
register(hybridSpec(getAlgorithm) as unknown as AlgorithmSpec);
