import { describe, expect, it } from 'vitest';
import { attributeInbound, needsAttribution } from './attribute';
import type { AttributedRow } from './log-callers';
import type { PolicyRow } from './policy-rows';
import { coverageOf, emptyTally, type Tally } from './tally';

const dest = {
  destinationNamespace: 'shop',
  destinationService: 'cart',
  destinationWorkload: 'cart-v1',
  destinationCluster: '',
  protocol: 'http',
};

function row(p: Partial<PolicyRow> & { tally: Tally }): PolicyRow {
  return {
    signal: 'access_log',
    sourceNamespace: '',
    sourceWorkload: '',
    sourceService: '',
    ...dest,
    plaintextFirstMs: null,
    plaintextLastMs: null,
    ...p,
  };
}

const tally = (total: number, mtls: number, plaintext: number): Tally => ({
  total: { requests: total, connections: 0, bytes: total * 10 },
  mtls: { requests: mtls, connections: 0, bytes: mtls * 10 },
  plaintext: { requests: plaintext, connections: 0, bytes: plaintext * 10 },
  reportedOnly: { requests: 0, connections: 0, bytes: 0 },
});

const web: AttributedRow = {
  sourceNamespace: 'shop',
  sourceWorkload: 'web-v1',
  sourceService: 'web',
  ...dest,
  mtls: { requests: 70, connections: 0, bytes: 700 },
  plaintext: { requests: 0, connections: 0, bytes: 0 },
  plaintextFirstMs: null,
  plaintextLastMs: null,
};

describe('attributing inbound log evidence to callers', () => {
  it('moves what the caller sent off the unknown-caller row, the rest stays unknown-caller', () => {
    const rows = [
      row({ tally: tally(0, 70, 30) }),
      row({
        sourceNamespace: 'shop',
        sourceWorkload: 'web-v1',
        sourceService: 'web',
        destinationWorkload: '',
        tally: tally(70, 0, 0),
      }),
    ];
    expect(needsAttribution(rows)).toBe(true);
    const out = attributeInbound(rows, [web]);
    const unknown = out.find((r) => r.sourceWorkload === '')!;
    expect(unknown.tally.mtls.requests).toBe(0);
    expect(unknown.tally.plaintext.requests).toBe(30);
    const moved = out.find(
      (r) =>
        r.sourceWorkload === 'web-v1' && r.destinationWorkload === 'cart-v1',
    )!;
    expect(moved.tally.mtls).toEqual({
      requests: 70,
      connections: 0,
      bytes: 700,
    });
    // Nothing created or lost: the destination's sums are unchanged.
    const sum = (k: 'mtls' | 'plaintext') =>
      out.reduce((n, r) => n + r.tally[k].requests, 0);
    expect([sum('mtls'), sum('plaintext')]).toEqual([70, 30]);
    expect(rows[0]!.tally.mtls.requests).toBe(70);
  });

  it('never moves more than the unknown-caller row holds, nor from another signal', () => {
    const metrics = row({ signal: 'metrics', tally: tally(0, 10, 0) });
    const logs = row({ tally: tally(0, 5, 0) });
    const out = attributeInbound([metrics, logs], [web]);
    expect(out.find((r) => r.signal === 'metrics')!.tally.mtls.requests).toBe(
      10,
    );
    const moved = out.filter((r) => r.sourceWorkload === 'web-v1');
    expect(moved.map((r) => r.tally.mtls.requests)).toEqual([5]);
    expect(needsAttribution([metrics])).toBe(false);
  });
});

describe('coverage figures', () => {
  it('leaves unknown out of the shares and never below zero', () => {
    const c = coverageOf(tally(100, 60, 20));
    expect(c.requestShare).toBe(0.75);
    expect(c.requests.unknown).toBe(20);
    expect(c.unknownShare).toBe(0.2);
    expect(c.state).toBe('partial');
    const reportedOnly = coverageOf(tally(0, 0, 5));
    expect(reportedOnly.requests.unknown).toBe(0);
    expect(reportedOnly.state).toBe('none');
    const nothing = coverageOf(emptyTally());
    expect(nothing.requestShare).toBeNull();
    expect(nothing.state).toBe('unknown');
  });
});
