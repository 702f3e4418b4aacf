/**
 * The Native-block insert stores exactly what an inline JSONEachRow insert stores: the same rows
 * go into a table through RowInserter and into its twin through client.insert, and the two
 * tables must read back equal, for every table the collectors write and awkward values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { ROWS_PER_BLOCK } from './native-block';
import { RowInserter, insertPhases } from './row-inserter';

let t: TempDb;
let inserter: RowInserter;
beforeAll(async () => {
  t = await tempDb();
  inserter = new RowInserter(t.db);
});
afterAll(async () => {
  await t.close();
});

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
/** 'YYYY-MM-DD HH:MM:SS.nnnnnnnnn' as the span normalizers write it. */
const nanos = (msAgo: number, ns: string) =>
  `${iso(msAgo).slice(0, 19).replace('T', ' ')}.${ns}`;
const long = (n: number) => 'x'.repeat(n);

async function sameAsInline(table: string, rows: unknown[]): Promise<void> {
  const db = t.db.database;
  const twin = `${table}_twin`;
  // earlier inserts may have reached this table through materialized views
  await t.db.client.command({
    query: `TRUNCATE TABLE \`${db}\`.\`${table}\``,
  });
  await t.db.client.command({
    query: `DROP TABLE IF EXISTS \`${db}\`.\`${twin}\``,
  });
  await t.db.client.command({
    query: `CREATE TABLE \`${db}\`.\`${twin}\` AS \`${db}\`.\`${table}\``,
  });
  expect(await inserter.insert(table, rows)).toBe('native');
  await t.db.client.insert({
    table: `${db}.${twin}`,
    values: rows,
    format: 'JSONEachRow',
  });
  const read = (name: string) =>
    t.rows(
      `SELECT * FROM {db:Identifier}.{t:Identifier} ORDER BY toString(tuple(*))`,
      { t: name },
    );
  const native = await read(table);
  expect(native).toHaveLength(rows.length);
  expect(native).toEqual(await read(twin));
}

