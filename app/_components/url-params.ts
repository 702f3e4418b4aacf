/** Applies parameter changes to a query string (without '?'); null removes a parameter. Pure. */
export function applyParams(
  current: string,
  changes: Record<string, string | null>,
): string {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  return next.toString();
}
