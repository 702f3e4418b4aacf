import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ExpositionError,
  formatOfContentType,
  parseExposition,
  parseFloatStrict,
} from './exposition';

const fixture = (name: string) =>
  fs.readFileSync(
    path.resolve(import.meta.dirname, '../../../test/fixtures/metrics', name),
    'utf8',
  );

describe('text exposition 0.0.4', () => {
  it("reads Envoy's histogram output: integer le bounds, long float sums, gauges", () => {
    const samples = parseExposition(
      fixture('envoy-prometheus-histogram-fragment.prom'),
      'text',
    );
    expect(samples).toHaveLength(23);
    const gauge = samples[0]!;
    expect(gauge).toMatchObject({
      name: 'envoy_cluster_upstream_cx_active',
      value: 24,
      type: 'gauge',
      cumulative: false,
    });
    const buckets = samples.filter(
      (s) => s.name === 'envoy_cluster_upstream_rq_time_bucket',
    );
    expect(buckets.map((b) => b.labels.le)).toEqual([
      '0.5',
      '1',
      '5',
      '10',
      '25',
      '50',
      '100',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
      '10000',
      '30000',
      '60000',
      '300000',
      '600000',
      '1800000',
      '3600000',
      '+Inf',
    ]);
    expect(buckets.every((b) => b.type === 'histogram' && b.cumulative)).toBe(
      true,
    );
    const sum = samples.find(
      (s) => s.name === 'envoy_cluster_upstream_rq_time_sum',
    )!;
    expect(sum.value).toBeCloseTo(1000.85, 10);
    expect(sum.type).toBe('histogram');
    expect(
      samples.find((s) => s.name === 'envoy_cluster_upstream_rq_time_count')
        ?.value,
    ).toBe(916);
  });

  it('unescapes label values, keeps | and ; and reads ms timestamps', () => {
    const text = [
      '# HELP x_total a counter with a \\n in help',
      '# TYPE x_total counter',
      'x_total{a="q\\"uote",b="back\\\\slash",c="new\\nline",d="outbound|9080||reviews;",} 3 1700000000123',
      'untyped_thing 1.5e3',
      '',
    ].join('\n');
    const [x, u] = parseExposition(text, 'text');
    expect(x!.labels).toEqual({
      a: 'q"uote',
      b: 'back\\slash',
      c: 'new\nline',
      d: 'outbound|9080||reviews;',
    });
    expect(x!.timestampMs).toBe(1700000000123);
    expect(x!.type).toBe('counter');
    expect(u).toMatchObject({
      name: 'untyped_thing',
      value: 1500,
      type: 'untyped',
      cumulative: false,
      timestampMs: undefined,
    });
  });

  it('reads quoted UTF-8 metric names and label names', () => {
    const [s] = parseExposition(
      '{"my.dotted.metric", "error.message"="Not Found"} 2\n',
      'text',
    );
    expect(s).toMatchObject({
      name: 'my.dotted.metric',
      labels: { 'error.message': 'Not Found' },
      value: 2,
    });
  });

  it('reads NaN and infinities as values', () => {
    const s = parseExposition('a NaN\nb +Inf\nc -Inf\n', 'text');
    expect(Number.isNaN(s[0]!.value)).toBe(true);
    expect(s[1]!.value).toBe(Infinity);
    expect(s[2]!.value).toBe(-Infinity);
  });

  it('fails the whole exposition on a malformed line, naming the line', () => {
    expect(() => parseExposition('ok 1\nbroken{a="b" 2\n', 'text')).toThrow(
      /line 2: malformed labels/,
    );
    expect(() => parseExposition('a 1\n<html>oops</html>\n', 'text')).toThrow(
      ExpositionError,
    );
    expect(() => parseExposition('a one\n', 'text')).toThrow(
      /invalid sample value/,
    );
    expect(() => parseExposition('a 1 12.5\n', 'text')).toThrow(
      /invalid timestamp/,
    );
    expect(() =>
      parseExposition('# TYPE a counter\n# TYPE a gauge\n', 'text'),
    ).toThrow(/second # TYPE/);
    expect(() =>
      parseExposition('# TYPE h histogram\nh_bucket 1\n', 'text'),
    ).toThrow(/without an le/);
  });
});

describe('OpenMetrics 1.0', () => {
  const samples = parseExposition(
    fixture('openmetrics-sample.txt'),
    'openmetrics',
  );
  const byName = (n: string) => samples.filter((s) => s.name === n);

  it('maps counter families TYPEd without _total, and treats _created as a gauge', () => {
    const [total] = byName('foo_total');
    expect(total).toMatchObject({
      type: 'counter',
      cumulative: true,
      value: 17,
      labels: { a: 'x"y\\z\nw' },
    });
    expect(byName('foo_created')[0]).toMatchObject({
      type: 'gauge',
      cumulative: false,
    });
  });

  it('reads timestamps in seconds and skips exemplars', () => {
    expect(byName('foo_total')[0]!.timestampMs).toBe(1520879607789);
    expect(byName('hist_bucket').map((s) => s.value)).toEqual([1, 3, 4, 4]);
  });

  it('marks summary _sum/_count cumulative, and stateset as a gauge', () => {
    expect(byName('acme_http_router_request_seconds_count')[0]).toMatchObject({
      type: 'summary',
      cumulative: true,
    });
    expect(byName('state')[0]).toMatchObject({
      type: 'gauge',
      cumulative: false,
    });
    expect(Number.isNaN(byName('cv')[0]!.value)).toBe(true);
  });

  it('requires # EOF and nothing after it', () => {
    expect(() => parseExposition('a 1\n', 'openmetrics')).toThrow(/# EOF/);
    expect(() => parseExposition('a 1\n# EOF\nb 2\n', 'openmetrics')).toThrow(
      /after # EOF/,
    );
  });

  it('picks the format from the Content-Type', () => {
    expect(
      formatOfContentType(
        'application/openmetrics-text; version=1.0.0; charset=utf-8',
      ),
    ).toBe('openmetrics');
    expect(formatOfContentType('text/plain; version=0.0.4')).toBe('text');
    expect(formatOfContentType(undefined)).toBe('text');
  });
});

describe('parseFloatStrict', () => {
  it('accepts Go float syntax and refuses the rest', () => {
    expect(parseFloatStrict('1.458e9')).toBe(1.458e9);
    expect(parseFloatStrict('-0.5')).toBe(-0.5);
    expect(parseFloatStrict('.5')).toBe(0.5);
    expect(parseFloatStrict('')).toBeUndefined();
    expect(parseFloatStrict('1,5')).toBeUndefined();
    expect(parseFloatStrict('abc')).toBeUndefined();
  });
});
