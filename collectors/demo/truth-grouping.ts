/** Grouping of ledger hops by a structured key (edges, services, namespaces) for truth(). */
import { GroupAccumulator } from './truth-aggregate';

/** Accumulators by a structured key, remembering the key and the actual sources seen. */
export class Grouping<T> {
  private readonly groups = new Map<
    string,
    { key: object; acc: GroupAccumulator; actual: Set<string> }
  >();

  get(key: object, actualSource?: string): GroupAccumulator {
    const ks = JSON.stringify(key);
    let g = this.groups.get(ks);
    if (!g)
      this.groups.set(
        ks,
        (g = { key, acc: new GroupAccumulator(), actual: new Set() }),
      );
    if (actualSource !== undefined) g.actual.add(actualSource);
    return g.acc;
  }

  finish(windowSeconds: number): T[] {
    const out: { sort: string; value: T }[] = [];
    for (const [ks, g] of this.groups) {
      const stats = g.acc.finish(windowSeconds);
      if (stats.requests === 0 && stats.tcp.connections === 0) continue;
      const actual = g.actual.size
        ? { actualSources: [...g.actual].sort() }
        : {};
      out.push({ sort: ks, value: { ...g.key, ...actual, ...stats } as T });
    }
    return out.sort((a, b) => a.sort.localeCompare(b.sort)).map((x) => x.value);
  }
}
