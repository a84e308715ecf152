import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class MyListArgs {
  @Field(() => ID, { nullable: true, description: "Defaults to the session's profile." })
  profileId?: string | null;
}

@ArgsType()
export class MyListChangeArgs {
  @Field(() => ID, { nullable: true, description: "Defaults to the session's profile." })
  profileId?: string | null;

  @Field(() => ID)
  movieId: string;
}
