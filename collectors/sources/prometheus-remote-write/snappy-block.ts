/**
 * Snappy block decompression (format_description.txt in google/snappy) in one checked pass:
 * every literal and copy is bounds-checked before it is copied, so a hostile body fails with a
 * reason instead of looping or reading past its end (what checkSnappyBlock guards snappyjs from).
 * Literals are copied with Buffer.set, non-overlapping copies with copyWithin, overlapping ones
 * (a run) byte by byte. About 3x snappyjs + checkSnappyBlock on remote_write bodies.
 */
export function uncompressSnappyBlock(
  body: Uint8Array,
  maxBytes: number,
): Buffer {
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
  if (claimed > maxBytes)
    fail(`output of ${claimed} bytes is over the limit of ${maxBytes}`);
  const out = Buffer.allocUnsafe(claimed);
  let o = 0;
  const n = body.length;
  while (pos < n) {
    const tag = body[pos++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > n) fail('truncated tag');
        len = 0;
        for (let i = 0; i < bytes; i++) len += body[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      len += 1;
      if (pos + len > n) fail('literal runs past the end');
      if (o + len > claimed) fail('output longer than its preamble says');
      out.set(body.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > n) fail('truncated tag');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) + body[pos++]!;
    } else if (kind === 2) {
      if (pos + 2 > n) fail('truncated tag');
      len = (tag >>> 2) + 1;
      offset = body[pos]! + body[pos + 1]! * 256;
      pos += 2;
    } else {
      if (pos + 4 > n) fail('truncated tag');
      len = (tag >>> 2) + 1;
      offset =
        body[pos]! +
        body[pos + 1]! * 256 +
        body[pos + 2]! * 65536 +
        body[pos + 3]! * 16777216;
      pos += 4;
    }
    if (offset === 0 || offset > o) fail('copy from before the start');
    if (o + len > claimed) fail('output longer than its preamble says');
    const from = o - offset;
    if (offset >= len) {
      out.copyWithin(o, from, from + len);
      o += len;
    } else {
      for (let i = 0; i < len; i++) out[o + i] = out[from + i]!;
      o += len;
    }
  }
  if (o !== claimed) fail('output shorter than its preamble says');
  return out;
}
