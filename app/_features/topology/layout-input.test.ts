import { describe, expect, it } from 'vitest';
import type { ElementDefinition } from 'cytoscape';
import { layeredFromElements, layeredInput } from './layout-input';

const box = (id: string, kind: string, parent?: string): ElementDefinition => ({
  group: 'nodes',
  data: { id, box: kind, ...(parent ? { parent } : {}) },
});
const node = (
  id: string,
  kind: string,
  parent?: string,
): ElementDefinition => ({
  group: 'nodes',
  data: { id, kind, ...(parent ? { parent } : {}) },
});
const edge = (source: string, target: string): ElementDefinition => ({
  group: 'edges',
  data: { id: `${source}->${target}`, source, target },
});

describe('layered layout input from element definitions', () => {
  const elements = [
    box('cl:east', 'cluster'),
    box('ns:east/shop', 'namespace', 'cl:east'),
    box('app:shop/reviews', 'app', 'ns:east/shop'),
    box('cl:west', 'cluster'),
    node('gw', 'gateway', 'cl:west'),
    node('svc', 'service', 'ns:east/shop'),
    node('v1', 'app', 'app:shop/reviews'),
    node('v2', 'app', 'app:shop/reviews'),
    node('unknown', 'unknown'),
    edge('unknown', 'gw'),
    edge('gw', 'svc'),
    edge('svc', 'v1'),
    edge('svc', 'v2'),
  ];

  it('bands by namespace box (else the top box), groups by app box, skips boxes', () => {
    const { nodes, edges } = layeredInput(elements);
    expect(nodes).toEqual([
      { id: 'gw', band: 'cl:west', group: '', narrow: false },
      { id: 'svc', band: 'ns:east/shop', group: '', narrow: true },
      {
        id: 'v1',
        band: 'ns:east/shop',
        group: 'app:shop/reviews',
        narrow: false,
      },
      {
        id: 'v2',
        band: 'ns:east/shop',
        group: 'app:shop/reviews',
        narrow: false,
      },
      { id: 'unknown', band: '', group: '', narrow: false },
    ]);
    expect(edges).toHaveLength(4);
  });

  it('places callers left of callees and every non-box node exactly once', () => {
    const pos = layeredFromElements(elements);
    expect([...pos.keys()].sort()).toEqual([
      'gw',
      'svc',
      'unknown',
      'v1',
      'v2',
    ]);
    expect(pos.get('unknown')!.x).toBeLessThan(pos.get('gw')!.x);
    expect(pos.get('gw')!.x).toBeLessThan(pos.get('svc')!.x);
    expect(pos.get('svc')!.x).toBeLessThan(pos.get('v1')!.x);
    expect(pos.get('v1')!.x).toBe(pos.get('v2')!.x);
    expect(pos.get('v1')!.y).not.toBe(pos.get('v2')!.y);
  });
});
