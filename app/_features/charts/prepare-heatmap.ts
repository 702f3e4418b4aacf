/**
 * Latency heatmap: time steps x Istio latency buckets, each cell the share of the step's
 * requests in that bucket (so a quiet minute is as readable as a busy one). Pure.
 */
import { formatMs } from './format';

export interface HeatmapInput {
  t: number;
  buckets: Readonly<Record<string, number>>;
}

export interface Heatmap {
  /** Bucket labels, fastest first ('≤ 25 ms', ..., '> 10 s'). */
  rows: string[];
  times: number[];
  /** cells[row][col]: share 0..1 of the step's requests, and the count. */
  cells: { share: number; count: number }[][];
}

const INF = 1.8e19;

/** Cells for the buckets any step used; empty rows when there are no requests. */
export function prepareHeatmap(steps: readonly HeatmapInput[]): Heatmap {
  const bounds = new Set<number>();
  for (const s of steps)
    for (const [k, v] of Object.entries(s.buckets))
      if (v > 0) bounds.add(Number(k) >= INF ? Infinity : Number(k));
  const sorted = [...bounds]
    .filter((b) => !Number.isNaN(b))
    .sort((a, b) => a - b);
  let prev = 0;
  const rows = sorted.map((us) => {
    const label =
      us === Infinity
        ? `> ${formatMs(prev / 1000)}`
        : `≤ ${formatMs(us / 1000)}`;
    if (us !== Infinity) prev = us;
    return label;
  });
  const keyOf = (us: number, buckets: Readonly<Record<string, number>>) =>
    us === Infinity
      ? Object.keys(buckets).find((k) => Number(k) >= INF)
      : String(us);
  const cells = sorted.map((us) =>
    steps.map((s) => {
      const total = Object.values(s.buckets).reduce(
        (a, b) => a + Math.max(0, b),
        0,
      );
      const key = keyOf(us, s.buckets);
      const count = key === undefined ? 0 : Math.max(0, s.buckets[key] ?? 0);
      return { count, share: total > 0 ? count / total : 0 };
    }),
  );
  return { rows, times: steps.map((s) => s.t), cells };
}
