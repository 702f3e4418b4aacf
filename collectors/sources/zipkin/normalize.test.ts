import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeZipkinJson } from './decode';
import { normalizeZipkinSpans, zipkinId, zipkinSpanToRow } from './normalize';

describe('normalizeZipkinSpans', () => {
  it('maps the shared-span fixture: padded trace id, kinds, microseconds to ns', () => {
    const { rows, rejected } = normalizeZipkinSpans(
      decodeZipkinJson(
        fs.readFileSync(
          'test/fixtures/traces/zipkin-v2-shared-span-example.json',
        ),
      ),
    );
    expect(rejected).toEqual([]);
    expect(
      rows.map((r) => [
        r.SpanKind,
        r.ServiceName,
        r.SpanAttributes['zipkin.shared'] ?? '',
      ]),
    ).toEqual([
      ['Internal', 'serviceb', ''],
      ['Server', 'serviceb', 'true'],
      ['Server', 'servicea', ''],
      ['Client', 'servicea', ''],
    ]);
    expect(rows[0]).toMatchObject({
      TraceId: '00000000000000001e223ff1f80f1c69',
      Timestamp: '2016-08-02 15:00:04.008762000',
      Duration: 65000000,
    });
  });

  it('turns the error tag into status Error, annotations into events', () => {
    const row = zipkinSpanToRow({
      traceId: 'a'.repeat(32),
      id: 'b'.repeat(16),
      timestamp: 1,
      tags: { error: 'connection reset' },
      annotations: [{ timestamp: 2, value: 'cs' }],
    });
    expect(row).toMatchObject({
      StatusCode: 'Error',
      StatusMessage: 'connection reset',
      'Events.Name': ['cs'],
      'Events.Timestamp': ['1970-01-01 00:00:00.000002000'],
    });
  });

  it('rejects spans without ids or timestamp', () => {
    const { rejected } = normalizeZipkinSpans([
      { id: 'b'.repeat(16), timestamp: 1 },
      { traceId: 'a'.repeat(16), id: 'b'.repeat(16) },
      7 as never,
    ]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'traceId is not 1-32 hex digits (16 or 32 expected), or is zero',
      'missing or invalid timestamp (epoch microseconds)',
      'span is not an object',
    ]);
  });

  it('pads short hex ids and refuses zero or non-hex ones', () => {
    expect(zipkinId('ABC', 16)).toBe('0000000000000abc');
    expect(zipkinId('0000', 16)).toBeUndefined();
    expect(zipkinId('xyz', 16)).toBeUndefined();
  });
});
