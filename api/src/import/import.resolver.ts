import { Arg, Ctx, Field, Int, Mutation, ObjectType, registerEnumType, Resolver } from "type-graphql";
import { requireAdmin } from "../auth/viewer";
import type { GraphQLContext } from "../graphql/context";
import { BadUserInputError } from "../common/errors";
import { ImportError } from "./import-error";
import type { ImportService } from "./import.service";

export enum ImportFormat {
  CSV = "CSV",
  JSONL = "JSONL",
}

registerEnumType(ImportFormat, { name: "ImportFormat", description: "Layout of an events upload: CSV with a header line, or JSON Lines." });

@ObjectType({ description: "A line of an import that was not taken, and why." })
export class ImportLineError {
  @Field(() => Int, { description: "Line number in the uploaded content, from 1 (the CSV header is line 1)." })
  line: number;

  @Field(() => String)
  reason: string;
}

@ObjectType({ description: "What an import did. Rejected lines are listed; the good ones were kept." })
export class ImportResult {
  @Field(() => Int)
  linesRead: number;

  @Field(() => Int, { description: "Events added." })
  eventsImported: number;

  @Field(() => Int, { description: "Events already stored (same profile and client event id), not added again." })
  duplicates: number;

  @Field(() => Int, { description: "Profiles created for external user ids seen for the first time." })
  profilesCreated: number;

  @Field(() => Int)
  rejectedLines: number;

  @Field(() => [ImportLineError], { description: "The first rejected lines (up to 1,000)." })
  errors: ImportLineError[];
}

/** Uploads through GraphQL are for small files; `npm run import` streams large ones. */
export const MAX_IMPORT_CONTENT_BYTES = 1 << 20;

@Resolver()
export class ImportResolver {
  constructor(private readonly importService: ImportService) {}

  @Mutation(() => ImportResult, {
    description:
      "Admin: imports a small events file (up to 1 MiB; `npm run import -- events <file>` for larger ones). CSV header: " +
      "profile,movie,type,occurred_at[,progress][,client_event_id]. A profile is a Marquee profile id or an external user id " +
      "(a profile is created for it once). One transaction; bad lines are reported, good ones kept; importing the same content twice adds nothing.",
  })
  async importEvents(
    @Arg("format", () => ImportFormat) format: ImportFormat,
    @Arg("content", () => String) content: string,
    @Arg("source", () => String, { nullable: true, description: 'Id space of external user ids (default "events", as the CLI).' }) source: string | null | undefined,
    @Ctx() { viewer }: GraphQLContext,
  ): Promise<ImportResult> {
    requireAdmin(viewer, "importEvents");
    const bytes = Buffer.byteLength(content);
    if (bytes > MAX_IMPORT_CONTENT_BYTES) {
      throw new BadUserInputError(
        `content is ${bytes} bytes; uploads through GraphQL take at most ${MAX_IMPORT_CONTENT_BYTES} (1 MiB). Use \`npm run import -- events <file>\` for larger files.`,
        { field: "content" },
      );
    }
    try {
      const summary = await this.importService.importEvents({ text: content }, { format, source: source ?? undefined });
      return {
        linesRead: summary.linesRead,
        eventsImported: summary.eventsImported,
        duplicates: summary.duplicates,
        profilesCreated: summary.profilesCreated,
        rejectedLines: summary.rejectedLines,
        errors: summary.errors,
      };
    } catch (error) {
      if (error instanceof ImportError) throw new BadUserInputError(error.message.replace(/^the content/, "content"), { field: "content" });
      throw error;
    }
  }
}
