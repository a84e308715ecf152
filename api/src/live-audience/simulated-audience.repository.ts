import type { DataSource } from "typeorm";
import { AudienceTastes } from "../engine/synthetic/audience";
import { assignArm } from "../experiments/assignment";
import { genreMasks, parseSimulationSource, tasteTopics } from "../import/simulate";

/**
 * Who the simulated viewers are and what they like, recovered from what `npm run simulate --
 * --seed S` stored: its import_profiles source names the spec, the first `titles` movies (by id)
 * are its catalog, and the tastes are regenerated from the seed (AudienceTastes), so they match
 * the stored history. Titles added after it (higher ids) are placed on the same taste map by
 * genre. Read once at the start: this is what a real audience carries in its heads, not serving.
 */
export interface SimulatedAudience {
  readonly source: string;
  readonly seed: number;
  readonly tastes: AudienceTastes;
  /** Profile id of each viewer index, when it has one (a viewer with no history has none). */
  readonly profileIds: readonly (string | undefined)[];
  /** Title index of each movie id the world knows. */
  readonly titleIndex: ReadonlyMap<string, number>;
  /** Movie ids after the seeded catalog (added later), in world order. */
  readonly addedMovieIds: readonly string[];
}

export async function loadSimulatedAudience(db: DataSource, seed: number): Promise<SimulatedAudience> {
  const sources = (await db.query(`SELECT DISTINCT source FROM import_profiles WHERE source LIKE $1 ORDER BY source`, [`simulate:seed=${seed},%`])) as { source: string }[];
  if (sources.length === 0) {
    throw new RangeError(`No simulated audience with seed ${seed} in this database: seed one first with \`npm run simulate -- --events 200000 --viewers 2000 --titles 1000 --seed ${seed}\``);
  }
  if (sources.length > 1) throw new RangeError(`Several simulated audiences have seed ${seed} (${sources.map((s) => s.source).join("; ")}): use a database with one`);
  const { source } = sources[0];
  const spec = parseSimulationSource(source)!;
  const movies = (await db.query(`SELECT m.id::text AS id, m.genres FROM movies m ORDER BY m.id`)) as { id: string; genres: string[] }[];
  if (movies.length < spec.titles) throw new RangeError(`The catalog has ${movies.length} titles, fewer than the ${spec.titles} the audience was simulated over`);
  const seeded = movies.slice(0, spec.titles);
  const { names, titleGenres } = tasteTopics(seeded);
  const tastes = new AudienceTastes({ viewers: spec.viewers, titles: spec.titles, seed: spec.seed, titleGenres });
  const added = movies.slice(spec.titles);
  if (added.length > 0) tastes.addTitles(genreMasks(added, names));
  const titleIndex = new Map(movies.map((m, t) => [m.id, t] as const));

  const profileIds: (string | undefined)[] = new Array(spec.viewers).fill(undefined);
  const rows = (await db.query(`SELECT external_id, profile_id::text AS profile_id FROM import_profiles WHERE source = $1`, [source])) as { external_id: string; profile_id: string }[];
  for (const row of rows) {
    const u = Number(row.external_id) - 1;
    if (Number.isInteger(u) && u >= 0 && u < spec.viewers) profileIds[u] = row.profile_id;
  }
  return { source, seed, tastes, profileIds, titleIndex, addedMovieIds: added.map((m) => m.id) };
}

/** An experiment as the audience needs it: which arm (by name) each profile is in, by the server's own hash. */
export interface ExperimentArms {
  readonly id: string;
  readonly name: string;
  /** Arm names by index (the index onlineMetrics reports under ARM). */
  readonly arms: readonly string[];
  /** The arm's name, or "outside" for a profile outside the experiment's traffic. */
  armOf(profileId: string): string;
}

export async function loadExperimentArms(db: DataSource, id: string): Promise<ExperimentArms> {
  if (!/^\d+$/.test(id)) throw new RangeError(`--experiment must be an experiment id (a number, from the experiments query), got ${id}`);
  const rows = (await db.query(`SELECT name, salt, traffic_percent, arms, status::text AS status FROM experiments WHERE id = $1`, [Number(id)])) as {
    name: string;
    salt: string;
    traffic_percent: number;
    arms: { name: string; share: number }[];
    status: string;
  }[];
  if (rows.length === 0) throw new RangeError(`No experiment has id ${id}: create one with createExperiment and start it with startExperiment`);
  const [row] = rows;
  if (row.status !== "RUNNING") console.warn(`experiment ${id} (${row.name}) is ${row.status}: its viewers get the default serving`);
  const shares = row.arms.map((a) => a.share);
  const arms = row.arms.map((a) => a.name);
  return {
    id,
    name: row.name,
    arms,
    armOf: (profileId) => {
      const arm = assignArm(row.salt, profileId, row.traffic_percent, shares);
      return arm === null ? "outside" : arms[arm];
    },
  };
}
