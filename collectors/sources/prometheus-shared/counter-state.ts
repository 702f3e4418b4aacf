/**
 * The previous value of every cumulative series, to turn counters into per-interval increases as
 * samples arrive (reset-aware, as Prometheus's increase()).
 *
 * Bounded: an LRU of at most `maxSeries` entries per process. After a cold start (or an eviction)
 * the first sample of a series has no increase, exactly as rate() needs two samples; the scraper
 * may say a series is new on a target it already knew (then it started at 0, and its first value
 * is its increase).
 *
 * Two-phase: plan() computes increases without changing the state; the caller commits only once
 * the rows are durable. A refused batch (queue full) is then retried or followed by the next
 * scrape, whose increase covers the whole gap: no count is lost or counted twice.
 */

export interface LastSample {
  value: number;
  tsMs: number;
}

export interface CounterInput {
  id: string;
  value: number;
  tsMs: number;
  stale: boolean;
  /** True when the series is known to have started at 0 since the previous observation. */
  startsAtZero: boolean;
}

export interface IncreasePlan {
  /** Increase per input (same order), null when there is none (first sample, stale, NaN, replay). */
  increases: (number | null)[];
  /** Applies the new last values. Call only after the rows that carry the increases are durable. */
  commit(): void;
}

/**
 * Increase of one counter sample against the previous one.
 * - no previous: `value` when the series started at 0 in between, else null;
 * - timestamp not after the previous: null (a replayed or out-of-order sample; never double count);
 * - value below the previous: a reset, the increase is the new value;
 * - NaN / stale: null.
 */
export function increaseOf(
  prev: LastSample | undefined,
  value: number,
  tsMs: number,
  startsAtZero: boolean,
): number | null {
  if (Number.isNaN(value)) return null;
  if (!prev) return startsAtZero && Number.isFinite(value) ? value : null;
  if (tsMs <= prev.tsMs) return null;
  if (!Number.isFinite(value) || !Number.isFinite(prev.value)) return null;
  return value < prev.value ? value : value - prev.value;
}

export class CounterState {
  private readonly last = new Map<string, LastSample>();

  constructor(private readonly maxSeries: number) {}

  get size(): number {
    return this.last.size;
  }

  get(id: string): LastSample | undefined {
    return this.last.get(id);
  }

  private set(id: string, sample: LastSample): void {
    // Map keeps insertion order: delete + set moves the entry to the young end.
    this.last.delete(id);
    this.last.set(id, sample);
    if (this.last.size > this.maxSeries) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
  }

  /** Computes increases for inputs in order (several samples of one series chain correctly). */
  plan(inputs: CounterInput[]): IncreasePlan {
    const overlay = new Map<string, LastSample>();
    const increases: (number | null)[] = new Array<number | null>(
      inputs.length,
    );
    for (let i = 0; i < inputs.length; i++) {
      const s = inputs[i]!;
      const prev = overlay.get(s.id) ?? this.last.get(s.id);
      if (s.stale || Number.isNaN(s.value)) {
        increases[i] = null;
        continue;
      }
      increases[i] = increaseOf(prev, s.value, s.tsMs, s.startsAtZero);
      if (!prev || s.tsMs > prev.tsMs)
        overlay.set(s.id, { value: s.value, tsMs: s.tsMs });
    }
    return {
      increases,
      commit: () => {
        for (const [id, sample] of overlay) {
          const current = this.last.get(id);
          if (!current || sample.tsMs > current.tsMs) this.set(id, sample);
        }
      },
    };
  }

  /** Forgets a series (tests, and targets that went away for good). */
  delete(id: string): void {
    this.last.delete(id);
  }
}
