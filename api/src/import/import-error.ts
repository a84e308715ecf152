/**
 * An import that cannot start or cannot be read as a whole (missing file, wrong layout, empty
 * file). Nothing was written. The message says what was expected.
 */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}
