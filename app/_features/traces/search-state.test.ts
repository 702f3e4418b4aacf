import { describe, expect, it } from 'vitest';
import { applyParams } from '../../_components/url-params';
import { viewLinks } from '../topology/panel-links';
import {
  asTraceId,
  parseSearchState,
  searchParams,
  splitTags,
} from './search-state';

describe('trace search URL state', () => {
  it('round-trips every filter through the URL and leaves defaults out', () => {
    const query = applyParams(
      '',
      searchParams({
        service: 'reviews.bookinfo',
        operation: '',
        tags: 'http.status_code=503',
        minDurationMs: 100,
        maxDurationMs: undefined,
        errorsOnly: true,
        requestId: ' r-1 ',
        offset: 0,
        range: { kind: 'preset', preset: '1h' },
      }),
    );
    expect(query).toBe(
      'range=1h&service=reviews.bookinfo&tags=http.status_code%3D503&minDurationMs=100&error=1&requestId=r-1',
    );
    const state = parseSearchState(new URLSearchParams(query));
    expect(state).toMatchObject({
      service: 'reviews.bookinfo',
      tags: 'http.status_code=503',
      minDurationMs: 100,
      maxDurationMs: undefined,
      errorsOnly: true,
      requestId: 'r-1',
      offset: 0,
    });
    expect(state.range).toEqual({ kind: 'preset', preset: '1h' });
  });

  it('reads the links of the topology and service pages: service + namespace, window in ms', () => {
    const link = viewLinks(
      { namespace: 'bookinfo', service: 'reviews', workload: 'reviews-v2' },
      { kind: 'custom', fromMs: 1_000_000, toMs: 2_000_000 },
    ).traces;
    const state = parseSearchState(new URL(link, 'http://x').searchParams);
    expect(state.service).toBe('reviews.bookinfo');
    expect(state.range).toEqual({
      kind: 'custom',
      fromMs: 1_000_000,
      toMs: 2_000_000,
    });
    // A service typed in the form replaces the link's namespace.
    const next = applyParams(
      new URL(link, 'http://x').searchParams.toString(),
      searchParams({ service: 'ratings' }),
    );
    expect(parseSearchState(new URLSearchParams(next)).service).toBe('ratings');
  });

  it("narrows an edge's link to traces through its caller; a typed service drops it", () => {
    const link = viewLinks(
      { namespace: 'bookinfo', service: 'ratings', workload: 'ratings-v1' },
      { kind: 'custom', fromMs: 1_000_000, toMs: 2_000_000 },
      0,
      { namespace: 'bookinfo', service: 'reviews', workload: 'reviews-v2' },
    ).traces;
    const state = parseSearchState(new URL(link, 'http://x').searchParams);
    expect(state.service).toBe('ratings.bookinfo');
    expect(state.caller).toBe('reviews.bookinfo');
    const next = applyParams(
      new URL(link, 'http://x').searchParams.toString(),
      searchParams({ service: 'details' }),
    );
    expect(parseSearchState(new URLSearchParams(next)).caller).toBe('');
  });

  it('ignores nonsense numbers', () => {
    const s = parseSearchState(
      new URLSearchParams('minDurationMs=abc&offset=-3'),
    );
    expect(s.minDurationMs).toBeUndefined();
    expect(s.offset).toBe(0);
  });

  it('splits logfmt tags, quoted values included', () => {
    expect(splitTags('a=1  b="x y" c= error=true')).toEqual([
      'a=1',
      'b=x y',
      'c=',
      'error=true',
    ]);
    expect(splitTags('oops k=v')).toEqual(['oops', 'k=v']);
    expect(splitTags('')).toEqual([]);
  });

  it('recognises a trace id typed in the search', () => {
    expect(asTraceId(' 5B8EFFF798038103D269B633813FC60C ')).toBe(
      '5b8efff798038103d269b633813fc60c',
    );
    expect(asTraceId('abcdef0123456789')).toBe('abcdef0123456789');
    expect(asTraceId('reviews')).toBeUndefined();
  });
});

describe('search results', () => {
  it('labels pages and rounds the scatter axis up', async () => {
    const { niceMax, pageLabel, timeTicks } = await import('./prepare-results');
    expect(pageLabel(0, 50, 123)).toBe('1–50 of 123 traces');
    expect(pageLabel(0, 1, 1)).toBe('1–1 of 1 trace');
    expect(pageLabel(0, 0, 0)).toBe('no traces');
    expect(niceMax(120)).toBe(150);
    expect(niceMax(8.5)).toBe(10);
    expect(niceMax(0)).toBe(1);
    expect(timeTicks(0, 60_000, 3)).toEqual([0, 20_000, 40_000, 60_000]);
  });
});
