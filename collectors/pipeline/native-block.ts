/**
 * Rows -> one block of ClickHouse's Native format (columnar binary), the cheapest input for the
 * engine to read: no text parsing, just column buffers. Each column gets an encoder compiled once
 * from its type (String, integers, floats, Bool, Date, DateTime, DateTime64, Nullable, Array, Map,
 * LowCardinality and SimpleAggregateFunction of those); other types have no encoder and the
 * caller inserts those rows another way.
 *
 * Values are read as a JSONEachRow insert would take them: numbers or numeric strings for
 * integers (64-bit ones as strings), ISO-8601 or 'YYYY-MM-DD HH:MM:SS[.fraction]' timestamps
 * (UTC unless an offset is given), null or a missing field as the type's default. A value that
 * cannot be read throws RowValueError, a permanent insert error (the writer isolates that row).
 */
import { RowValueError } from './errors';

/** A growing byte buffer with the Native format's primitive writers. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  /**
   * Length-prefixed UTF-8. A string of under 128 UTF-16 units is written first and its length
   * put in front after (one native call); the length takes a second byte only past 127 bytes.
   */
  string(s: string): void {
    const len = s.length;
    this.ensure(len * 3 + 10);
    const p = this.pos;
    if (len <= 8) {
      // short ASCII by hand: cheaper than a call into Buffer.write
      const buf = this.buf;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p + 1 + i] = c;
      }
      if (i === len) {
        buf[p] = len;
        this.pos = p + 1 + len;
        return;
      }
    }
    if (len < 0x80) {
      const n = this.buf.write(s, p + 1, 'utf8');
      if (n < 0x80) {
        this.buf[p] = n;
        this.pos = p + 1 + n;
        return;
      }
      this.buf.copyWithin(p + 2, p + 1, p + 1 + n);
      this.buf[p] = (n & 0x7f) | 0x80;
      this.buf[p + 1] = n >> 7;
      this.pos = p + 2 + n;
      return;
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.varint(bytes);
    this.pos += this.buf.write(s, this.pos, bytes, 'utf8');
  }

  /** An unsigned 64-bit value given as two 32-bit halves. */
  u64Parts(lo: number, hi: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(lo >>> 0, this.pos);
    this.buf.writeUInt32LE(hi >>> 0, this.pos + 4);
    this.pos += 8;
  }

  bigint64(v: bigint, signed: boolean): void {
    this.ensure(8);
    if (signed) this.buf.writeBigInt64LE(v, this.pos);
    else this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
  }

  /** A non-negative integer below 2^53 as UInt64. */
  u64(v: number): void {
    this.u64Parts(v % 0x100000000, Math.floor(v / 0x100000000));
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Writes one column of `count` values: a column's encoder. */
type ColumnEncoder = (w: ByteWriter, values: unknown[]) => void;

export interface ColumnCodec {
  /** The type written in the block (LowCardinality and SimpleAggregateFunction unwrapped). */
  wireType: string;
  encode: ColumnEncoder;
}

/** Splits `Map(K, V)`'s arguments at top-level commas. */
function typeArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "'" && inner[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(inner.slice(start).trim());
  return out;
}

function fail(value: unknown, type: string): never {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw new RowValueError(
    `cannot insert ${shown.slice(0, 200)} into a ${type} column`,
  );
}

/** A JSON-ish value as text, as JSONEachRow reads numbers, objects and arrays into String. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v);
  return JSON.stringify(v);
}

/** A finite number from a number, a numeric string or a boolean; null/undefined -> 0. */
function asNumber(v: unknown, type: string): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (!Number.isNaN(n)) return n;
    if (/^(-|\+)?(inf|infinity)$/i.test(v.trim()))
      return v.trim().startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(v.trim())) return NaN;
  }
  return fail(v, type);
}

const INT_RANGES: Record<string, [number, number, number]> = {
  // bytes, min, max
  UInt8: [1, 0, 0xff],
  UInt16: [2, 0, 0xffff],
  UInt32: [4, 0, 0xffffffff],
  Int8: [1, -0x80, 0x7f],
  Int16: [2, -0x8000, 0x7fff],
  Int32: [4, -0x80000000, 0x7fffffff],
};

