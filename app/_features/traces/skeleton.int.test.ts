import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '~/server/api/root';
import { createInnerContext } from '~/server/api/trpc';
import { traceById } from '~/server/queries/traces';
import {
  generateTrace,
  insertSpans,
  type SpanSpec,
} from '~/server/queries/traces-fixtures';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { decodeSkeleton } from './skeleton';

let t: TempDb;
const ID = '0af7651916cd43dd8448eb211c80319c';
const T0 = Date.now() - 60_000;
// 2,000 spans, one with an event at a sub-millisecond offset and fractional durations.
const specs: SpanSpec[] = generateTrace(ID, 2_000, { startMs: T0 }).map(
  (s, i) =>
    i === 7 ? { ...s, events: [{ atMs: s.startMs + 0.25, name: 'retry' }] } : s,
);

beforeAll(async () => {
  t = await tempDb();
  await insertSpans(t.db, specs);
});
afterAll(async () => {
  await t?.close();
});

describe('the trace page skeleton', () => {
  it('decodes to the spans traceById reads: ids, parents, names, kinds, status, times, events', async () => {
    const caller = createCaller(
      createInnerContext({ db: () => Promise.resolve(t.db) }),
    );
    const sk = await caller.traces.skeleton({ traceId: ID });
    expect(sk).toMatchObject({
      traceId: ID,
      spanCount: 2_000,
      truncated: false,
    });
    const decoded = decodeSkeleton(sk.encoded);
    const full = (await traceById(t.db, ID))!;
    expect(decoded.spans).toEqual(
      full.spans.map((s) => ({
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        service: s.service,
        name: s.name,
        kind: s.kind,
        status: { code: s.status.code },
        startUs: s.startUs,
        durationUs: s.durationUs,
        events: s.events.map((e) => ({ timeUs: e.timeUs, name: e.name })),
      })),
    );
    const withEvent = decoded.spans.find((s) => s.spanId === specs[7]!.spanId)!;
    expect(withEvent.events).toEqual([
      { timeUs: Math.trunc((specs[7]!.startMs + 0.25) * 1000), name: 'retry' },
    ]);
    expect(decoded.spans.filter((s) => s.status.code === 'Error').length).toBe(
      specs.filter((s) => s.error).length,
    );
  });

  it('gives the selected span and its parent in full, and 404 for an unknown trace', async () => {
    const caller = createCaller(
      createInnerContext({ db: () => Promise.resolve(t.db) }),
    );
    const child = specs[9]!;
    const r = await caller.traces.spans({
      traceId: ID,
      spanIds: [child.spanId, child.parentSpanId!],
    });
    expect(r.spans.map((s) => s.spanId).sort()).toEqual(
      [child.spanId, child.parentSpanId!].sort(),
    );
    const got = r.spans.find((s) => s.spanId === child.spanId)!;
    expect(got.attributes).toMatchObject(child.attributes!);
    expect(r.resources[got.resource]).toEqual({
      'service.name': child.service,
    });
    await expect(
      caller.traces.skeleton({ traceId: 'f'.repeat(32) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      caller.traces.spans({ traceId: ID, spanIds: ['nothex'] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
