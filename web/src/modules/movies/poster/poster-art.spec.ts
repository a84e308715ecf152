import { displayTitle, layoutTitle, paletteFor } from "./poster-art";

describe("poster art", () => {
  it("reads catalog titles naturally", () => {
    expect(displayTitle("Godfather, The")).toBe("The Godfather");
    expect(displayTitle("Usual Suspects, The")).toBe("The Usual Suspects");
    expect(displayTitle("Heat")).toBe("Heat");
  });

  it("sets short titles large and long titles smaller, never over the line budget", () => {
    const short = layoutTitle("Heat");
    const long = layoutTitle("Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb");
    expect(short.lines).toEqual(["HEAT"]);
    expect(long.fontSize).toBeLessThan(short.fontSize);
    expect(long.lines.length).toBeLessThanOrEqual(5);
  });

  it("colours by the first genre it knows", () => {
    expect(paletteFor(["Horror", "Comedy"])).toEqual(paletteFor(["Horror"]));
    expect(paletteFor(["Horror"])).not.toEqual(paletteFor(["Comedy"]));
  });
});
