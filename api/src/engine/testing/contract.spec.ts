import { algorithmNames, getAlgorithm } from "../algorithms/registry";
import { recommenderContract, type ContractOptions } from "./contract";

/** Fixture settings per algorithm; a registered algorithm missing here fails the last test. */
const settings: Record<string, ContractOptions> = {
  popular: { personalized: false },
  trending: { personalized: false },
  itemknn: { personalized: true, params: { k: 20 } },
  userknn: { personalized: true, params: { k: 10 } },
  ease: { personalized: true, params: { lambda: 1 } },
  content: { personalized: false, blockSimilar: true },
  hybrid: { personalized: true, params: { components: ["ease", "itemknn"], componentParams: { ease: { lambda: 1 }, itemknn: { k: 20 } } } },
  ials: { personalized: true, params: { factors: 4, iterations: 15 } },
  rp3beta: { personalized: true, params: { k: 20 } },
};

for (const name of algorithmNames()) {
  describe(`recommender contract: ${name}`, () => {
    const options = settings[name] ?? { personalized: true };
    for (const c of recommenderContract(getAlgorithm(name), options)) it(c.name, () => c.run());
  });
}

it("every registered algorithm has contract settings", () => {
  expect(algorithmNames().filter((n) => !(n in settings))).toEqual([]);
});
