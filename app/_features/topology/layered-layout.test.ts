import { describe, expect, it } from 'vitest';
import { layeredPositions, rankNodes } from './layered-layout';

describe('layered layout', () => {
  it('ranks by longest path from uncalled callers, breaking cycles', () => {
    const ranks = rankNodes(
      ['gw', 'pp', 'rev', 'rat', 'db'],
      [
        { source: 'gw', target: 'pp' },
        { source: 'pp', target: 'rev' },
        { source: 'rev', target: 'rat' },
        { source: 'pp', target: 'rat' },
        { source: 'rat', target: 'db' },
        { source: 'db', target: 'rev' }, // a cycle back
      ],
    );
    expect(Object.fromEntries(ranks)).toEqual({
      gw: 0,
      pp: 1,
      rev: 2,
      rat: 3,
      db: 4,
    });
    // A pure cycle still gets ranks.
    expect(
      Object.fromEntries(
        rankNodes(
          ['a', 'b'],
          [
            { source: 'a', target: 'b' },
            { source: 'b', target: 'a' },
          ],
        ),
      ),
    ).toEqual({ a: 0, b: 1 });
  });

  it('keeps namespaces in separate bands so their boxes cannot overlap', () => {
    const nodes = [
      { id: 'gw', band: 'ns:istio-system', group: '' },
      { id: 'pp', band: 'ns:bookinfo', group: '' },
      { id: 'r1', band: 'ns:bookinfo', group: 'reviews' },
      { id: 'r2', band: 'ns:bookinfo', group: 'reviews' },
      { id: 'ext', band: '', group: '' },
      { id: 'unknown', band: '', group: '' },
    ];
    const edges = [
      { source: 'gw', target: 'pp' },
      { source: 'pp', target: 'r1' },
      { source: 'pp', target: 'r2' },
      { source: 'pp', target: 'ext' },
      { source: 'unknown', target: 'pp' },
    ];
    const pos = layeredPositions(nodes, edges, {
      rankGap: 100,
      nodeGap: 10,
      bandGap: 5,
    });
    const ys = (ids: string[]) => ids.map((id) => pos.get(id)!.y);
    const [gwTop, gwBottom] = [
      Math.min(...ys(['gw'])),
      Math.max(...ys(['gw'])),
    ];
    const book = ys(['pp', 'r1', 'r2']);
    expect(Math.min(...book)).toBeGreaterThan(gwBottom);
    expect(Math.max(...ys(['ext', 'unknown']))).toBeGreaterThan(
      Math.max(...book),
    );
    expect(gwTop).toBe(0);
    expect(pos.get('pp')!.x).toBe(100);
    expect(pos.get('r1')!.x).toBe(200);
    expect(pos.get('r1')!.y).not.toBe(pos.get('r2')!.y);
    // Same input, same positions: nothing jumps on refresh.
    expect(
      layeredPositions(nodes, edges, { rankGap: 100, nodeGap: 10, bandGap: 5 }),
    ).toEqual(pos);
  });
});

describe('layered layout spacing', () => {
  it('puts ranks of pass-through services closer', () => {
    const pos = layeredPositions(
      [
        { id: 'a', band: '', group: '' },
        { id: 'svc', band: '', group: '', narrow: true },
        { id: 'b', band: '', group: '' },
      ],
      [
        { source: 'a', target: 'svc' },
        { source: 'svc', target: 'b' },
      ],
      { rankGap: 100 },
    );
    expect(pos.get('a')!.x).toBe(0);
    expect(pos.get('svc')!.x).toBeCloseTo(55);
    expect(pos.get('b')!.x).toBeCloseTo(110);
  });
});
