// Every `--json` prints snake_case keys, as the database names its columns, so a script reads one
// casing everywhere. Library results keep their TypeScript (camelCase) names; the CLI converts once.

/** `notReports` → `not_reports`; keys that are data (value keys, slugs, years, agency names) stay as they are. */
function snakeKey(key: string): string {
  return /^[a-z][a-zA-Z0-9]*$/.test(key) && /[A-Z]/.test(key)
    ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    : key;
}

export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeKey(k), snakeCaseKeys(v)]));
}

/** The text a `--json` flag prints: snake_case keys, two-space indent, one trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(snakeCaseKeys(value), null, 2)}\n`;
}
