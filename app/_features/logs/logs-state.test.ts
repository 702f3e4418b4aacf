import { describe, expect, it } from 'vitest';
import { applyParams } from '../../_components/url-params';
import {
  hasFilters,
  logsParams,
  parseLogsState,
  searchFilter,
} from './logs-state';
import {
  clockTime,
  legendFlags,
  topologyLink,
  traceLink,
} from './prepare-logs';

const parse = (qs: string) => parseLogsState(new URLSearchParams(qs));

describe('logs URL state', () => {
  it('reads the trace page link (request id and an absolute window)', () => {
    const s = parse('requestId=r-1&from=1000&to=2000');
    expect(s.range).toEqual({ kind: 'custom', fromMs: 1000, toMs: 2000 });
    expect(s.requestId).toBe('r-1');
    expect(hasFilters(s)).toBe(true);
    expect(searchFilter(s)).toMatchObject({ requestId: 'r-1' });
  });

  it('reads topology links and drops bad values', () => {
    const s = parse(
      'service=&workload=reviews-v1&namespace=bookinfo&code=7xx&flag=u%3Bf&offset=-3&traceId=ZZ',
    );
    expect(s).toMatchObject({
      service: 'reviews-v1',
      namespace: 'bookinfo',
      codeClass: '',
      flag: '',
      offset: 0,
    });
    expect(searchFilter(s)).toMatchObject({
      namespaces: ['bookinfo'],
      traceId: undefined,
    });
    expect(hasFilters(parse('range=1h'))).toBe(false);
  });

  it('round-trips a change through the URL and removes defaults', () => {
    const qs = applyParams(
      'workload=x&offset=100',
      logsParams({
        service: 'reviews',
        codeClass: '5xx',
        flag: 'uf',
        q: ' /api ',
        offset: 0,
        range: { kind: 'preset', preset: '1h' },
      }),
    );
    expect(qs).toBe('range=1h&service=reviews&code=5xx&flag=UF&q=%2Fapi');
    expect(parse(qs)).toMatchObject({
      service: 'reviews',
      codeClass: '5xx',
      flag: 'UF',
      q: '/api',
    });
  });
});

describe('log line links and flags', () => {
  const line = {
    kind: 'http',
    protocol: 'http',
    traceId: 'AB'.repeat(16),
    responseFlags: ['UF', 'URX'],
    source: {
      workload: 'productpage-v1',
      namespace: 'bookinfo',
      service: 'productpage',
    },
    destination: { workload: '', namespace: 'bookinfo', service: 'reviews' },
  };
  const w = { fromMs: 1000.4, toMs: 2000.2 };

  it('selects the edge in the topology service graph, or the node without a caller', () => {
    expect(topologyLink(line, w)).toBe(
      `/topology?graph=service&edge=${encodeURIComponent('svc:bookinfo/productpage->svc:bookinfo/reviews:http')}&from=1000&to=2001`,
    );
    expect(
      topologyLink(
        { ...line, source: { workload: '', namespace: '', service: '' } },
        w,
      ),
    ).toBe(
      `/topology?graph=service&node=${encodeURIComponent('svc:bookinfo/reviews')}&from=1000&to=2001`,
    );
    expect(
      topologyLink(
        { ...line, destination: { workload: '', namespace: '', service: '' } },
        w,
      ),
    ).toBeUndefined();
  });

  it('links only well-formed trace ids', () => {
    expect(traceLink(line.traceId)).toBe(`/traces/${'ab'.repeat(16)}`);
    expect(traceLink('')).toBeUndefined();
    expect(traceLink('../admin')).toBeUndefined();
  });

  it('collects each flag once for the legend, with its words', () => {
    const flags = legendFlags([
      line,
      { ...line, responseFlags: ['URX', 'UO'] },
    ]);
    expect(flags.map((f) => `${f.short}=${f.long}`)).toEqual([
      'UF=UpstreamConnectionFailure',
      'URX=UpstreamRetryLimitExceeded',
      'UO=UpstreamOverflow',
    ]);
  });
});

describe('clockTime', () => {
  it('prints hours, minutes, seconds and milliseconds in local time', () => {
    const d = new Date(2026, 10, 24, 9, 5, 7, 42);
    expect(clockTime(d.toISOString())).toBe('09:05:07.042');
    expect(clockTime('not a time')).toBe('not a time');
  });
});
