/**
 * Every decoder as a fuzz target, in two shapes:
 *  - in process: decode (may throw, must throw an Error with a message) then normalize (must not
 *    throw: bad items are counted and skipped, the rest of the request goes on);
 *  - over the wire: one request to the running collector, whose answer must be one its protocol
 *    defines for bad input or load (never a 5xx other than 503, never a hang or a reset).
 */
import { LineDecoder } from '~/collectors/sources/envoy-access-log/decode';
import { normalizeRecord } from '~/collectors/sources/envoy-access-log/normalize';
import {
  StreamAccessLogsMessage,
  toObjectOptions,
} from '~/collectors/sources/envoy-als/proto';
import { rowsFromAlsMessage } from '~/collectors/sources/envoy-als/service';
import { decodeOtlp } from '~/collectors/sources/otlp/decode';
import { normalizeOtlpTraces } from '~/collectors/sources/otlp/normalize';
import {
  decodeSnappy,
  decodeWriteRequestV1,
} from '~/collectors/sources/prometheus-remote-write/decode';
import {
  FamilyTypes,
  normalizeWrite,
} from '~/collectors/sources/prometheus-remote-write/normalize';
import { decodeZipkinJson } from '~/collectors/sources/zipkin/decode';
import { normalizeZipkinSpans } from '~/collectors/sources/zipkin/normalize';
import snappy from 'snappyjs';
import {
  accessLogJsonSeed,
  accessLogTextSeeds,
  alsSeed,
  otlpJsonSeed,
  otlpProtobufSeed,
  remoteWriteSeed,
  zipkinSeed,
} from './fuzz-seeds';
import {
  mutateBytes,
  mutateText,
  randomBytes,
  randomJson,
  type Rand,
} from './mutate';

export interface FuzzTarget {
  name: string;
  /** Inputs that once broke a decoder: tried first, every run. */
  known?: Buffer[];
  /** A new input: random, or a mutation of a seed. */
  input(r: Rand): Buffer;
  decode(input: Buffer): unknown;
  normalize(decoded: unknown): void;
}

const text = (s: string) => Buffer.from(s, 'utf8');

/** Half random, half mutated seeds; JSON targets also get random JSON documents. */
function inputs(seeds: Buffer[], kind: 'bytes' | 'text' | 'json') {
  return (r: Rand): Buffer => {
    const roll = r();
    const seed = seeds[Math.floor(r() * seeds.length)]!;
    if (roll < 0.15) return randomBytes(r);
    if (kind === 'json' && roll < 0.35)
      return text(JSON.stringify(randomJson(r)));
    if (kind === 'bytes' || roll < 0.5)
      return mutateBytes(r, seed, seeds[Math.floor(r() * seeds.length)]);
    return text(mutateText(r, seed.toString('utf8')));
  };
}

const lineDecoder = new LineDecoder();
const rw = remoteWriteSeed();

export const fuzzTargets: FuzzTarget[] = [
  {
    name: 'otlp-protobuf',
    input: inputs([Buffer.from(otlpProtobufSeed())], 'bytes'),
    decode: (b) => decodeOtlp(b, 'protobuf'),
    normalize: (d) =>
      void normalizeOtlpTraces(d as Parameters<typeof normalizeOtlpTraces>[0]),
  },
  {
    name: 'otlp-json',
    input: inputs([text(otlpJsonSeed())], 'json'),
    decode: (b) => decodeOtlp(b, 'json'),
    normalize: (d) =>
      void normalizeOtlpTraces(d as Parameters<typeof normalizeOtlpTraces>[0]),
  },
  {
    name: 'zipkin-json',
    // A timestamp past what a Date holds answered 500 (RangeError) instead of rejecting the span.
    known: [
      text(
        zipkinSeed().replace(
          /"timestamp":\d+/,
          '"timestamp":99999999999999999999',
        ),
      ),
      text(
        zipkinSeed().replace(
          /"timestamp":(\d+),"value"/,
          '"timestamp":1e300,"value"',
        ),
      ),
    ],
    input: inputs([text(zipkinSeed())], 'json'),
    decode: (b) => decodeZipkinJson(b),
    normalize: (d) =>
      void normalizeZipkinSpans(
        d as Parameters<typeof normalizeZipkinSpans>[0],
      ),
  },
  {
    name: 'remote-write',
    // A literal length with the top bit set sent snappyjs round ~2^31 times (9 s for 14 bytes).
    known: [Buffer.from('8ACDeXOP5Pwn1bGjXQE=', 'base64')],
    // Mutate the protobuf and compress it (reaches the protobuf decoder), or mutate the snappy body.
    input: (r) =>
      r() < 0.6
        ? Buffer.from(snappy.compress(mutateBytes(r, rw.proto)))
        : mutateBytes(r, rw.body),
    decode: (b) => decodeWriteRequestV1(decodeSnappy(b, 16 * 1024 * 1024)),
    normalize: (d) =>
      void normalizeWrite(
        (d as ReturnType<typeof decodeWriteRequestV1>).series,
        new FamilyTypes(),
      ),
  },
  {
    name: 'access-log-text',
    input: inputs(accessLogTextSeeds().map(text), 'text'),
    decode: (b) => lineDecoder.decode(b.toString('utf8')),
    normalize: (rec) => {
      if (rec)
        normalizeRecord(
          rec as Parameters<typeof normalizeRecord>[0],
          'http_push',
        );
    },
  },
  {
    name: 'access-log-json',
    // A numeric start_time past what a Date holds answered 500 (RangeError).
    known: [
      text(
        accessLogJsonSeed().replace(
          /"start_time":"[^"]*"/,
          '"start_time":18446744073709552000',
        ),
      ),
    ],
    input: inputs([text(accessLogJsonSeed())], 'json'),
    decode: (b) => lineDecoder.decode(b.toString('utf8')),
    normalize: (rec) => {
      if (rec)
        normalizeRecord(
          rec as Parameters<typeof normalizeRecord>[0],
          'http_push',
        );
    },
  },
  {
    name: 'envoy-als',
    input: inputs([Buffer.from(alsSeed())], 'bytes'),
    decode: (b) =>
      StreamAccessLogsMessage.toObject(
        StreamAccessLogsMessage.decode(b),
        toObjectOptions,
      ),
    normalize: (msg) =>
      void rowsFromAlsMessage(
        msg as Parameters<typeof rowsFromAlsMessage>[0],
        undefined,
      ),
  },
];
