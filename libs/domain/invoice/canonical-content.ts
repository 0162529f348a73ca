/** The order's content without what carries no meaning: key order and empty optional fields (null, undefined, ''). */
export function canonicalContent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalContent);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonicalContent(v)]),
    );
  }
  return value;
}

/** Same order content, whatever the key order or empty optional fields: what idempotent issuing compares. */
export const sameContent = (a: unknown, b: unknown): boolean => JSON.stringify(canonicalContent(a)) === JSON.stringify(canonicalContent(b));
