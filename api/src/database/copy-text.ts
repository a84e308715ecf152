/** Postgres COPY text format: NULL, and a value with backslash, tab and line ends escaped. */
export const COPY_NULL = "\\N";
const NEEDS_ESCAPE = /[\\\t\n\r]/;

export function copyText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}
