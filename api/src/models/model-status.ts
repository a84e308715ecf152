import { registerEnumType } from "type-graphql";

/** Where a trained model stands. At most one is ACTIVE at a time. */
export enum ModelStatus {
  TRAINING = "TRAINING",
  ACTIVE = "ACTIVE",
  RETIRED = "RETIRED",
  REJECTED = "REJECTED",
  FAILED = "FAILED",
}

registerEnumType(ModelStatus, {
  name: "ModelStatus",
  description: "TRAINING: running; ACTIVE: serving; RETIRED: replaced by a newer model; REJECTED: trained but scored worse on validation than the model serving; FAILED: training threw or the artifact would not load.",
});
