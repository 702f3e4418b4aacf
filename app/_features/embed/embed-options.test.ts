import { describe, expect, it } from 'vitest';
import { parseEmbedOptions, tokenOrigins } from './embed-options';

describe('parseEmbedOptions', () => {
  it('reads theme, colours, refresh and what to show', () => {
    const o = parseEmbedOptions({
      token: 'a.b.c',
      theme: 'dark',
      accent: 'ff0066',
      bg: '#101010',
      refresh: '15',
      minutes: '60',
      namespaces: 'bookinfo, shop',
      graphType: 'service',
    });
    expect(o).toMatchObject({
      token: 'a.b.c',
      theme: 'dark',
      colors: { '--accent': '#ff0066', '--bg': '#101010' },
      refreshMs: 15_000,
      lastMs: 3_600_000,
      namespaces: ['bookinfo', 'shop'],
      graphType: 'service',
    });
  });

  it('drops what is not a hex colour and clamps numbers', () => {
    const o = parseEmbedOptions({
      accent: 'red;background:url(x)',
      text: '"><script>',
      refresh: '1',
      minutes: 'lots',
      theme: 'neon',
    });
    expect(o.colors).toEqual({});
    expect(o.refreshMs).toBe(10_000);
    expect(o.lastMs).toBe(15 * 60_000);
    expect(o.theme).toBe('auto');
  });
});

describe('tokenOrigins', () => {
  it('reads the allowed origins from a token payload, and nothing from junk', () => {
    const payload = Buffer.from(
      JSON.stringify({ org: ['http://127.0.0.1:8080'] }),
    ).toString('base64url');
    expect(tokenOrigins(`h.${payload}.s`)).toEqual(['http://127.0.0.1:8080']);
    expect(tokenOrigins('nonsense')).toEqual([]);
    expect(tokenOrigins('a.!!!.c')).toEqual([]);
  });
});
