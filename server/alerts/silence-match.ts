/**
 * Silences: label matchers with a time range, as Alertmanager's. A silence matches an alert when
 * every matcher matches its labels (a missing label is the empty string); an active matching
 * silence suppresses the alert's notifications (its state and history go on as usual).
 */
import { z } from 'zod';

export const matcherSchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name: letters, digits and _'),
  op: z
    .enum(['=', '!=', '=~', '!~'], { error: 'op must be =, !=, =~ or !~' })
    .default('='),
  value: z.string().max(1024),
});
export type Matcher = z.infer<typeof matcherSchema>;

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
  comment: string;
  createdBy: string;
}

/** A regex anchored as Alertmanager anchors them; null when it does not compile. */
export function compileMatcherRegex(value: string): RegExp | null {
  try {
    return new RegExp(`^(?:${value})$`);
  } catch {
    return null;
  }
}

export function matcherMatches(
  m: Matcher,
  labels: Record<string, string>,
): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return compileMatcherRegex(m.value)?.test(v) ?? false;
    case '!~':
      return !(compileMatcherRegex(m.value)?.test(v) ?? true);
  }
}

export function isActive(s: Silence, nowMs: number): boolean {
  return s.startsAt.getTime() <= nowMs && nowMs < s.endsAt.getTime();
}

/** The first active silence matching the labels, if any. */
export function silencedBy(
  silences: readonly Silence[],
  labels: Record<string, string>,
  nowMs: number,
): Silence | undefined {
  return silences.find(
    (s) =>
      isActive(s, nowMs) &&
      s.matchers.length > 0 &&
      s.matchers.every((m) => matcherMatches(m, labels)),
  );
}
