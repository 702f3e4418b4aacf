import { describe, expect, it } from 'vitest';
import { withReportedOnly } from './reported-only';
import { addTally, coverageOf, emptyTally, type Tally } from './tally';

const tally = (total: number, mtls: number, plaintext: number): Tally => ({
  total: { requests: total, connections: 0, bytes: total * 10 },
  mtls: { requests: mtls, connections: 0, bytes: mtls * 10 },
  plaintext: { requests: plaintext, connections: 0, bytes: plaintext * 10 },
  reportedOnly: { requests: 0, connections: 0, bytes: 0 },
});

interface Row {
  service: string;
  sourceWorkload: string;
  tally: Tally;
}

const sum = (rows: readonly Row[]) =>
  rows.reduce((t, r) => addTally(t, r.tally), emptyTally());

describe('traffic reported but not counted', () => {
  // web: the gateway's 100 requests counted on its outbound lines, reported (mTLS) on an
  // unknown-caller inbound row with a sidecar-less caller's 30 plaintext requests that no row
  // counts. api.example: 40 requests to an external host, counted, reported by nobody.
  const rows: Row[] = [
    { service: 'web', sourceWorkload: 'gateway', tally: tally(100, 0, 0) },
    { service: 'web', sourceWorkload: '', tally: tally(0, 100, 30) },
    { service: 'api.example', sourceWorkload: 'web', tally: tally(40, 0, 0) },
  ];

  it("does not hide another service's unknown in the sum", () => {
    expect(coverageOf(sum(rows)).requests.unknown).toBe(10); // the bug: 40 - 30
    const out = withReportedOnly(rows, (r) => r.service);
    const c = coverageOf(sum(out));
    expect(c.requests).toEqual({ mtls: 100, plaintext: 30, unknown: 40 });
    expect(c.bytes.unknown).toBe(400);
    expect(out[1]!.tally.reportedOnly.requests).toBe(30);
    expect(rows[1]!.tally.reportedOnly.requests).toBe(0);
  });

  it('keeps the unknown of a service whose reports cover its counts', () => {
    const some = [
      { service: 'web', sourceWorkload: 'gateway', tally: tally(100, 0, 0) },
      { service: 'web', sourceWorkload: '', tally: tally(0, 90, 0) },
    ];
    const out = withReportedOnly(some, (r) => r.service);
    expect(out.every((r) => r.tally.reportedOnly.requests === 0)).toBe(true);
    expect(coverageOf(sum(out)).requests.unknown).toBe(10);
  });
});
