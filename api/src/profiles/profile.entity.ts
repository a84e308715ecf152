import { Field, ID, ObjectType } from "type-graphql";
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@ObjectType({ description: "A viewer, as on a streaming service's \"Who's watching?\" screen." })
@Entity({ name: "profiles" })
// The expiry sweep reads anonymous profiles by expiry only.
@Index("profiles_anonymous_expires_idx", ["expiresAt"], { where: `"anonymous"` })
@Check("profiles_anonymous_expiry", `NOT "anonymous" OR "expires_at" IS NOT NULL`)
export class Profile {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String)
  @Column({ type: "text" })
  name: string;

  @Field(() => String, { description: "Avatar colour, CSS hex (#rrggbb)." })
  @Column({ name: "avatar_color", type: "text" })
  avatarColor: string;

  @Field(() => Date)
  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Field(() => Boolean, {
    description: "An anonymous session's ephemeral profile (anonymousSession): never listed in `profiles`, deleted with its history once it expires unless claimed (claimProfile).",
  })
  @Column({ type: "boolean", default: false })
  anonymous: boolean;

  @Field(() => Date, { nullable: true, description: "When an anonymous profile and everything it logged are deleted; null for a named profile." })
  @Column({ name: "expires_at", type: "timestamptz", nullable: true })
  expiresAt: Date | null;
}
