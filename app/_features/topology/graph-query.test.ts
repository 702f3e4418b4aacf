import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { graphQueryInput, graphQueryUrl } from './graph-query';
import { parseTopologyState } from './url-state';

describe('graph query', () => {
  it('builds the same input from the URL on the server and in the browser', () => {
    const state = parseTopologyState(
      new URLSearchParams(
        'from=1000&to=61000&ns=bookinfo,default&proto=grpc&cluster=east&graph=app&idle=1&warn=2&fail=20',
      ),
    );
    expect(graphQueryInput(state)).toEqual({
      window: { from: 1000, to: 61000 },
      graphType: 'app',
      includeIdle: true,
      thresholds: { degraded: 0.02, failure: 0.2 },
      filter: {
        namespaces: ['bookinfo', 'default'],
        protocols: ['grpc'],
        cluster: 'east',
      },
    });
  });

  it('encodes the input as the unbatched tRPC GET does (superjson, then JSON, then URI)', () => {
    const input = graphQueryInput(
      parseTopologyState(new URLSearchParams('range=1h')),
    );
    const url = graphQueryUrl(input);
    expect(url.startsWith('/api/trpc/topology.graph?input=')).toBe(true);
    const encoded = url.slice(url.indexOf('=') + 1);
    expect(encoded).not.toMatch(/[{}"&]/);
    const wire = JSON.parse(decodeURIComponent(encoded)) as {
      json: unknown;
    };
    expect(wire).toEqual({ json: input });
    expect(superjson.deserialize(wire as never)).toEqual(input);
  });
});
