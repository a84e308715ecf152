/** A connection URL without its password, for logs. */
export function redactedUrl(url: string, name: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return `(unparseable ${name})`;
  }
}