function smallIntEncoder(type: string): ColumnEncoder {
  const [bytes, min, max] = INT_RANGES[type]!;
  const signed = min < 0;
  return (w, values) => {
    w.ensure(values.length * bytes);
    const buf = w.buf;
    for (const v of values) {
      const n = typeof v === 'number' ? v : asNumber(v, type);
      // as JSONEachRow: no fractions, nothing out of range (never a silent truncation)
      if (!Number.isInteger(n) || n < min || n > max) fail(v, type);
      if (bytes === 1) buf[w.pos] = n & 0xff;
      else if (bytes === 2) buf.writeUInt16LE(n & 0xffff, w.pos);
      else if (signed) buf.writeInt32LE(n, w.pos);
      else buf.writeUInt32LE(n, w.pos);
      w.pos += bytes;
    }
  };
}

const U64_MAX = 0xffffffffffffffffn;
const I64_MIN = -0x8000000000000000n;
const I64_MAX = 0x7fffffffffffffffn;

function int64Encoder(type: 'UInt64' | 'Int64'): ColumnEncoder {
  const signed = type === 'Int64';
  return (w, values) => {
    for (const v of values) {
      if (
        typeof v === 'number' &&
        Number.isSafeInteger(v) &&
        (v >= 0 || signed)
      ) {
        if (v >= 0) w.u64(v);
        else w.bigint64(BigInt(v), true);
        continue;
      }
      let b: bigint;
      if (typeof v === 'bigint') b = v;
      else if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v))
        b = BigInt(v.trim());
      else {
        const n = asNumber(v, type);
        if (!Number.isInteger(n)) fail(v, type);
        b = BigInt(n);
      }
      if (signed ? b < I64_MIN || b > I64_MAX : b < 0n || b > U64_MAX)
        fail(v, type);
      w.bigint64(b, signed);
    }
  };
}

function floatEncoder(type: 'Float32' | 'Float64'): ColumnEncoder {
  const bytes = type === 'Float32' ? 4 : 8;
  return (w, values) => {
    w.ensure(values.length * bytes);
    for (const v of values) {
      const n = typeof v === 'number' ? v : asNumber(v, type);
      if (bytes === 4) w.buf.writeFloatLE(n, w.pos);
      else w.buf.writeDoubleLE(n, w.pos);
      w.pos += bytes;
    }
  };
}

/**
 * A String column, value by value: short ASCII strings (most values: names, codes, ids) are copied
 * by hand, which is cheaper than any call into Buffer's native writers; longer ones or non-ASCII
 * go through ByteWriter.string.
 */
const stringEncoder: ColumnEncoder = (w, values) => {
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    const s = typeof v === 'string' ? v : asText(v);
    const len = s.length;
    if (len <= 64) {
      w.ensure(len + 1);
      const buf = w.buf;
      const p = w.pos;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p + 1 + i] = c;
      }
      if (i === len) {
        buf[p] = len;
        w.pos = p + 1 + len;
        continue;
      }
    }
    w.string(s);
  }
};

const boolEncoder: ColumnEncoder = (w, values) => {
  w.ensure(values.length);
  for (const v of values) {
    let b: boolean;
    if (typeof v === 'boolean') b = v;
    else if (v === null || v === undefined) b = false;
    else if (v === 'true' || v === 'false') b = v === 'true';
    else b = asNumber(v, 'Bool') !== 0;
    w.buf[w.pos++] = b ? 1 : 0;
  }
};

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Seconds since the epoch and the fraction's digits (up to 9, as an integer of `fracDigits`). */
interface Instant {
  seconds: number;
  frac: number;
  fracDigits: number;
}

const scratch: Instant = { seconds: 0, frac: 0, fracDigits: 0 };

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * 'YYYY-MM-DD[ T]HH:MM:SS[.f{1,}][Z|±HH:MM|±HHMM]' or 'YYYY-MM-DD'; UTC without an offset.
 * Returns false when the text has another shape.
 */
