import { describe, expect, it } from 'vitest';
import { adjustClockSkew } from './clock-skew';
import { criticalPath } from './critical-path';
import { collapseFromDepth, generateRowStates, revealSpan } from './row-states';
import { buildTraceTree } from './trace-tree';
import { selfTimes, traceStatistics } from './trace-stats';

interface S {
  spanId: string;
  parentSpanId: string;
  startUs: number;
  durationUs: number;
  service: string;
}
const span = (
  spanId: string,
  parentSpanId: string,
  startUs: number,
  durationUs: number,
  service = 'a',
): S => ({
  spanId,
  parentSpanId,
  startUs,
  durationUs,
  service,
});

/**
 *  root  [0 ............................ 100]
 *    b     [10 ....... 40]
 *      d      [15 .. 30]
 *    c                 [35 ........ 90]
 */
const sample = [
  span('c', 'root', 35, 55),
  span('root', '', 0, 100),
  span('d', 'b', 15, 15),
  span('b', 'root', 10, 30),
];
const idx = (id: string) => sample.findIndex((s) => s.spanId === id);

describe('buildTraceTree', () => {
  it('orders spans depth first with children by start time, and sizes subtrees', () => {
    const tree = buildTraceTree(sample);
    expect([...tree.order].map((i) => sample[i]!.spanId)).toEqual([
      'root',
      'b',
      'd',
      'c',
    ]);
    expect(tree.depth[idx('d')]).toBe(2);
    expect(tree.subtreeSize[idx('root')]).toBe(4);
    expect(tree.subtreeSize[idx('b')]).toBe(2);
    expect(tree.roots).toEqual([idx('root')]);
  });

  it('makes a span whose parent is missing a flagged root, and breaks parent cycles', () => {
    const tree = buildTraceTree([
      span('x', 'gone', 5, 1),
      span('p', 'q', 0, 1),
      span('q', 'p', 0, 1),
    ]);
    expect(tree.missingParent[0]).toBe(1);
    expect(tree.roots).toHaveLength(2);
    expect(tree.order).toHaveLength(3);
  });
});

describe('generateRowStates', () => {
  it('hides the descendants of collapsed spans only', () => {
    const tree = buildTraceTree(sample);
    const ids = (set: Set<number>) =>
      generateRowStates(tree, set).map((r) => sample[r.span]!.spanId);
    expect(ids(new Set())).toEqual(['root', 'b', 'd', 'c']);
    expect(ids(new Set([idx('b')]))).toEqual(['root', 'b', 'c']);
    expect(ids(new Set([idx('root')]))).toEqual(['root']);
    // Collapsing a leaf does nothing.
    expect(ids(new Set([idx('d')]))).toEqual(['root', 'b', 'd', 'c']);
    const rows = generateRowStates(tree, new Set([idx('b')]));
    expect(rows[1]).toEqual({
      span: idx('b'),
      depth: 1,
      hasChildren: true,
      collapsed: true,
    });
  });

  it('collapses from a depth and reveals a hidden span', () => {
    const tree = buildTraceTree(sample);
    const collapsed = collapseFromDepth(tree, 1);
    expect([...collapsed]).toEqual([idx('b')]);
    expect(
      revealSpan(tree, new Set([idx('root'), idx('b')]), idx('d')).size,
    ).toBe(0);
  });

  it('walks 100,000 spans in a chain without recursion', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) =>
      span(`s${i}`, i ? `s${i - 1}` : '', i, 100_000 - i),
    );
    const tree = buildTraceTree(chain);
    expect(tree.depth[99_999]).toBe(99_999);
    expect(generateRowStates(tree, new Set())).toHaveLength(100_000);
    const cp = criticalPath(
      tree,
      chain.map((s) => s.startUs),
      chain.map((s) => s.durationUs),
    );
    expect(cp.length).toBeGreaterThan(0);
  });
});

describe('criticalPath', () => {
  it('follows the last-finishing child back in time, the rest is the parent own time', () => {
    const tree = buildTraceTree(sample);
    const cp = criticalPath(
      tree,
      sample.map((s) => s.startUs),
      sample.map((s) => s.durationUs),
    );
    expect(cp.map((s) => [sample[s.span]!.spanId, s.startUs, s.endUs])).toEqual(
      [
        ['root', 0, 10],
        ['b', 10, 15],
        ['d', 15, 30],
        ['b', 30, 35],
        ['c', 35, 90],
        ['root', 90, 100],
      ],
    );
  });

  it('cuts a child that outlives its parent at the parent end', () => {
    const spans = [span('r', '', 0, 50), span('k', 'r', 10, 100)];
    const tree = buildTraceTree(spans);
    const cp = criticalPath(tree, [0, 10], [50, 100]);
    expect(cp.map((s) => [s.span, s.startUs, s.endUs])).toEqual([
      [0, 0, 10],
      [1, 10, 50],
    ]);
  });
});

describe('adjustClockSkew', () => {
  it('centres a server span of another service that starts before its client parent, moving its subtree', () => {
    const spans = [
      span('client', '', 1000, 100, 'productpage'),
      span('server', 'client', 980, 60, 'reviews'),
      span('db', 'server', 990, 10, 'reviews'),
    ];
    const r = adjustClockSkew(spans, buildTraceTree(spans));
    expect(r.startUs[1]).toBe(1020); // 1000 + (100 - 60) / 2
    expect(r.startUs[2]).toBe(1030); // moved with its parent: +40
    expect(r.adjustments).toEqual([{ span: 1, parent: 0, deltaUs: 40 }]);
  });

  it('leaves children that fit, spans of the same service and longer children alone', () => {
    const spans = [
      span('p', '', 0, 100, 'a'),
      span('fits', 'p', 10, 20, 'b'),
      span('same', 'p', -5, 20, 'a'),
      span('longer', 'p', -5, 200, 'b'),
    ];
    const r = adjustClockSkew(spans, buildTraceTree(spans));
    expect([...r.startUs]).toEqual([0, 10, -5, -5]);
    expect(r.adjustments).toEqual([]);
  });
});

describe('trace statistics', () => {
  it('counts self time once for overlapping children and groups by service and operation', () => {
    const spans = [
      span('r', '', 0, 100),
      span('x', 'r', 10, 30),
      span('y', 'r', 20, 30),
      span('z', 'r', 90, 50),
    ];
    const tree = buildTraceTree(spans);
    const self = selfTimes(
      tree,
      spans.map((s) => s.startUs),
      spans.map((s) => s.durationUs),
    );
    // children cover [10,50) and [90,100): 50 µs
    expect([...self]).toEqual([50, 30, 30, 50]);
    const rows = traceStatistics(
      spans.map((s) => ({
        service: s.spanId === 'r' ? 'front' : 'back',
        name: 'op',
        durationUs: s.durationUs,
        error: s.spanId === 'z',
      })),
      self,
      140,
    );
    expect(rows[0]).toMatchObject({
      service: 'back',
      count: 3,
      errors: 1,
      selfTotalUs: 110,
      totalUs: 110,
      maxUs: 50,
    });
    expect(rows[1]).toMatchObject({
      service: 'front',
      count: 1,
      selfTotalUs: 50,
    });
    expect(rows[1]!.selfShare).toBeCloseTo(50 / 140);
  });
});
