/**
 * A tiny seeded PRNG (sfc32, seeded through an xmur3 string hash) and the few draws the
 * simulator needs. Every random choice in `collectors/demo` goes through an `Rng` built from
 * the run's seed plus a stable label (edge id, second, arrival index), so the same seed and
 * window always give the same traffic, whatever else was generated before.
 */

/** xmur3: a string hash that yields a stream of 32-bit seeds. */
function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

/** A 32-bit hash of `text` (stable across runs and platforms). */
export function hash32(text: string): number {
  return xmur3(text)();
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a label; equal labels give equal streams. */
  constructor(label: string) {
    const seed = xmur3(label);
    this.a = seed();
    this.b = seed();
    this.c = seed();
    this.d = seed();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** sfc32 step: a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `percent` / 100. */
  chance(percent: number): boolean {
    return this.next() * 100 < percent;
  }

  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Picks one item with probability proportional to `weight(item)` (weights > 0). */
  pickWeighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('pickWeighted: no items');
    return last;
  }

  /** `bytes` random bytes as lower-case hex; never all zeros (invalid as a trace/span id). */
  hex(bytes: number): string {
    let out = '';
    while (out.length < bytes * 2)
      out += this.nextUint32().toString(16).padStart(8, '0');
    out = out.slice(0, bytes * 2);
    return /^0+$/.test(out) ? out.slice(0, -1) + '1' : out;
  }

  /** A request id shaped like Envoy's x-request-id (8-4-4-4-12 hex). */
  uuid(): string {
    const h = this.hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/** An Rng for one labelled purpose within a run, e.g. `rngFor(seed, 'edge', id, secondMs)`. */
export function rngFor(seed: number, ...parts: (string | number)[]): Rng {
  return new Rng(`${seed}|${parts.join('|')}`);
}
