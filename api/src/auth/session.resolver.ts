import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { Profile } from "../profiles/profile.entity";
import type { ProfileService } from "../profiles/profile.service";
import type { AnonymousProfileService } from "../profiles/anonymous-profile.service";
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
  constructor(
    private readonly profileService: ProfileService,
    private readonly anonymousProfiles: AnonymousProfileService,
  ) {}

  @Mutation(() => Session, {
    description: "Picks the profile that is watching (\"Who's watching?\"): returns a session token for it and sets the session cookie.",
  })
  async selectProfile(@Arg("profileId", () => ID) profileId: string, @Ctx() context: GraphQLContext): Promise<Session> {
    const profile = await this.profileService.findById(profileId);
    // An anonymous profile is selectable only by its own session (a reload refreshing it), never by id alone.
    const hidden = profile?.anonymous === true && !context.viewer.admin && context.viewer.profileId?.toLowerCase() !== profile.id;
    if (!profile || hidden) throw new NotFoundError(`no profile has id ${profileId}: list them with profiles, or add one with createProfile`, { field: "profileId" });
    return { token: context.issueSession(profile.id, profile.expiresAt), profile };
  }

  @Mutation(() => Session, {
    description:
      "A session for a visitor without a profile: a new anonymous profile (never listed in `profiles`), personalised by its events like any other and deleted with them after MARQUEE_ANONYMOUS_TTL_DAYS unless claimed with claimProfile. Same token and cookie as selectProfile; limited per address.",
  })
  async anonymousSession(@Ctx() context: GraphQLContext): Promise<Session> {
    const profile = await this.anonymousProfiles.start(context.clientIp);
    return { token: context.issueSession(profile.id, profile.expiresAt), profile };
  }

  @Mutation(() => Profile, {
    description:
      "Turns the session's anonymous profile into a named one in place (same id: its history, serving ids and experiment arm stay valid) and renews the session cookie. NO_ANONYMOUS_SESSION without an anonymous session; NAME_TAKEN when a profile has that name.",
  })
  async claimProfile(@Arg("name", () => String) name: string, @Ctx() context: GraphQLContext): Promise<Profile> {
    const profile = await this.anonymousProfiles.claim(context.viewer.profileId, name);
    context.issueSession(profile.id);
    return profile;
  }
}