describe('Native-block inserts store what JSONEachRow stores', () => {
  it('mesh_requests: unicode, long strings, maps, arrays, missing fields, numbers as strings', async () => {
    await sameAsInline('mesh_requests', [
      {
        Timestamp: iso(1000),
        Kind: 'http',
        Reporter: 'inbound',
        Signal: 'file',
        DestinationService: 'reviews',
        Path: '/ü/日本語/😀?q=\u00e9',
        Authority: long(127),
        UserAgent: 'an unknown field is ignored',
        RequestId: long(128),
        UpstreamHost: long(20_000),
        ResponseCode: 503,
        ResponseFlags: ['UF', 'URX'],
        DurationMs: '42',
        BytesReceived: '18446744073709551615',
        BytesSent: 9007199254740993n.toString(),
        Extra: { ключ: 'значение', empty: '', n: '1' },
      },
      {
        Timestamp: '2026-11-24T10:00:00.5+01:00',
        Kind: 'tcp',
        ResponseFlags: [],
        Extra: {},
        DurationMs: 7,
        SourceWorkload: null,
      },
      { Timestamp: iso(3000), Path: 'é'.repeat(64), Method: 'GET' },
      { Timestamp: iso(4000), Path: '\t\n"\\\u0000', Method: '' },
    ]);
  });

  it('otel_traces: nanosecond timestamps, nested events and links', async () => {
    await sameAsInline('otel_traces', [
      {
        Timestamp: nanos(1000, '123456789'),
        TraceId: '0af7651916cd43dd8448eb211c80319c',
        SpanId: 'b7ad6b7169203331',
        ParentSpanId: '',
        SpanName: 'GET /',
        SpanKind: 'Server',
        ServiceName: 'productpage.bookinfo',
        ResourceAttributes: { 'service.name': 'productpage.bookinfo' },
        SpanAttributes: { 'http.status_code': '200', ü: 'ö' },
        Duration: 864197532,
        StatusCode: 'Unset',
        'Events.Timestamp': [nanos(900, '000000001'), nanos(800, '999999999')],
        'Events.Name': ['cr', 'ss'],
        'Events.Attributes': [{ a: '1' }, {}],
        'Links.TraceId': ['0af7651916cd43dd8448eb211c80319d'],
        'Links.SpanId': ['b7ad6b7169203332'],
        'Links.TraceState': ['ot=th:8'],
        'Links.Attributes': [{ k: 'v' }],
      },
      {
        Timestamp: nanos(2000, '5'),
        TraceId: '00000000000000000000000000000001',
        SpanId: '0000000000000001',
        Duration: '18446744073709551615',
        'Events.Timestamp': [],
        'Events.Name': [],
        'Events.Attributes': [],
      },
    ]);
  });

  it('a batch larger than one block goes in as consecutive blocks, every row in its place', async () => {
    // ROWS_PER_BLOCK * 2 + 3 rows: three blocks, the last a short one; values differ per block
    // (ASCII only in one, long and non-ASCII strings in another) so each block takes its own path
    const n = ROWS_PER_BLOCK * 2 + 3;
    const rows = Array.from({ length: n }, (_, i) => ({
      Timestamp: nanos(1000 + i, String(i).padStart(9, '0')),
      TraceId: i.toString(16).padStart(32, '0'),
      SpanId: i.toString(16).padStart(16, '0'),
      SpanName: i < ROWS_PER_BLOCK ? `GET /${i}` : `GET /ü/${long(i % 200)}`,
      ServiceName: `svc-${i % 7}`,
      SpanAttributes:
        i % 3 === 0
          ? {}
          : { [`k${i % 5}`]: `v${i}`, 'http.status_code': '200' },
      Duration: i * 1000,
      'Events.Timestamp': i % 4 === 0 ? [nanos(900, '1')] : [],
      'Events.Name': i % 4 === 0 ? [`e${i}`] : [],
      'Events.Attributes': i % 4 === 0 ? [{ i: String(i) }] : [],
    }));
    await sameAsInline('otel_traces', rows);
  });

  it('metric tables: Nullable, special floats, UInt64 map keys, SimpleAggregateFunction, an omitted AggregateFunction', async () => {
    await sameAsInline('metric_samples', [
      {
        MetricName: 'istio_requests_total',
        SeriesId: '12345678901234567890',
        Timestamp: iso(1000),
        Value: 1.5,
        Increase: null,
        MetricType: 'counter',
        Stale: 0,
        Source: 'scrape',
        Job: 'j',
        Instance: 'i',
      },
      {
        MetricName: 'm',
        SeriesId: 1,
        Timestamp: iso(2000),
        Value: '+inf',
        Increase: 0.25,
        Stale: 1,
      },
      { MetricName: 'm', SeriesId: 2, Timestamp: iso(3000), Value: '-inf' },
    ]);
    await sameAsInline('metric_series', [
      {
        SeriesId: '18446744073709551615',
        MetricName: 'm',
        Labels: { job: 'a', le: '+Inf' },
        LastSeen: iso(1000),
      },
    ]);
    await sameAsInline('edge_rollups_1m', [
      {
        Minute: '2026-11-24 10:01:00',
        Signal: 'metrics',
        Reporter: 'source',
        SourceService: 'a',
        DestinationService: 'b',
        ResponseCode: 200,
        Requests: 3,
        DurationSumMs: 1.25,
        DurationBuckets: { '500': 1, '18446744073709551615': 2 },
      },
    ]);
  });
});

