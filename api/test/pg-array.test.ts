import fc from "fast-check";
import { pgArray } from "../src/database/pg-array";
import { createTestDatabase, type TestDatabase } from "./database";

/** pgArray's literals, read back by Postgres itself, equal the values pg's own array encoding sends. */
describe("pgArray", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("text with quotes, backslashes, commas, braces, spaces, NULL-looking words, unicode and nulls", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.oneof(fc.string(), fc.constantFrom("NULL", "null", "", " ", "{}", "a,b", '"', "\\")), { nil: null }), { maxLength: 20 }), async (values) => {
        const [row] = await db.dataSource.query(`SELECT $1::text[] AS ours, $2::text[] AS theirs`, [pgArray(values), values]);
        expect(row.ours).toEqual(row.theirs);
      }),
      { numRuns: 60 },
    );
  });

  it("numbers (reals and ints), booleans, timestamps and safe labels", async () => {
    const reals = [0.1, -3.5e-7, 1e21, 0, null, 2 / 3];
    const ints = [1, -2147483648, 2147483647, null];
    const times = [new Date("2024-02-29T23:59:59.123Z"), null, new Date(0)];
    const ids = ["6f1c6c1e-1b7e-4c57-8f9a-1d2e3f4a5b6c", null];
    const [row] = await db.dataSource.query(
      `SELECT $1::real[] = $2::real[] AS reals, $3::int[] = $4::int[] AS ints, $5::timestamptz[] = $6::timestamptz[] AS times,
              $7::uuid[] = $8::uuid[] AS ids, $9::bool[] = $10::bool[] AS bools`,
      [pgArray(reals), reals, pgArray(ints), ints, pgArray(times), times, pgArray(ids, true), ids, pgArray([true, false, null]), [true, false, null]],
    );
    expect(row).toEqual({ reals: true, ints: true, times: true, ids: true, bools: true });
  });
});
