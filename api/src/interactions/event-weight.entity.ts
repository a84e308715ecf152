import { Column, Entity, PrimaryColumn } from "typeorm";
import { InteractionType } from "./interaction-type";

/** The weight of each event type: configuration, read at start (see event-weights.ts). */
@Entity({ name: "event_weights" })
export class EventWeight {
  @PrimaryColumn({ type: "enum", enum: InteractionType, enumName: "interaction_type" })
  type: InteractionType;

  @Column({ type: "real" })
  weight: number;
}
