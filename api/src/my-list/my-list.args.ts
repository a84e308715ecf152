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

@ArgsType()
export class AddToMyListArgs extends MyListChangeArgs {
  @Field(() => ID, { nullable: true, description: "The recommendationId of the card the title was added from: attributes the ADD_TO_LIST event to it." })
  recommendationId?: string | null;
}
