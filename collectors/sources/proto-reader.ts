/**
 * The protobuf wire reader shared by the hand-written fast decoders (OTLP traces, remote_write).
 * It reads only what those paths need and throws `handOver` for anything else (a varint past
 * 53 bits, a truncated field, an unknown wire type), so the caller hands the request to its
 * general decoder, which accepts or refuses it with a proper reason.
 */

/** Thrown inside a fast path to hand the request to the general decoder. */
export const handOver = new Error('fast protobuf decode hands over');

/** Wire types of the protobuf encoding. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint of at most 8 bytes (56 bits) as a number: tags, lengths, enums, bools. */
  varint(): number {
    const { buf, end } = this;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= end) throw handOver;
      const b = buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw handOver; // longer than read here: the general decoder judges it
  }

  /** Skips a varint of any length (up to 10 bytes). */
  varintAny(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw handOver;
      if (this.buf[this.pos++]! < 0x80) return;
    }
    throw handOver;
  }

  /** The start of a length-delimited field; moves past it. */
  len(): number {
    const n = this.varint();
    const start = this.pos;
    if (start + n > this.end) throw handOver;
    this.pos = start + n;
    return start;
  }

  /** The end of a length-delimited field starting here; stays at its first byte. */
  lenEnd(): number {
    const n = this.varint();
    const e = this.pos + n;
    if (e > this.end) throw handOver;
    return e;
  }

  /** Moves past a field of this wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varintAny();
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case LEN:
        this.len();
        return;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        throw handOver;
    }
    if (this.pos > this.end) throw handOver;
  }
}
