import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../graphql/context";
import { CreateProfileArgs } from "./create-profile.args";
import { Profile } from "./profile.entity";
import { ProfileService } from "./profile.service";

@Resolver(() => Profile)
export class ProfileResolver {
  constructor(private readonly profileService: ProfileService) {}

  @Query(() => [Profile], { description: "Every named viewer profile, oldest first (anonymous sessions' profiles are never listed)." })
  profiles(): Promise<Profile[]> {
    return this.profileService.list();
  }

  @Query(() => Profile, { nullable: true, description: "A profile by id; an anonymous one only for its own session (or the admin key)." })
  async profile(@Arg("id", () => ID) id: string, @Ctx() { viewer }: GraphQLContext): Promise<Profile | null> {
    const profile = await this.profileService.findById(id);
    return profile?.anonymous && !viewer.admin && viewer.profileId?.toLowerCase() !== profile.id ? null : profile;
  }

  @Mutation(() => Profile, { description: "Adds a viewer profile." })
  createProfile(@Args(() => CreateProfileArgs) { name, avatarColor }: CreateProfileArgs): Promise<Profile> {
    return this.profileService.create(name, avatarColor);
  }
}
