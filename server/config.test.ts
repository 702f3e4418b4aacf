import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, parseConfig } from './config';

describe('config', () => {
  it('needs nothing set: embedded engine in ./data, loopback listeners, default ports', () => {
    const c = parseConfig({});
    expect(c.clickhouseUrl).toBeUndefined();
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.host).toBe('127.0.0.1');
    expect(c.ports).toEqual({
      web: 3000,
      otlpGrpc: 4317,
      otlpHttp: 4318,
      zipkin: 9411,
    });
    expect(c.roles).toEqual(['collector', 'web', 'alerts']);
  });

  it('coerces numbers, booleans and role lists', () => {
    const c = parseConfig({
      MESHLENS_WEB_PORT: '0',
      MESHLENS_MIGRATE_ON_START: 'false',
      MESHLENS_ROLES: 'collector, web',
      MESHLENS_TTL_SPANS_DAYS: '3',
    });
    expect(c.ports.web).toBe(0);
    expect(c.env.MESHLENS_MIGRATE_ON_START).toBe(false);
    expect(c.roles).toEqual(['collector', 'web']);
    expect(c.ttlDays.spans).toBe(3);
  });

  it('treats empty strings as unset', () => {
    expect(
      parseConfig({ MESHLENS_WEB_PORT: '', CLICKHOUSE_URL: '' }).ports.web,
    ).toBe(3000);
  });

  it('refuses every bad value at once, naming each variable and what it got', () => {
    let error: unknown;
    try {
      parseConfig({
        MESHLENS_WEB_PORT: 'eighty',
        CLICKHOUSE_URL: 'not a url',
        MESHLENS_ROLES: 'web,collecter',
        MESHLENS_TTL_SPANS_DAYS: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('MESHLENS_WEB_PORT');
    expect(message).toContain('"eighty"');
    expect(message).toContain('CLICKHOUSE_URL');
    expect(message).toContain('collecter');
    expect(message).toContain('MESHLENS_TTL_SPANS_DAYS');
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  it('refuses unknown MESHLENS_ variables (typos) instead of ignoring them', () => {
    expect(() => parseConfig({ MESHLENS_WEB_PROT: '3000' })).toThrow(
      /MESHLENS_WEB_PROT: unknown variable/,
    );
  });

  it('refuses a database name that is not a plain identifier', () => {
    expect(() =>
      parseConfig({ CLICKHOUSE_DATABASE: 'x; DROP TABLE y' }),
    ).toThrow(/CLICKHOUSE_DATABASE/);
  });

  it('.env.example lists exactly the variables of the schema', () => {
    const text = fs.readFileSync(
      path.resolve(import.meta.dirname, '../.env.example'),
      'utf8',
    );
    const listed = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)]
      .map((m) => m[1])
      .sort();
    expect(listed).toEqual(Object.keys(envSchema.shape).sort());
  });
});
