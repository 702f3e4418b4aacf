import { describe, expect, it } from 'vitest';
import type { Trace, TraceSpan } from '../queries/traces';
import { addNs, traceToOtlpJson } from './otlp-json';

const span = (spanId: string, resource: number, scope = ''): TraceSpan => ({
  spanId,
  parentSpanId: '',
  traceState: '',
  name: 'op',
  kind: 'Client',
  service: 's',
  resource,
  scope: { name: scope, version: '' },
  startNs: '1735725600123456789',
  startUs: 1735725600123456,
  durationUs: 1500.25,
  status: { code: 'Error', message: 'boom' },
  attributes: { k: 'v' },
  events: [],
  links: [],
});

describe('traceToOtlpJson', () => {
  it('groups spans by resource then scope, with integer enums and exact nanosecond ends', () => {
    const trace: Trace = {
      traceId: 'ab'.repeat(16),
      resources: [{ 'service.name': 'a' }, { 'service.name': 'b' }],
      spans: [
        span('1', 0, 'x'),
        span('2', 1),
        span('3', 0, 'x'),
        span('4', 0, 'y'),
      ],
      truncated: false,
    };
    const otlp = traceToOtlpJson(trace);
    expect(
      otlp.resourceSpans.map((r) =>
        r.scopeSpans.map((s) => s.spans.map((x) => x.spanId)),
      ),
    ).toEqual([[['1', '3'], ['4']], [['2']]]);
    const s = otlp.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(s).toMatchObject({
      traceId: 'ab'.repeat(16),
      kind: 3,
      status: { code: 2, message: 'boom' },
      endTimeUnixNano: '1735725600124957039',
    });
    expect(s.attributes).toEqual([{ key: 'k', value: { stringValue: 'v' } }]);
  });

  it('adds nanoseconds beyond 2^53 exactly', () => {
    expect(addNs('1735725600123456789', 1)).toBe('1735725600123456790');
  });
});
