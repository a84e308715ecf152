import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { Profile } from "../profiles/profile.entity";
import type { ProfileService } from "../profiles/profile.service";
import { NotFoundError } from "../common/errors";

@ObjectType({ description: "A viewer session: send the token as `Authorization: Bearer <token>` (browsers also get it as an HTTP-only cookie)." })
export class Session {
  @Field(() => String, { description: "Signed, expiring token naming the profile." })
  token: string;

  @Field(() => Profile)
  profile: Profile;
}

@Resolver(() => Session)
export class SessionResolver {
  constructor(private readonly profileService: ProfileService) {}

  @Mutation(() => Session, {
    description: "Picks the profile that is watching (\"Who's watching?\"): returns a session token for it and sets the session cookie.",
  })
  async selectProfile(@Arg("profileId", () => ID) profileId: string, @Ctx() context: GraphQLContext): Promise<Session> {
    const profile = await this.profileService.findById(profileId);
    if (!profile) throw new NotFoundError(`no profile has id ${profileId}: list them with profiles, or add one with createProfile`, { field: "profileId" });
    return { token: context.issueSession(profile.id), profile };
  }
}
