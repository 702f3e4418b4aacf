import { describe, expect, it } from 'vitest';
import { selectRows, signalRank, type SelectableRow } from './count-once';

const M0 = '2025-01-01 09:59:00';
const M1 = '2025-01-01 10:00:00';
const M2 = '2025-01-01 10:01:00';

function row(p: Partial<SelectableRow>): SelectableRow {
  return {
    minute: M1,
    signal: 'metrics',
    reporter: 'source',
    sourceNamespace: 'bookinfo',
    sourceWorkload: 'productpage-v1',
    destinationNamespace: 'bookinfo',
    destinationService: 'reviews',
    protocol: 'http',
    ...p,
  };
}

const legacy = { sourceNamespace: '', sourceWorkload: '' };
const gateway = {
  sourceNamespace: 'istio-system',
  sourceWorkload: 'istio-ingressgateway',
};
const toProductpage = { destinationService: 'productpage' };

describe('count each request once: reporter', () => {
  it('counts the source report and not the destination report of the same request', () => {
    const sel = selectRows([row({}), row({ reporter: 'destination' })]);
    expect(sel.map((s) => s.counted)).toEqual([true, false]);
    // The destination rows still belong to the chosen signal: mTLS is read from them.
    expect(sel.map((s) => s.chosen)).toEqual([true, true]);
  });

  it('counts destination reports of callers outside the mesh when the reporter names in-mesh callers (metrics)', () => {
    const sel = selectRows([
      row({ ...gateway, ...toProductpage }),
      row({ ...gateway, ...toProductpage, reporter: 'destination' }),
      row({ ...legacy, ...toProductpage, reporter: 'destination' }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true, false, true]);
  });

  it('leaves out unnamed callers of an access-log inbound line when client proxies reported that service', () => {
    const log = { signal: 'access_log' };
    const sel = selectRows([
      row({ ...log, ...gateway, ...toProductpage }),
      // Envoy's inbound line names no caller: in-mesh (already counted) and outside look alike.
      row({ ...log, ...legacy, ...toProductpage, reporter: 'destination' }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true, false]);
  });

  it('counts destination reports when no source proxy reported into that service', () => {
    const log = { signal: 'access_log' };
    const sel = selectRows([
      row({ ...log, ...legacy, ...toProductpage, reporter: 'destination' }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true]);
  });

  it('falls back to the destination report of a named caller whose own proxy did not report', () => {
    const sel = selectRows([
      row({ reporter: 'destination' }),
      row({
        sourceWorkload: 'details-v1',
        reporter: 'source',
        destinationService: 'catalog',
      }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true, true]);
  });

  it('decides per minute, protocol and edge', () => {
    const sel = selectRows([
      row({ minute: M1 }),
      row({ minute: M2, reporter: 'destination' }),
      row({ minute: M1, reporter: 'destination', protocol: 'tcp' }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true, true, true]);
  });
});

describe('count each request once: signal precedence', () => {
  it('uses metrics over access logs over spans for the same edge and minute', () => {
    const sel = selectRows(
      [
        // the minute before the window: metrics were already scraping
        row({ signal: 'metrics', minute: M0 }),
        row({ signal: 'spans' }),
        row({ signal: 'access_log' }),
        row({ signal: 'metrics' }),
        row({ signal: 'spans', minute: M2 }),
        row({ signal: 'access_log', minute: M2 }),
      ],
      { fromMinute: M1 },
    );
    expect(sel.map((s) => s.counted)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(sel.map((s) => s.chosen)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
    ]);
  });

  it("prefers access logs in metrics' first minute into a destination (a counter's first scrape has no increase)", () => {
    const sel = selectRows([
      row({ signal: 'access_log' }),
      row({ signal: 'metrics' }),
      row({ signal: 'spans' }),
      row({ signal: 'access_log', minute: M2 }),
      row({ signal: 'metrics', minute: M2 }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    // Partial metrics still beat spans, and are used when nothing else covers the minute.
    expect(
      selectRows([row({ signal: 'metrics' }), row({ signal: 'spans' })]).map(
        (s) => s.counted,
      ),
    ).toEqual([true, false]);
  });

  it('in a coarse bucket, prefers a signal that covered every minute its destination had traffic in', () => {
    const all = (1n << 10n) - 1n;
    const late = all & ~0b111n; // metrics began at minute 3 of the bucket
    const sel = selectRows([
      row({ signal: 'metrics', minuteMask: late }),
      row({ signal: 'access_log', minuteMask: all }),
      row({ signal: 'metrics', minute: M2, minuteMask: all }),
      row({ signal: 'access_log', minute: M2, minuteMask: all }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([false, true, true, false]);
  });

  it('keeps a signal for edges the better signal does not cover', () => {
    const sel = selectRows([
      row({ signal: 'metrics' }),
      row({ signal: 'spans', destinationService: 'details' }),
      row({ signal: 'spans', ...gateway, ...toProductpage }),
    ]);
    expect(sel.map((s) => s.counted)).toEqual([true, true, true]);
  });

  it('ignores signals whose rows do not count when choosing (no phantom precedence)', () => {
    const sel = selectRows([
      row({ signal: 'access_log', ...gateway, ...toProductpage }),
      row({
        signal: 'access_log',
        ...legacy,
        ...toProductpage,
        reporter: 'destination',
      }),
      row({
        signal: 'spans',
        ...legacy,
        ...toProductpage,
        reporter: 'destination',
      }),
    ]);
    // The unnamed inbound line does not count, so it does not make access logs the best
    // signal for its own sake; but the gateway's line counted traffic into productpage, and an
    // unnamed caller competes per service: the legacy root span gives way.
    expect(sel.map((s) => s.counted)).toEqual([true, false, false]);
  });

  it('lets unnamed callers compete per destination service, so unnamed rows never double a better signal', () => {
    // Access-log lines pushed without pod context: every caller is unnamed.
    const noCtx = { signal: 'access_log', ...legacy };
    const sel = selectRows([
      row({ signal: 'metrics' }),
      row({ ...noCtx }),
      row({ signal: 'spans' }),
      row({ ...noCtx, minute: M2 }),
      row({ signal: 'spans', minute: M2 }),
    ]);
    // M1: metrics win (the unnamed access-log rows give way to them for the whole service).
    // M2: the access-log rows lost their callers: the spans, which name them, win.
    expect(sel.map((s) => s.counted)).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    // Alone, unnamed rows are still counted (better than nothing, and never twice).
    expect(selectRows([row({ ...noCtx })]).map((s) => s.counted)).toEqual([
      true,
    ]);
  });

  it('ranks signals', () => {
    expect(['metrics', 'access_log', 'spans', 'other'].map(signalRank)).toEqual(
      [0, 2, 4, 6],
    );
  });
});
