import { Arg, Args, ID, Mutation, Query, Resolver } from "type-graphql";
import { CreateProfileArgs } from "./create-profile.args";
import { Profile } from "./profile.entity";
import { ProfileService } from "./profile.service";

@Resolver(() => Profile)
export class ProfileResolver {
  constructor(private readonly profileService: ProfileService) {}

  @Query(() => [Profile], { description: "Every viewer profile, oldest first." })
  profiles(): Promise<Profile[]> {
    return this.profileService.list();
  }

  @Query(() => Profile, { nullable: true })
  profile(@Arg("id", () => ID) id: string): Promise<Profile | null> {
    return this.profileService.findById(id);
  }

  @Mutation(() => Profile, { description: "Adds a viewer profile." })
  createProfile(@Args(() => CreateProfileArgs) { name, avatarColor }: CreateProfileArgs): Promise<Profile> {
    return this.profileService.create(name, avatarColor);
  }
}