describe('DEFAULT expressions through the Native block', () => {
  it('a DEFAULT column no row gives is left to its expression; one every row gives is stored', async () => {
    const db = t.db.database;
    await t.db.client.command({
      query: `CREATE TABLE \`${db}\`.defaults_native (a String, b String DEFAULT concat('from-', a), c DateTime64(3) DEFAULT now64(3)) ENGINE = MergeTree ORDER BY a`,
    });
    expect(
      await inserter.insert('defaults_native', [{ a: 'x' }, { a: 'y' }]),
    ).toBe('native');
    expect(
      await inserter.insert('defaults_native', [
        { a: 'z', b: 'given', c: '2026-11-24 10:00:00.250' },
      ]),
    ).toBe('native');
    // only some rows give b: inline, where the engine applies the expression per row
    expect(
      await inserter.insert('defaults_native', [
        { a: 'v' },
        { a: 'w', b: 'given' },
      ]),
    ).toBe('inline');
    const rows = await t.rows<{ a: string; b: string; recent: number }>(
      `SELECT a, b, c > now64(3) - INTERVAL 1 HOUR AS recent
       FROM {db:Identifier}.defaults_native ORDER BY a`,
    );
    expect(rows).toEqual([
      { a: 'v', b: 'from-v', recent: 1 },
      { a: 'w', b: 'given', recent: 1 },
      { a: 'x', b: 'from-x', recent: 1 },
      { a: 'y', b: 'from-y', recent: 1 },
      { a: 'z', b: 'given', recent: 0 },
    ]);
  });

  it('blocks encoded when rows were queued (prepare) are used only when their columns fit the batch', async () => {
    const db = t.db.database;
    await t.db.client.command({
      query: `CREATE TABLE \`${db}\`.prepared_native (a String, n UInt32, b String DEFAULT concat('from-', a)) ENGINE = MergeTree ORDER BY a`,
    });
    const offer = (tag: string, count: number, withB: boolean) =>
      Array.from({ length: count }, (_, i) => ({
        a: `${tag}-${i}`,
        n: i,
        ...(withB ? { b: `given-${tag}` } : {}),
      }));
    await inserter.insert('prepared_native', offer('first', 1, false)); // reads the shape
    const before = insertPhases.preparedRows;
    // two offers prepared without b, one too small to prepare: the batch sends no b either way
    const parts = [
      offer('p', 100, false),
      offer('small', 3, false),
      offer('q', 70, false),
    ];
    for (const part of parts) inserter.prepare('prepared_native', part);
    expect(insertPhases.preparedRows - before).toBe(170);
    // a queued array that grew after it was prepared is encoded again, not sent short
    parts[2]!.push({ a: 'q-extra', n: 1000 });
    expect(await inserter.insert('prepared_native', parts.flat(), parts)).toBe(
      'native',
    );
    // an offer prepared with b, batched with one without: its block does not fit, so the
    // batch goes as the DEFAULT rule says (inline), not with the prepared block
    const mixed = [offer('r', 80, true), offer('s', 80, false)];
    for (const part of mixed) inserter.prepare('prepared_native', part);
    expect(await inserter.insert('prepared_native', mixed.flat(), mixed)).toBe(
      'inline',
    );
    const [row] = await t.rows<{
      rows: number;
      n: number;
      fromA: number;
      given: number;
    }>(
      `SELECT count() AS rows, sum(n) AS n, countIf(b = concat('from-', a)) AS fromA,
              countIf(b = 'given-r') AS given
       FROM {db:Identifier}.prepared_native`,
    );
    expect(row).toEqual({
      rows: 1 + 100 + 3 + 71 + 160,
      n: 4950 + 3 + 2415 + 1000 + 2 * 3160,
      fromA: 1 + 100 + 3 + 71 + 80,
      given: 80,
    });
  });

  it('otel_logs: TimestampTime follows Timestamp (its DEFAULT expression)', async () => {
    expect(
      await inserter.insert('otel_logs', [
        { Timestamp: nanos(60_000, '000000123'), Body: 'hello', TraceFlags: 1 },
      ]),
    ).toBe('native');
    const [row] = await t.rows<{ same: number }>(
      `SELECT TimestampTime = toDateTime(Timestamp) AS same FROM {db:Identifier}.otel_logs WHERE Body = 'hello'`,
    );
    expect(row?.same).toBe(1);
  });

  it('a value the column cannot take is a permanent error naming it', async () => {
    const bad = inserter.insert('mesh_requests', [
      { Timestamp: iso(1000), ResponseCode: 'not-a-number' },
    ]);
    await expect(bad).rejects.toMatchObject({
      name: 'RowValueError',
      code: '6',
    });
    await expect(bad).rejects.toThrow('"not-a-number" into a UInt16');
    await expect(
      inserter.insert('mesh_requests', [
        { Timestamp: iso(1), DurationMs: 7.9 },
      ]),
    ).rejects.toMatchObject({ name: 'RowValueError' });
    await expect(
      inserter.insert('mesh_requests', [{ Timestamp: 'yesterday-ish' }]),
    ).rejects.toMatchObject({ name: 'RowValueError' });
  });
});
