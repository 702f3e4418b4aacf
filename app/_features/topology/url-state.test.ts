import { describe, expect, it } from 'vitest';
import { applyParams, parseTopologyState, topologyParams } from './url-state';

describe('topology URL state', () => {
  it('reads defaults from an empty URL', () => {
    expect(parseTopologyState(new URLSearchParams(''))).toEqual({
      range: { kind: 'preset', preset: '15m' },
      namespaces: [],
      protocols: [],
      cluster: '',
      graphType: 'workload',
      layout: 'layered',
      edgeLabels: 'rate',
      edgeColor: 'health',
      health: { degraded: 1, failure: 10 },
      idle: false,
      search: '',
      selected: null,
      refresh: '30s',
    });
  });

  it('reads every parameter, ignoring unknown values', () => {
    const s = parseTopologyState(
      new URLSearchParams(
        'range=1h&ns=bookinfo,shop&proto=http,smtp&graph=app&layout=force&labels=p95&color=mtls&warn=0.5&fail=5&idle=1&q=rev&edge=a->b:http&refresh=off',
      ),
    );
    expect(s).toMatchObject({
      range: { kind: 'preset', preset: '1h' },
      namespaces: ['bookinfo', 'shop'],
      protocols: ['http'],
      graphType: 'app',
      layout: 'force',
      edgeLabels: 'p95',
      edgeColor: 'mtls',
      health: { degraded: 0.5, failure: 5 },
      idle: true,
      search: 'rev',
      selected: { kind: 'edge', id: 'a->b:http' },
      refresh: 'off',
    });
  });

  it('writes changes back, keeping defaults out of the URL, and round-trips', () => {
    const q = applyParams(
      'range=1h&graph=app&node=x',
      topologyParams({
        graphType: 'workload',
        namespaces: ['bookinfo'],
        selected: { kind: 'edge', id: 'e1' },
      }),
    );
    expect(q).toBe('range=1h&ns=bookinfo&edge=e1');
    const state = parseTopologyState(new URLSearchParams(q));
    expect(state.graphType).toBe('workload');
    expect(state.selected).toEqual({ kind: 'edge', id: 'e1' });
  });

  it('keeps health thresholds in range and in order', () => {
    const s = parseTopologyState(new URLSearchParams('warn=30&fail=abc'));
    expect(s.health).toEqual({ degraded: 10, failure: 10 });
    expect(
      parseTopologyState(new URLSearchParams('warn=-1&fail=400')).health,
    ).toEqual({ degraded: 1, failure: 10 });
    expect(
      applyParams(
        'color=mtls',
        topologyParams({
          edgeColor: 'health',
          health: { degraded: 2, failure: 10 },
        }),
      ),
    ).toBe('warn=2');
  });
});
