import { describe, expect, it } from 'vitest';
import { readMigrations } from './migrate';
import {
  renderMigration,
  renderStatement,
  splitStatements,
} from './render-sql';

const ttlDays = {
  spans: 7,
  requests: 7,
  metrics: 15,
  rollups: 30,
  deadLetters: 7,
};
const single = { database: 'meshlens', ttlDays };
const cluster = { database: 'meshlens', cluster: 'prod', ttlDays };

describe('migration rendering', () => {
  it('splits statements at line-ending semicolons and drops comment-only chunks', () => {
    expect(
      splitStatements("-- a\nSELECT 1;\nSELECT ';' ;\n-- only a comment\n"),
    ).toEqual(['-- a\nSELECT 1', "SELECT ';'"]);
  });

  it('renders a single-node table as plain MergeTree with no cluster clause', () => {
    const sql = renderStatement(
      'CREATE TABLE IF NOT EXISTS {{local:t}}{{on_cluster}} (x UInt8) ENGINE = {{engine:ReplacingMergeTree(v)}} ORDER BY x TTL d + toIntervalDay({{ttl_days:spans}})',
      single,
    );
    expect(sql).toBe(
      'CREATE TABLE IF NOT EXISTS `meshlens`.`t` (x UInt8) ENGINE = ReplacingMergeTree(v) ORDER BY x TTL d + toIntervalDay(7)',
    );
  });

  it('renders a cluster table as a Replicated local table with the shard macro in its path', () => {
    const sql = renderStatement(
      'CREATE TABLE IF NOT EXISTS {{local:t}}{{on_cluster}} (x UInt8) ENGINE = {{engine:ReplacingMergeTree(v)}} ORDER BY x',
      cluster,
    );
    expect(sql).toBe(
      "CREATE TABLE IF NOT EXISTS `meshlens`.`t_local` ON CLUSTER `prod` (x UInt8) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/meshlens/t_local', '{replica}', v) ORDER BY x",
    );
  });

  it('renders global tables replicated to every node, without a shard in the path', () => {
    const sql = renderStatement(
      'CREATE TABLE IF NOT EXISTS {{global:rules}}{{on_cluster}} (x UInt8) ENGINE = {{global_engine:MergeTree()}} ORDER BY x',
      cluster,
    );
    expect(sql).toContain(
      "ReplicatedMergeTree('/clickhouse/tables/meshlens/meshlens/rules', '{replica}')",
    );
    expect(sql).toContain('`meshlens`.`rules` ON CLUSTER');
  });

  it('emits Distributed tables only on a cluster', () => {
    expect(renderMigration('{{distributed:t|rand()}};', single)).toEqual([]);
    expect(
      renderMigration('{{distributed:t|cityHash64(id)}};', cluster),
    ).toEqual([
      "CREATE TABLE IF NOT EXISTS `meshlens`.`t` ON CLUSTER `prod` AS `meshlens`.`t_local` ENGINE = Distributed('prod', 'meshlens', 't_local', cityHash64(id))",
    ]);
  });

  it('refuses unknown placeholders and TTL keys', () => {
    expect(() => renderStatement('SELECT {{nope}}', single)).toThrow(
      /unknown placeholder/,
    );
    expect(() =>
      renderStatement('SELECT {{ttl_days:forever}}', single),
    ).toThrow(/unknown TTL key/);
  });

  it('every migration statement is idempotent (IF NOT EXISTS) and uses no raw database name', () => {
    for (const file of readMigrations()) {
      for (const statement of renderMigration(file.sql, single)) {
        if (/^\s*(--[^\n]*\n\s*)*CREATE/i.test(statement)) {
          expect(statement, `${file.name}: ${statement.slice(0, 80)}`).toMatch(
            /IF NOT EXISTS/,
          );
        }
      }
      expect(file.sql, file.name).not.toMatch(/\bmeshlens\./);
    }
  });

  it('on a cluster, every table reference points at local tables inside materialized views', () => {
    for (const file of readMigrations()) {
      for (const statement of renderMigration(file.sql, cluster)) {
        if (/MATERIALIZED VIEW/.test(statement)) {
          expect(statement).toMatch(/ON CLUSTER `prod`/);
          expect(statement).toMatch(/TO `meshlens`.`\w+_local`/);
          expect(statement).toMatch(/FROM `meshlens`.`\w+_local`/);
        }
      }
    }
  });
});
