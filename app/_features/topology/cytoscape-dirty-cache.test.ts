import cytoscape, { type Core } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { installFastDirtyStyleCache } from './cytoscape-dirty-cache';

type Internal = { _private: { styleCache: unknown } };
type Dirtyable = { dirtyStyleCache(): unknown };

/** A graph with nested boxes and edges into, out of and between them. */
function graph(): Core {
  return cytoscape({
    headless: true,
    styleEnabled: true,
    elements: [
      { data: { id: 'cluster' } },
      { data: { id: 'ns', parent: 'cluster' } },
      { data: { id: 'app', parent: 'ns' } },
      { data: { id: 'v1', parent: 'app' } },
      { data: { id: 'v2', parent: 'app' } },
      { data: { id: 'svc', parent: 'ns' } },
      { data: { id: 'other' } },
      { data: { id: 'lonely' } },
      { data: { id: 'e1', source: 'svc', target: 'v1' } },
      { data: { id: 'e2', source: 'other', target: 'v2' } },
      { data: { id: 'e3', source: 'other', target: 'svc' } },
      { data: { id: 'e4', source: 'other', target: 'lonely' } },
    ],
  });
}

/** Ids whose style cache `dirtyStyleCache` on `id` clears. */
function cleared(cy: Core, id: string): string[] {
  cy.elements().forEach((e) => {
    (e as unknown as Internal)._private.styleCache = ['cached'];
  });
  (cy.getElementById(id) as unknown as Dirtyable).dirtyStyleCache();
  return cy
    .elements()
    .filter((e) => (e as unknown as Internal)._private.styleCache === null)
    .map((e) => e.id())
    .sort();
}

describe('fast dirtyStyleCache', () => {
  const ids = [
    'cluster',
    'ns',
    'app',
    'v1',
    'svc',
    'other',
    'lonely',
    'e1',
    'e2',
  ];

  it('clears exactly what the stock version clears (self, descendants, ancestors, their edges)', () => {
    const stock = graph();
    const expected = Object.fromEntries(
      ids.map((id) => [id, cleared(stock, id)]),
    );
    // a real check: the stock version reaches beyond the element itself
    expect(expected.app).toEqual([
      'app',
      'cluster',
      'e1',
      'e2',
      'ns',
      'v1',
      'v2',
    ]);
    installFastDirtyStyleCache(stock);
    installFastDirtyStyleCache(stock); // idempotent
    const fast = graph();
    for (const id of ids)
      expect([id, cleared(fast, id)]).toEqual([id, expected[id]]);
  });
});
