/**
 * Walks a snappy block (format_description.txt in google/snappy) without decompressing it and
 * throws unless it is well formed: every literal and copy inside the body, copy offsets inside
 * the output so far, and the output exactly the length the preamble claims. snappyjs trusts its
 * input: a 4-byte literal length with the top bit set turns negative and sends its decoder
 * round a loop about 2^31 times (a 14-byte body cost 9 s of CPU, found by the reliability fuzz).
 */
export function checkSnappyBlock(body: Uint8Array): void {
  const fail = (why: string): never => {
    throw new Error(`invalid snappy block: ${why}`);
  };
  let pos = 0;
  let claimed = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= body.length || shift > 28) fail('bad length preamble');
    const byte = body[pos++]!;
    claimed += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  /** Little-endian unsigned integer of `n` bytes at pos (no 32-bit sign surprises). */
  const readLE = (n: number): number => {
    if (pos + n > body.length) fail('truncated tag');
    let v = 0;
    for (let i = 0; i < n; i++) v += body[pos + i]! * 2 ** (8 * i);
    pos += n;
    return v;
  };
  let out = 0;
  while (pos < body.length) {
    const tag = body[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      const small = tag >>> 2;
      const len = (small < 60 ? small : readLE(small - 59)) + 1;
      if (pos + len > body.length) fail('literal runs past the end');
      pos += len;
      out += len;
    } else {
      let len: number;
      let offset: number;
      if (kind === 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) + readLE(1);
      } else {
        len = (tag >>> 2) + 1;
        offset = readLE(kind === 2 ? 2 : 4);
      }
      if (offset === 0 || offset > out) fail('copy from before the start');
      out += len;
    }
    if (out > claimed) fail('output longer than its preamble says');
  }
  if (out !== claimed) fail('output shorter than its preamble says');
}
