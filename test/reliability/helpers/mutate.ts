/**
 * Fuzz inputs: random bytes/text and mutations of valid seeds (bit flips, interesting bytes,
 * insertions, deletions, truncation, duplicated chunks, splices of two seeds). Seeded, so a
 * failing input can be regenerated from the seed printed with the figures.
 */

/** mulberry32: small, fast, good enough to pick mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d,
];
const TOKENS = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\',
  '\n',
  '\u0000',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '18446744073709551616',
  '"\\ud800"',
  '\u{1F600}',
  '%',
  '|',
  ' ',
  '"-"',
  'ffffffffffffffff',
];

export type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** Random bytes of random length (0..max). */
export function randomBytes(r: Rand, max = 2048): Buffer {
  const b = Buffer.alloc(int(r, max + 1));
  for (let i = 0; i < b.length; i++) b[i] = int(r, 256);
  return b;
}

/** One to eight byte-level mutations of `seed` (optionally splicing in `other`). */
export function mutateBytes(
  r: Rand,
  seed: Uint8Array,
  other?: Uint8Array,
): Buffer {
  let b = Buffer.from(seed);
  const rounds = 1 + int(r, 8);
  for (let k = 0; k < rounds; k++) {
    const at = b.length === 0 ? 0 : int(r, b.length);
    switch (int(r, 8)) {
      case 0: // flip a bit
        if (b.length) b[at] = b[at]! ^ (1 << int(r, 8));
        break;
      case 1: // interesting byte
        if (b.length) b[at] = INTERESTING[int(r, INTERESTING.length)]!;
        break;
      case 2: // insert random bytes
        b = Buffer.concat([
          b.subarray(0, at),
          randomBytes(r, 16),
          b.subarray(at),
        ]);
        break;
      case 3: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(r, 16))]);
        break;
      case 4: // truncate
        b = b.subarray(0, at);
        break;
      case 5: // duplicate a chunk
        b = Buffer.concat([
          b.subarray(0, at),
          b.subarray(at, at + 1 + int(r, 64)),
          b.subarray(at),
        ]);
        break;
      case 6: // splice with another seed
        if (other?.length)
          b = Buffer.concat([
            b.subarray(0, at),
            Buffer.from(other).subarray(int(r, other.length)),
          ]);
        break;
      default: // a large varint-looking run
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.alloc(1 + int(r, 12), 0xff),
          b.subarray(at),
        ]);
    }
  }
  return b;
}

/** One to eight text-level mutations (tokens that break or stretch JSON and log formats). */
export function mutateText(r: Rand, seed: string): string {
  let s = seed;
  const rounds = 1 + int(r, 8);
  for (let k = 0; k < rounds; k++) {
    const at = int(r, s.length + 1);
    switch (int(r, 6)) {
      case 0:
        s = s.slice(0, at) + TOKENS[int(r, TOKENS.length)]! + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + int(r, 20));
        break;
      case 2:
        s = s.slice(0, at) + 'x'.repeat(int(r, 5000)) + s.slice(at);
        break;
      case 3: {
        // replace one of the numbers with an extreme one
        const runs = [...s.matchAll(/\d+/g)];
        const run = runs[int(r, runs.length)];
        if (run?.index !== undefined) {
          const extreme = [
            '0',
            '-1',
            '99999999999999999999',
            '1.5',
            'NaN',
            '1e400',
          ][int(r, 6)]!;
          s =
            s.slice(0, run.index) +
            extreme +
            s.slice(run.index + run[0].length);
        }
        break;
      }
      case 4:
        s = s.slice(0, at);
        break;
      default:
        s = s.slice(0, at) + s.slice(at, at + int(r, 200)) + s.slice(at);
    }
  }
  return s;
}

/** A random JSON value a few levels deep. */
export function randomJson(r: Rand, depth = 0): unknown {
  const pick = int(r, depth > 3 ? 5 : 7);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [0, -1, 1e308, 2 ** 64, 0.5, -0][int(r, 6)];
    case 3:
      return TOKENS[int(r, TOKENS.length)]! + 'x'.repeat(int(r, 40));
    case 4:
      return 'abcdef0123456789'.repeat(int(r, 4));
    case 5:
      return Array.from({ length: int(r, 4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(r, 5) }, () => [
          [
            'traceId',
            'spanId',
            'id',
            'name',
            'resourceSpans',
            'scopeSpans',
            'spans',
            'attributes',
            'timestamp',
            'duration',
            'tags',
            'start_time',
            'response_code',
            'upstream_cluster',
            'kind',
            'value',
            'key',
            'localEndpoint',
          ][int(r, 18)]!,
          randomJson(r, depth + 1),
        ]),
      );
  }
}
