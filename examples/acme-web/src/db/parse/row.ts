export function toRow(raw: unknown): Record<string, string> {
  return raw as Record<string, string>;
}
