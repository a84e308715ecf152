import { IsHexColor, IsOptional, Length } from "class-validator";
import { ArgsType, Field } from "type-graphql";

@ArgsType()
export class CreateProfileArgs {
  @Field(() => String, { description: "Shown on the profile picker, 1..40 characters." })
  @Length(1, 40)
  name: string;

  @Field(() => String, { nullable: true, description: "Avatar colour (#rrggbb); picked from a palette when omitted." })
  @IsOptional()
  @IsHexColor()
  avatarColor?: string | null;
}
