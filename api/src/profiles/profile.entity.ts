import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@ObjectType({ description: "A viewer, as on a streaming service's \"Who's watching?\" screen." })
@Entity({ name: "profiles" })
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
}
