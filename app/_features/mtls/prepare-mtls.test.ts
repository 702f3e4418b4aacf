import { describe, expect, it } from 'vitest';
import {
  barSegments,
  mtlsParams,
  parseMtlsState,
  peerName,
  prepareTrend,
  shareText,
  shareTone,
} from './prepare-mtls';

describe('mTLS view decisions', () => {
  it('says unknown for an unknown share, never 0 %', () => {
    expect(shareText(null)).toBe('unknown');
    expect(shareText(0)).toBe('0%');
    expect(shareText(0.5)).toBe('50%');
    expect(shareTone(null)).toBeUndefined();
    expect(shareTone(0)).toBe('bad');
    expect(shareTone(0.9)).toBe('warn');
    expect(shareTone(1)).toBeUndefined();
  });

  it('splits the bar by counts and leaves empty parts out', () => {
    expect(barSegments({ mtls: 3, plaintext: 1, unknown: 0 })).toEqual([
      { key: 'mtls', label: 'mutual TLS', count: 3, percent: 75 },
      { key: 'plaintext', label: 'plaintext', count: 1, percent: 25 },
    ]);
    expect(barSegments({ mtls: 0, plaintext: 0, unknown: 0 })).toEqual([]);
  });

  it('draws trend lines in percent with gaps where nothing was known', () => {
    const t = prepareTrend([
      {
        t: 1,
        requestShare: 0.5,
        connectionShare: null,
        byteShare: 0.25,
        unknownShare: 0.1,
      },
      {
        t: 2,
        requestShare: null,
        connectionShare: null,
        byteShare: null,
        unknownShare: 1,
      },
    ]);
    expect(t.lines).toEqual(['requests', 'bytes']);
    expect(t.points[0]).toEqual({
      t: 1,
      requests: 50,
      connections: null,
      bytes: 25,
      unknown: 10,
    });
    expect(t.points[1]!.requests).toBeNull();
  });

  it('keeps range and namespaces in the URL', () => {
    const p = new URLSearchParams('range=1h&ns=bookinfo,legacy');
    const s = parseMtlsState(p);
    expect(s.namespaces).toEqual(['bookinfo', 'legacy']);
    expect(mtlsParams({ namespaces: [] })).toEqual({ ns: null });
    expect(mtlsParams({ range: s.range })).toMatchObject({ range: '1h' });
  });

  it('names an unknown caller as one without a sidecar', () => {
    expect(peerName({ namespace: '', workload: '' })).toBe(
      'unknown (no sidecar)',
    );
    expect(peerName({ namespace: 'a', workload: 'b' })).toBe('a/b');
  });
});

describe('a share of traffic that does not exist', () => {
  it('is a dash, not unknown', async () => {
    const { shareOrNone } = await import('./prepare-mtls');
    expect(shareOrNone(null, { mtls: 0, plaintext: 0, unknown: 0 })).toBe('–');
    expect(shareOrNone(null, { mtls: 0, plaintext: 0, unknown: 3 })).toBe(
      'unknown',
    );
    expect(shareOrNone(1, { mtls: 3, plaintext: 0, unknown: 0 })).toBe('100%');
  });
});
