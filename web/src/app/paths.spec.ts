import { pathOfLegacyHash, paths } from "./paths";

describe("client paths", () => {
  it("builds real paths, encoding what the viewer typed", () => {
    expect(paths.title("42")).toBe("/title/42");
    expect(paths.genre("Children's")).toBe("/genre/Children's");
    expect(paths.genre("Sci-Fi / Fantasy")).toBe("/genre/Sci-Fi%20%2F%20Fantasy");
    expect(paths.search("star wars & more")).toBe("/search?q=star+wars+%26+more");
    expect(new URLSearchParams(paths.search("star wars & more").split("?")[1]).get("q")).toBe("star wars & more");
    expect(paths.search("")).toBe("/search");
  });

  it("sends each old hash link to its path, and leaves other hashes alone", () => {
    expect(pathOfLegacyHash("#/browse")).toBe("/");
    expect(pathOfLegacyHash("#/")).toBe("/");
    expect(pathOfLegacyHash("#/genre/Film-Noir")).toBe("/genre/Film-Noir");
    expect(pathOfLegacyHash("#/genre/Sci-Fi%20%2F%20Fantasy")).toBe("/genre/Sci-Fi%20%2F%20Fantasy");
    expect(pathOfLegacyHash("#/genre/%E0%A4%A")).toBe("/genre/%25E0%25A4%25A"); // undecodable: kept as typed
    expect(pathOfLegacyHash("#/genre")).toBe("/");
    expect(pathOfLegacyHash("#/search?q=alien%20queen")).toBe("/search?q=alien+queen");
    expect(pathOfLegacyHash("#/search")).toBe("/search");
    expect(pathOfLegacyHash("#/my-list")).toBe("/my-list");
    expect(pathOfLegacyHash("#/profiles")).toBe("/profiles");
    expect(pathOfLegacyHash("#/welcome")).toBe("/welcome");
    expect(pathOfLegacyHash("#/admin")).toBe("/admin");
    expect(pathOfLegacyHash("#/something-else")).toBe("/");
    expect(pathOfLegacyHash("#main")).toBeNull();
    expect(pathOfLegacyHash("")).toBeNull();
  });
});
