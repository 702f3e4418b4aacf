/**
 * Renders migration templates for a single node or a cluster from the same file.
 *
 * Placeholders (all other text is plain ClickHouse SQL):
 *   {{db}}                      the database, quoted
 *   {{on_cluster}}              nothing, or ` ON CLUSTER 'name'`
 *   {{local:NAME}}              the table that stores rows: db.NAME, or db.NAME_local on a cluster
 *   {{table:NAME}}              the table queries and inserts use: db.NAME (Distributed on a cluster)
 *   {{global:NAME}}             a small table replicated to every node (config state): db.NAME
 *   {{engine:XMergeTree(a)}}    XMergeTree(a), or ReplicatedXMergeTree('<path with {shard}>', '{replica}', a)
 *   {{global_engine:X(a)}}      as engine:, but one replica set across the whole cluster (no {shard})
 *   {{ttl_days:KEY}}            retention in days from config (spans, requests, metrics, rollups, deadLetters)
 *   {{distributed:NAME|EXPR}}   a whole statement: on a cluster, the Distributed table NAME over
 *                               NAME_local sharded by EXPR; on a single node, nothing.
 * `{shard}` and `{replica}` with single braces are ClickHouse server macros and pass through.
 */

export interface RenderOptions {
  database: string;
  cluster?: string | undefined;
  ttlDays: Record<string, number>;
}

export class MigrationRenderError extends Error {
  override name = 'MigrationRenderError';
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quoteIdent(name: string): string {
  if (!identifier.test(name))
    throw new MigrationRenderError(`bad identifier "${name}"`);
  return `\`${name}\``;
}

function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Splits a file into statements at a `;` that ends a line. Comment-only chunks are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, '').trim().length > 0);
}

/** The storage table a CREATE TABLE statement defines, needed to name its replication path. */
function definedLocalTable(statement: string): string | undefined {
  const m =
    /CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?\{\{(?:local|global):(\w+)\}\}/i.exec(
      statement,
    );
  return m?.[1];
}

function renderEngine(
  spec: string,
  table: string | undefined,
  opts: RenderOptions,
  global: boolean,
): string {
  const m = /^(\w*MergeTree)\((.*)\)$/s.exec(spec.trim());
  if (!m)
    throw new MigrationRenderError(
      `engine "${spec}" is not a *MergeTree(...) engine`,
    );
  const [, engine, args] = m as unknown as [string, string, string];
  if (!opts.cluster) return `${engine}(${args})`;
  if (!table) {
    throw new MigrationRenderError(
      `{{engine:...}} outside a CREATE TABLE {{local:NAME}} statement`,
    );
  }
  const stored = global ? table : `${table}_local`;
  const zkPath = global
    ? `/clickhouse/tables/meshlens/${opts.database}/${stored}`
    : `/clickhouse/tables/{shard}/${opts.database}/${stored}`;
  const replicatedArgs = [
    quoteString(zkPath),
    quoteString('{replica}'),
    args.trim(),
  ]
    .filter((a) => a.length > 0)
    .join(', ');
  return `Replicated${engine}(${replicatedArgs})`;
}

function renderDistributed(spec: string, opts: RenderOptions): string {
  const [name, expr] = spec.split('|').map((s) => s.trim());
  if (!name || !expr)
    throw new MigrationRenderError(`{{distributed:${spec}}} needs NAME|EXPR`);
  if (!opts.cluster) return '';
  const db = quoteIdent(opts.database);
  return (
    `CREATE TABLE IF NOT EXISTS ${db}.${quoteIdent(name)} ON CLUSTER ${quoteIdent(opts.cluster)} ` +
    `AS ${db}.${quoteIdent(`${name}_local`)} ` +
    `ENGINE = Distributed(${quoteString(opts.cluster)}, ${quoteString(opts.database)}, ` +
    `${quoteString(`${name}_local`)}, ${expr})`
  );
}

/** Renders one statement; returns '' when it does not apply in this mode. */
export function renderStatement(
  statement: string,
  opts: RenderOptions,
): string {
  const trimmed = statement.trim();
  const whole = /^\{\{distributed:([^}]*)\}\}$/.exec(trimmed);
  if (whole) return renderDistributed(whole[1] ?? '', opts);
  const table = definedLocalTable(trimmed);
  const db = quoteIdent(opts.database);
  return trimmed.replace(
    /\{\{(\w+)(?::([^}]*))?\}\}/g,
    (_all, key: string, arg?: string) => {
      switch (key) {
        case 'db':
          return db;
        case 'on_cluster':
          return opts.cluster ? ` ON CLUSTER ${quoteIdent(opts.cluster)}` : '';
        case 'local':
          return `${db}.${quoteIdent(opts.cluster ? `${arg}_local` : String(arg))}`;
        case 'table':
        case 'global':
          return `${db}.${quoteIdent(String(arg))}`;
        case 'engine':
          return renderEngine(String(arg), table, opts, false);
        case 'global_engine':
          return renderEngine(String(arg), table, opts, true);
        case 'ttl_days': {
          const days = opts.ttlDays[String(arg)];
          if (days === undefined)
            throw new MigrationRenderError(`unknown TTL key "${arg}"`);
          return String(days);
        }
        default:
          throw new MigrationRenderError(`unknown placeholder {{${key}}}`);
      }
    },
  );
}

/** Renders a whole migration file into the statements to run, in order. */
export function renderMigration(sql: string, opts: RenderOptions): string[] {
  return splitStatements(sql)
    .map((s) => renderStatement(s, opts))
    .filter((s) => s.length > 0);
}
