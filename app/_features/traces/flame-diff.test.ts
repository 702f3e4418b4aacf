import { describe, expect, it } from 'vitest';
import { flameLayout } from './flame-layout';
import { diffSummary, diffTraces, type DiffSpan } from './trace-diff';
import { buildTraceTree } from './trace-tree';

const span = (
  spanId: string,
  parentSpanId: string,
  startUs: number,
  durationUs: number,
  service: string,
  name = 'op',
  error = false,
): DiffSpan => ({
  spanId,
  parentSpanId,
  startUs,
  durationUs,
  service,
  name,
  status: { code: error ? 'Error' : 'Unset' },
});

/** root [0..100] -> b [10..40] -> d [15..30]; root -> c [35..90]; root -> tiny [95..95.05] -> t2 */
const trace = [
  span('root', '', 0, 100, 'gw'),
  span('b', 'root', 10, 30, 'pp'),
  span('d', 'b', 15, 15, 'rv'),
  span('c', 'root', 35, 55, 'pp'),
  span('tiny', 'root', 95, 0.05, 'db'),
  span('t2', 'tiny', 95.01, 0.01, 'db'),
];
const view = { traceStartUs: 0, traceEndUs: 100, viewStart: 0, viewEnd: 1 };
const times = (spans: DiffSpan[]) => ({
  start: spans.map((s) => s.startUs),
  dur: spans.map((s) => s.durationUs),
});

describe('flameLayout', () => {
  it('puts each span on the row of its depth at its place in time', () => {
    const tree = buildTraceTree(trace);
    const { start, dur } = times(trace);
    const out = flameLayout(tree, start, dur, view, { minWidth: 0 });
    const by = new Map(out.blocks.map((b) => [trace[b.span]!.spanId, b]));
    expect(out.rows).toBe(3);
    expect(by.get('root')).toMatchObject({ depth: 0, left: 0, width: 1 });
    expect(by.get('b')).toMatchObject({ depth: 1, left: 0.1 });
    expect(by.get('b')!.width).toBeCloseTo(0.3);
    expect(by.get('d')).toMatchObject({ depth: 2, left: 0.15 });
    expect(by.get('c')!.left).toBeCloseTo(0.35);
    expect(out.blocks).toHaveLength(6);
    expect(out.hidden).toBe(0);
  });

  it('drops blocks narrower than the minimum with their subtrees, and zooms', () => {
    const tree = buildTraceTree(trace);
    const { start, dur } = times(trace);
    const narrow = flameLayout(tree, start, dur, view, { minWidth: 0.001 });
    expect(narrow.blocks.map((b) => trace[b.span]!.spanId).sort()).toEqual([
      'b',
      'c',
      'd',
      'root',
    ]);
    expect(narrow.hidden).toBe(2);
    // Zoomed to [10 µs, 30 µs]: c lies outside, d is the last three quarters.
    const zoomed = flameLayout(
      tree,
      start,
      dur,
      { ...view, viewStart: 0.1, viewEnd: 0.3 },
      { minWidth: 0.001 },
    );
    const d = zoomed.blocks.find((b) => trace[b.span]!.spanId === 'd')!;
    expect(d.left).toBeCloseTo(0.25);
    expect(d.width).toBeCloseTo(0.75);
    expect(zoomed.blocks.some((b) => trace[b.span]!.spanId === 'c')).toBe(
      false,
    );
  });

  it('stops at the block cap on a 100,000-span trace and says so', () => {
    const n = 100_000;
    const big = Array.from({ length: n }, (_, i) =>
      span(`s${i}`, i === 0 ? '' : 's0', i === 0 ? 0 : i, i === 0 ? n : 1, 'x'),
    );
    const tree = buildTraceTree(big);
    const { start, dur } = times(big);
    const out = flameLayout(
      tree,
      start,
      dur,
      { traceStartUs: 0, traceEndUs: n, viewStart: 0, viewEnd: 1 },
      { minWidth: 0, maxBlocks: 5_000 },
    );
    expect(out.blocks).toHaveLength(5_000);
    expect(out.capped).toBe(true);
  });
});

describe('diffTraces', () => {
  it('counts spans per call path in both traces and labels the differences', () => {
    const a = [
      span('r', '', 0, 100, 'gw', 'GET /'),
      span('x', 'r', 1, 50, 'pp', 'reviews'),
      span('y', 'x', 2, 20, 'rv', 'ratings'),
      span('z', 'r', 60, 10, 'pp', 'details'),
    ];
    const b = [
      span('R', '', 0, 90, 'gw', 'GET /'),
      span('X1', 'R', 1, 40, 'pp', 'reviews'),
      span('X2', 'R', 45, 40, 'pp', 'reviews'),
      span('Y', 'X1', 2, 10, 'rv', 'ratings', true),
      span('W', 'R', 3, 5, 'pp', 'cache'),
    ];
    const rows = diffTraces(a, b);
    expect(
      rows.map((r) => [
        r.depth,
        r.service,
        r.name,
        r.a.count,
        r.b.count,
        r.status,
      ]),
    ).toEqual([
      [0, 'gw', 'GET /', 1, 1, 'same'],
      [1, 'pp', 'reviews', 1, 2, 'changed'],
      [2, 'rv', 'ratings', 1, 1, 'changed'],
      [1, 'pp', 'details', 1, 0, 'removed'],
      [1, 'pp', 'cache', 0, 1, 'added'],
    ]);
    expect(rows[1]!.b.totalUs).toBe(80);
    expect(rows[2]!.b.errors).toBe(1);
    expect(rows[0]!.descendants).toBe(4);
    expect(rows[1]!.descendants).toBe(1);
    expect(diffSummary(rows)).toEqual({
      same: 1,
      changed: 2,
      added: 1,
      removed: 1,
    });
  });

  it('compares a trace with itself as all the same, and a 100,000-deep chain without recursion', () => {
    const a = [span('r', '', 0, 10, 'gw'), span('c', 'r', 1, 5, 'pp')];
    expect(diffTraces(a, a).every((r) => r.status === 'same')).toBe(true);
    const chain = Array.from({ length: 100_000 }, (_, i) =>
      span(`s${i}`, i === 0 ? '' : `s${i - 1}`, i, 1, 'svc'),
    );
    const rows = diffTraces(chain, chain.slice(0, 99_999));
    expect(rows).toHaveLength(100_000);
    expect(rows[99_999]).toMatchObject({ depth: 99_999, status: 'removed' });
  });
});
