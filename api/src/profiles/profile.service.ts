import type { DataSource } from "typeorm";
import { BadUserInputError, NotFoundError } from "../common/errors";
import { parseProfileId } from "../common/ids";
import { Profile } from "./profile.entity";

/** Avatar colours of the profile picker, chosen so white initials stay readable. */
export const AVATAR_PALETTE = ["#e50914", "#f5a623", "#2e86de", "#10ac84", "#8e44ad", "#e84393", "#00a8a8", "#6c5ce7", "#d35400", "#27ae60"];

interface ProfileRow {
  id: string;
  name: string;
  avatar_color: string;
  created_at: Date;
}

function profileFromRow(row: ProfileRow): Profile {
  const profile = new Profile();
  profile.id = row.id;
  profile.name = row.name;
  profile.avatarColor = row.avatar_color;
  profile.createdAt = row.created_at;
  return profile;
}

export class ProfileService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every profile, oldest first (the order of a "Who's watching?" screen). */
  async list(): Promise<Profile[]> {
    const rows: ProfileRow[] = await this.dataSource.query(`SELECT * FROM profiles ORDER BY created_at, name, id`);
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
    const trimmed = name.trim();
    if (trimmed.length === 0) throw new BadUserInputError("name must not be blank", { field: "name" });
    const color = avatarColor ?? AVATAR_PALETTE[Math.floor(Math.random() * AVATAR_PALETTE.length)];
    const rows: ProfileRow[] = await this.dataSource.query(
      `INSERT INTO profiles (name, avatar_color) VALUES ($1, $2) RETURNING *`,
      [trimmed, color.toLowerCase()],
    );
    return profileFromRow(rows[0]);
  }
}
