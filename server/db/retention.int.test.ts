import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '~/test/helpers/temp-db';
import { applyRetention, ttlRules } from './retention';

let t: TempDb;
beforeAll(async () => {
  t = await tempDb();
});
afterAll(async () => {
  await t.close();
});

async function ttlOf(table: string): Promise<string> {
  const [row] = await t.rows<{ q: string }>(
    'SELECT create_table_query AS q FROM system.tables WHERE database = {db:String} AND name = {t:String}',
    { t: table },
  );
  return /TTL (.+?) SETTINGS/s.exec(row?.q ?? '')?.[1] ?? '';
}

describe('retention', () => {
  it('knows which setting each telemetry table follows, from the migrations', () => {
    const byTable = Object.fromEntries(ttlRules().map((r) => [r.table, r.key]));
    expect(byTable).toMatchObject({
      otel_traces: 'spans',
      mesh_requests: 'requests',
      metric_samples: 'metrics',
      edge_rollups_1m: 'rollups',
      dead_letters: 'deadLetters',
    });
  });

  it('changes nothing when the tables already have the configured TTL', async () => {
    expect(await applyRetention(t.db, t.config.ttlDays)).toEqual([]);
  });

  it('applies a changed retention setting to existing tables, and only once', async () => {
    const changed = await applyRetention(t.db, {
      ...t.config.ttlDays,
      spans: 3,
      rollups: 90,
    });
    expect(changed).toEqual(
      expect.arrayContaining([
        { table: 'otel_traces', fromDays: 7, toDays: 3 },
        { table: 'otel_traces_trace_id_ts', fromDays: 7, toDays: 3 },
        { table: 'edge_rollups_1m', fromDays: 30, toDays: 90 },
        { table: 'edge_rollups_10m', fromDays: 30, toDays: 90 },
        { table: 'edge_rollups_1h', fromDays: 30, toDays: 90 },
      ]),
    );
    expect(changed).toHaveLength(5);
    expect(await ttlOf('otel_traces')).toContain('toIntervalDay(3)');
    expect(await ttlOf('edge_rollups_1m')).toContain('toIntervalDay(90)');
    expect(await ttlOf('mesh_requests')).toContain('toIntervalDay(7)');
    expect(
      await applyRetention(t.db, {
        ...t.config.ttlDays,
        spans: 3,
        rollups: 90,
      }),
    ).toEqual([]);
  });
});