function parseTimestampText(s: string, out: Instant): boolean {
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45)
    return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let p = 10;
  out.frac = 0;
  out.fracDigits = 0;
  if (len > 10) {
    const sep = s.charCodeAt(10);
    if ((sep !== 32 && sep !== 84) || len < 19) return false;
    if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
    h = digits(s, 11, 2);
    mi = digits(s, 14, 2);
    sec = digits(s, 17, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
      return false;
    p = 19;
    if (p < len && s.charCodeAt(p) === 46) {
      p++;
      let frac = 0;
      let n = 0;
      for (; p < len; p++) {
        const c = s.charCodeAt(p) - 48;
        if (c < 0 || c > 9) break;
        if (n < 9) {
          frac = frac * 10 + c;
          n++;
        }
      }
      out.frac = frac;
      out.fracDigits = n;
    }
  }
  let offset = 0;
  if (p < len) {
    const c = s.charCodeAt(p);
    if (c === 90 && p + 1 === len) p++;
    else if (c === 43 || c === 45) {
      const oh = digits(s, p + 1, 2);
      const colon = s.charCodeAt(p + 3) === 58 ? 1 : 0;
      const om = p + 3 + colon < len ? digits(s, p + 3 + colon, 2) : 0;
      if (oh < 0 || om < 0 || p + 3 + colon + (om >= 0 ? 2 : 0) !== len)
        return false;
      offset = (c === 43 ? 1 : -1) * (oh * 3600 + om * 60);
      p = len;
    } else return false;
  }
  if (p !== len) return false;
  out.seconds =
    daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  return true;
}

