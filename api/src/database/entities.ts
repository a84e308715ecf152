import { EventWeight } from "../interactions/event-weight.entity";
import { InteractionScore } from "../interactions/interaction-score.entity";
import { Interaction } from "../interactions/interaction.entity";
import { ModelRecord } from "../models/model-record.entity";
import { Movie } from "../movies/movie.entity";
import { Profile } from "../profiles/profile.entity";

/** Every TypeORM entity of the API. Later domains append theirs here. */
export const ENTITIES = [Movie, Profile, Interaction, InteractionScore, EventWeight, ModelRecord];
