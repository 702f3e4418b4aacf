/** Silence matchers as people type them: one per line, `name=value`, `!=`, `=~` or `!~`. Pure. */

export interface MatcherInput {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Parsed matchers, or the first line that is not one. */
export function parseMatchers(text: string): {
  matchers: MatcherInput[];
  error: string | null;
} {
  const matchers: MatcherInput[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(
      line,
    );
    if (!m)
      return {
        matchers,
        error: `"${line}" is not a matcher: write name=value, name!=value, name=~regex or name!~regex`,
      };
    matchers.push({
      name: m[1]!,
      op: m[2] as MatcherInput['op'],
      value: m[3]!,
    });
  }
  if (matchers.length === 0)
    return {
      matchers,
      error: 'add at least one matcher, e.g. service=ratings',
    };
  return { matchers, error: null };
}

export const matcherText = (m: MatcherInput) => `${m.name}${m.op}${m.value}`;