/** Any accepted timestamp value -> out; numbers are seconds since the epoch. */
function readInstant(v: unknown, type: string, out: Instant): void {
  if (typeof v === 'string') {
    if (parseTimestampText(v, out)) return;
    const trimmed = v.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return readInstant(Number(v), type, out);
    const ms = Date.parse(trimmed);
    if (Number.isNaN(ms)) fail(v, type);
    out.seconds = Math.floor(ms / 1000);
    out.frac = ms - out.seconds * 1000;
    out.fracDigits = 3;
    return;
  }
  if (v === null || v === undefined) {
    out.seconds = 0;
    out.frac = 0;
    out.fracDigits = 0;
    return;
  }
  if (v instanceof Date) return readInstant(v.getTime() / 1000, type, out);
  const n = typeof v === 'number' ? v : asNumber(v, type);
  if (!Number.isFinite(n)) fail(v, type);
  out.seconds = Math.floor(n);
  // microseconds are what a double holds reliably for today's epoch seconds
  out.frac = Math.round((n - out.seconds) * 1e6);
  out.fracDigits = 6;
  if (out.frac >= 1e6) {
    out.seconds++;
    out.frac -= 1e6;
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

function dateTime64Encoder(type: string, precision: number): ColumnEncoder {
  const scale = POW10[precision]!;
  return (w, values) => {
    for (const v of values) {
      const t = scratch;
      readInstant(v, type, t);
      const frac =
        t.fracDigits <= precision
          ? t.frac * POW10[precision - t.fracDigits]!
          : Math.floor(t.frac / POW10[t.fracDigits - precision]!);
      const sec = t.seconds;
      if (sec >= 0 && sec < 0x100000000) {
        // sec * scale + frac, exact in two 32-bit halves (a double holds only 53 bits)
        const sh = Math.floor(sec / 65536);
        const a = (sec - sh * 65536) * scale + frac;
        const b = sh * scale;
        const bHigh = Math.floor(b / 65536);
        let lo = (b - bHigh * 65536) * 65536 + (a % 0x100000000);
        const carry = Math.floor(lo / 0x100000000);
        lo -= carry * 0x100000000;
        w.u64Parts(lo, bHigh + Math.floor(a / 0x100000000) + carry);
      } else {
        w.bigint64(BigInt(sec) * BigInt(scale) + BigInt(frac), true);
      }
    }
  };
}

const dateTimeEncoder: ColumnEncoder = (w, values) => {
  w.ensure(values.length * 4);
  for (const v of values) {
    readInstant(v, 'DateTime', scratch);
    const s = scratch.seconds;
    if (s < 0 || s > 0xffffffff) fail(v, 'DateTime');
    w.buf.writeUInt32LE(s, w.pos);
    w.pos += 4;
  }
};

const dateEncoder: ColumnEncoder = (w, values) => {
  w.ensure(values.length * 2);
  for (const v of values) {
    readInstant(v, 'Date', scratch);
    const days = Math.floor(scratch.seconds / 86400);
    if (days < 0 || days > 0xffff) fail(v, 'Date');
    w.buf.writeUInt16LE(days, w.pos);
    w.pos += 2;
  }
};

function nullableEncoder(inner: ColumnCodec): ColumnEncoder {
  return (w, values) => {
    w.ensure(values.length);
    for (const v of values)
      w.buf[w.pos++] = v === null || v === undefined ? 1 : 0;
    inner.encode(w, values);
  };
}

function arrayEncoder(inner: ColumnCodec, type: string): ColumnEncoder {
  return (w, values) => {
    const flat: unknown[] = [];
    for (const v of values) {
      if (v !== null && v !== undefined) {
        if (!Array.isArray(v)) fail(v, type);
        for (const item of v) flat.push(item);
      }
      w.u64(flat.length);
    }
    inner.encode(w, flat);
  };
}

function mapEncoder(
  key: ColumnCodec,
  value: ColumnCodec,
  type: string,
): ColumnEncoder {
  return (w, values) => {
    const keys: unknown[] = [];
    const vals: unknown[] = [];
    for (const v of values) {
      if (v !== null && v !== undefined) {
        if (typeof v !== 'object' || Array.isArray(v)) fail(v, type);
        const obj = v as Record<string, unknown>;
        // for-in over a plain record: its own fields (as Object.keys) from V8's enum cache,
        // without an array of names per row
        for (const k in obj) {
          keys.push(k);
          vals.push(obj[k]);
        }
      }
      w.u64(keys.length);
    }
    key.encode(w, keys);
    value.encode(w, vals);
  };
}

/** The codec of a column type, or undefined when this encoder does not handle it. */
export function codecOf(type: string): ColumnCodec | undefined {
  const t = type.trim();
  const open = t.indexOf('(');
  const name = open < 0 ? t : t.slice(0, open);
  const inner = open < 0 ? '' : t.slice(open + 1, t.lastIndexOf(')'));
  switch (name) {
    case 'String':
      return { wireType: 'String', encode: stringEncoder };
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
    case 'Int8':
    case 'Int16':
    case 'Int32':
      return { wireType: name, encode: smallIntEncoder(name) };
    case 'UInt64':
    case 'Int64':
      return { wireType: name, encode: int64Encoder(name) };
    case 'Float32':
    case 'Float64':
      return { wireType: name, encode: floatEncoder(name) };
    case 'Bool':
      return { wireType: 'Bool', encode: boolEncoder };
    case 'Date':
      return { wireType: 'Date', encode: dateEncoder };
    case 'DateTime':
      // a time zone argument changes only how the value is shown, not what is stored
      return { wireType: 'DateTime', encode: dateTimeEncoder };
    case 'DateTime64': {
      const precision = Number(typeArgs(inner)[0]);
      if (!Number.isInteger(precision) || precision < 0 || precision > 9)
        return undefined;
      return {
        wireType: `DateTime64(${precision})`,
        encode: dateTime64Encoder(t, precision),
      };
    }
    case 'LowCardinality':
      return codecOf(inner);
    case 'SimpleAggregateFunction': {
      const args = typeArgs(inner);
      return args.length === 2 ? codecOf(args[1]!) : undefined;
    }
    case 'Nullable': {
      const c = codecOf(inner);
      return (
        c && {
          wireType: `Nullable(${c.wireType})`,
          encode: nullableEncoder(c),
        }
      );
    }
    case 'Array': {
      const c = codecOf(inner);
      return (
        c && {
          wireType: `Array(${c.wireType})`,
          encode: arrayEncoder(c, t),
        }
      );
    }
    case 'Map': {
      const args = typeArgs(inner);
      if (args.length !== 2) return undefined;
      const k = codecOf(args[0]!);
      const v = codecOf(args[1]!);
      return (
        k &&
        v && {
          wireType: `Map(${k.wireType}, ${v.wireType})`,
          encode: mapEncoder(k, v, t),
        }
      );
    }
    default:
      return undefined;
  }
}

export interface NativeColumn {
  name: string;
  codec: ColumnCodec;
}

/** Copies the fields of rows[from..to) into one array per column (out[c][i - from]). */
type ColumnReader = (
  rows: readonly unknown[],
  from: number,
  to: number,
  out: unknown[][],
) => void;

const readers = new Map<string, ColumnReader>();

/**
 * A reader for these column names, compiled once per column list: reading `row[name]` with the
 * name in a variable is a generic keyed lookup for every field of every row (a fifth of the whole
 * encoding time for a table of 40 columns), while a property named in the code is one load.
 * The names come from system.columns and go in as JSON string literals.
 */
function columnReader(columns: readonly NativeColumn[]): ColumnReader {
  const key = columns.map((c) => c.name).join('\n');
  let reader = readers.get(key);
  if (!reader) {
    const body = [
      ...columns.map((_, c) => `const c${c} = out[${c}];`),
      'for (let i = from, j = 0; i < to; i++, j++) {',
      '  const r = rows[i];',
      ...columns.map(
        (col, c) => `  c${c}[j] = r[${JSON.stringify(col.name)}];`,
      ),
      '}',
    ].join('\n');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: names are JSON literals
    reader = new Function('rows', 'from', 'to', 'out', body) as ColumnReader;
    if (readers.size >= 256) readers.clear(); // column lists are few; never grow without bound
    readers.set(key, reader);
  }
  return reader;
}

/** One Native block of `rows` with the given columns, read from the rows' fields of those names. */
export function encodeNativeBlock(
  columns: readonly NativeColumn[],
  rows: readonly unknown[],
  writer = new ByteWriter(Math.max(1 << 16, rows.length * 256)),
): Buffer {
  encodeRange(columns, columnReader(columns), rows, 0, rows.length, writer);
  return writer.bytes();
}

function encodeRange(
  columns: readonly NativeColumn[],
  read: ColumnReader,
  rows: readonly unknown[],
  from: number,
  to: number,
  writer: ByteWriter,
): void {
  const n = to - from;
  const values = columns.map(() => new Array<unknown>(n));
  read(rows, from, to, values);
  writer.varint(columns.length);
  writer.varint(n);
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!;
    writer.string(col.name);
    writer.string(col.codec.wireType);
    col.codec.encode(writer, values[c]!);
  }
}

/**
 * Rows per block in encodeNativeBlocks. Encoding a column of a few hundred values stays in the
 * CPU caches and makes only young garbage; one block of a whole batch (tens of thousands of
 * rows) builds column arrays and joined strings that large cost about twice as much per row.
 * The engine squashes consecutive blocks into one part, so small blocks cost it nothing more.
 */
export const ROWS_PER_BLOCK = 512;

/**
 * `rows` as consecutive Native blocks of up to `rowsPerBlock` rows each, in one buffer: what a
 * Native file or INSERT ... FORMAT Native body of many blocks holds.
 */
export function encodeNativeBlocks(
  columns: readonly NativeColumn[],
  rows: readonly unknown[],
  writer = new ByteWriter(Math.max(1 << 16, rows.length * 256)),
  rowsPerBlock = ROWS_PER_BLOCK,
): Buffer {
  const read = columnReader(columns);
  for (let i = 0; i < rows.length; i += rowsPerBlock)
    encodeRange(
      columns,
      read,
      rows,
      i,
      Math.min(i + rowsPerBlock, rows.length),
      writer,
    );
  return writer.bytes();
}
