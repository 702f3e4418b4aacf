/** A small glob for log paths (`*`, `?`, `**`), since Node 20 has no fs.glob. */
import fs from 'node:fs';
import path from 'node:path';

function segmentRegex(segment: string): RegExp {
  const re = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`);
}

const hasMagic = (s: string) => /[*?]/.test(s);

function walk(dir: string, segments: string[], out: Set<string>): void {
  if (segments.length === 0) {
    out.add(dir);
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  if (head === '**') {
    walk(dir, rest, out);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries)
      if (e.isDirectory()) walk(path.join(dir, e.name), segments, out);
    return;
  }
  if (!hasMagic(head)) {
    const next = path.join(dir, head);
    if (rest.length === 0) {
      if (fs.existsSync(next)) out.add(next);
    } else walk(next, rest, out);
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const re = segmentRegex(head);
  for (const e of entries) {
    if (!re.test(e.name)) continue;
    const next = path.join(dir, e.name);
    if (rest.length === 0) {
      if (e.isFile() || e.isSymbolicLink()) out.add(next);
    } else walk(next, rest, out);
  }
}

/** Regular files matching any of the patterns (absolute or relative to cwd), sorted. */
export function expandGlobs(patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of patterns) {
    const abs = path.resolve(p);
    const root = path.parse(abs).root;
    walk(root, abs.slice(root.length).split(path.sep).filter(Boolean), out);
  }
  return [...out]
    .filter((f) => {
      try {
        return fs.statSync(f).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}
