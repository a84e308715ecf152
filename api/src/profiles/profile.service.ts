import type { DataSource } from "typeorm";
import { BadUserInputError, NameTakenError, NotFoundError } from "../common/errors";
import { parseProfileId } from "../common/ids";
import { Profile } from "./profile.entity";

/** Avatar colours of the profile picker, chosen so white initials stay readable. */
export const AVATAR_PALETTE = ["#e50914", "#f5a623", "#2e86de", "#10ac84", "#8e44ad", "#e84393", "#00a8a8", "#6c5ce7", "#d35400", "#27ae60"];

/** The name an anonymous profile carries until it is claimed (never shown on Who's watching). */
export const ANONYMOUS_NAME = "Guest";
/** Longest profile name (CreateProfileArgs' limit). */
const MAX_NAME = 40;

interface ProfileRow {
  id: string;
  name: string;
  avatar_color: string;
  created_at: Date;
  anonymous: boolean;
  expires_at: Date | null;
}

function profileFromRow(row: ProfileRow): Profile {
  const profile = new Profile();
  profile.id = row.id;
  profile.name = row.name;
  profile.avatarColor = row.avatar_color;
  profile.createdAt = row.created_at;
  profile.anonymous = row.anonymous;
  profile.expiresAt = row.expires_at;
  return profile;
}

export class ProfileService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every named profile, oldest first (the order of a "Who's watching?" screen); anonymous sessions' profiles are never listed. */
  async list(): Promise<Profile[]> {
    const rows: ProfileRow[] = await this.dataSource.query(`SELECT * FROM profiles WHERE NOT anonymous ORDER BY created_at, name, id`);
    return rows.map(profileFromRow);
  }

  async findById(rawId: string): Promise<Profile | null> {
    const id = parseProfileId(rawId);
    const rows: ProfileRow[] = await this.dataSource.query(`SELECT * FROM profiles WHERE id = $1`, [id]);
    return rows.length ? profileFromRow(rows[0]) : null;
  }

  /** Like findById, but a missing profile is a NOT_FOUND error. */
  async getById(rawId: string): Promise<Profile> {
    const profile = await this.findById(rawId);
    if (!profile) throw new NotFoundError(`No profile has id ${rawId}: list them with the profiles query`, { field: "profileId" });
    return profile;
  }

  async create(name: string, avatarColor?: string | null): Promise<Profile> {
    const trimmed = validName(name);
    const color = avatarColor ?? randomColor();
    const rows: ProfileRow[] = await this.dataSource.query(
      `INSERT INTO profiles (name, avatar_color) VALUES ($1, $2) RETURNING *`,
      [trimmed, color.toLowerCase()],
    );
    return profileFromRow(rows[0]);
  }

  /** A new anonymous profile, deleted with its history `ttlDays` from now unless claimed. */
  async createAnonymous(ttlDays: number): Promise<Profile> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `INSERT INTO profiles (name, avatar_color, anonymous, expires_at) VALUES ($1, $2, true, now() + make_interval(days => $3)) RETURNING *`,
      [ANONYMOUS_NAME, randomColor(), ttlDays],
    );
    return profileFromRow(rows[0]);
  }

  /**
   * Turns the anonymous profile `id` into a named one in place: same id, so its history, the
   * serving ids it was given and its experiment arm stay valid. Null when `id` is not an
   * anonymous profile (any more). A name another named profile has (any case) is NAME_TAKEN;
   * claims are serialised by a transaction-scoped lock so two cannot take one name at once.
   */
  async claim(id: string, name: string): Promise<Profile | null> {
    const trimmed = validName(name);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('marquee:profile-name:' || lower($1)))`, [trimmed]);
      const taken: unknown[] = await manager.query(`SELECT 1 FROM profiles WHERE NOT anonymous AND lower(name) = lower($1) LIMIT 1`, [trimmed]);
      if (taken.length > 0) throw new NameTakenError(`A profile is already called "${trimmed}": pick another name`);
      // An UPDATE answers [rows, affected count].
      const [rows]: [ProfileRow[], number] = await manager.query(
        `UPDATE profiles SET name = $2, anonymous = false, expires_at = NULL WHERE id = $1 AND anonymous RETURNING *`,
        [id, trimmed],
      );
      return rows.length ? profileFromRow(rows[0]) : null;
    });
  }

  /**
   * Deletes expired anonymous profiles, `batch` at a time (short transactions), with their
   * events, scores, impressions, roll-ups and My List (ON DELETE CASCADE). Returns how many.
   */
  async deleteExpiredAnonymous(batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM profiles WHERE id IN (
           SELECT id FROM profiles WHERE anonymous AND expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [batch],
      );
      total += deleted;
      if (deleted < batch) return total;
    }
  }
}

function randomColor(): string {
  return AVATAR_PALETTE[Math.floor(Math.random() * AVATAR_PALETTE.length)];
}

/** A profile name as stored: trimmed, 1..40 characters. */
function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new BadUserInputError("name must not be blank", { field: "name" });
  if (trimmed.length > MAX_NAME) throw new BadUserInputError(`name must be at most ${MAX_NAME} characters, got ${trimmed.length}`, { field: "name" });
  return trimmed;
}
