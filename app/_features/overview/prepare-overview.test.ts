import { describe, expect, it } from 'vitest';
import {
  describeListeners,
  formatBytes,
  formatCount,
  hostOf,
  portOf,
  summarizeTables,
  type TableStat,
} from './prepare-overview';

const table = (
  name: string,
  rows: number | null,
  kind: TableStat['kind'] = 'telemetry',
): TableStat => ({
  name,
  kind,
  rows,
  bytes: rows === null ? null : rows * 10,
});

describe('summarizeTables', () => {
  it('leads with instructions while only bookkeeping tables have rows', () => {
    const s = summarizeTables([
      table('meshlens_migrations', 6, 'config'),
      table('otel_traces', 0),
    ]);
    expect(s.hasData).toBe(false);
    expect(s.telemetry.map((r) => r.name)).toEqual(['otel_traces']);
    expect(s.config.map((r) => r.name)).toEqual(['meshlens_migrations']);
    expect(s.totalRows).toBe('0');
  });

  it('leads with counts once a telemetry table has a row, leaving unknown counts out of totals', () => {
    const s = summarizeTables([
      table('mesh_requests', 1500),
      table('otel_traces_dist', null),
    ]);
    expect(s.hasData).toBe(true);
    expect(s.totalRows).toBe('1,500');
    expect(s.telemetry[1]).toMatchObject({ rows: '—', rowCount: null });
    expect(s.telemetry[1]?.note).toMatch(/Distributed/);
  });
});

describe('formatting', () => {
  it('formats counts with separators and unknown as a dash', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
  });

  it('formats bytes in binary units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50.0 MiB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GiB');
  });
});

describe('listeners', () => {
  it('puts ingest listeners first and fills in what they serve when the process did not say', () => {
    const views = describeListeners([
      { name: 'web', url: 'http://127.0.0.1:3000', serves: ['dashboard'] },
      { name: 'zipkin', url: 'http://127.0.0.1:9411', serves: [] },
      { name: 'otlp-grpc', url: 'grpc://127.0.0.1:4317', serves: [] },
    ]);
    expect(views.map((v) => v.name)).toEqual(['otlp-grpc', 'zipkin', 'web']);
    expect(views[1]?.serves.join(' ')).toContain('/api/v2/spans');
    expect(views[2]?.serves).toEqual(['dashboard']);
  });

  it('reads ports and hosts from listener URLs, IPv6 included', () => {
    expect(portOf('grpc://127.0.0.1:14317', 4317)).toBe(14317);
    expect(portOf('http://[::1]:9411', 1)).toBe(9411);
    expect(portOf(undefined, 4317)).toBe(4317);
    expect(hostOf('grpc://10.0.0.5:4317')).toBe('10.0.0.5');
    expect(hostOf('http://[::1]:9411')).toBe('::1');
  });
});
