import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedSidecar } from '~/test/fixtures/metrics/sidecar-sim';
import { parseExposition } from '../prometheus-shared/exposition';
import { parseScrape, TargetSeriesCache } from './fast-scrape';
import { scrapeSamples, type SeriesRef } from './scrape-samples';

const FIXTURES = path.join(
  import.meta.dirname,
  '../../../test/fixtures/metrics',
);
const target = {
  job: 'mesh',
  instance: '10.0.0.1:15020',
  namespace: 'bookinfo',
};

/** Scrapes `bodies` in turn both ways and expects the same samples every time. */
function same(bodies: string[]): void {
  const cache = new TargetSeriesCache();
  let previous = new Map<string, SeriesRef>();
  for (const [i, text] of bodies.entries()) {
    const ts = 1_700_000_000_000 + i * 1000;
    const slow = scrapeSamples(
      parseExposition(text, 'text'),
      target,
      ts,
      previous,
      i > 0,
    );
    const fast = parseScrape(text, 'text', target, cache, ts, previous, i > 0);
    expect(fast.samples).toEqual(slow.samples);
    expect([...fast.current.keys()]).toEqual([...slow.current.keys()]);
    previous = slow.current;
  }
}

describe('fast scrape parse', () => {
  it('gives what the full parser gives on sidecar output, scrape after scrape', () => {
    const sim = new SimulatedSidecar([
      {
        reporter: 'destination',
        sourceWorkload: 'productpage-v1',
        sourceNamespace: 'bookinfo',
        destinationWorkload: 'reviews-v1',
        destinationNamespace: 'bookinfo',
        destinationService: 'reviews',
      },
    ]);
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) {
      sim.record(0, 5 + i * 100);
      bodies.push(sim.render());
    }
    same(bodies);
    const envoy = fs.readFileSync(
      path.join(FIXTURES, 'envoy-prometheus-histogram-fragment.prom'),
      'utf8',
    );
    same([envoy, envoy]);
  });

  it('follows TYPE changes, timestamps, odd spacing, duplicates, escapes and special values', () => {
    const a = [
      '# TYPE x counter',
      'x_total{a="1"} 5',
      'x{a="q\\"uo}te",b="l\\\\n"} 2 1700000000123',
      'y{le="1"}  3',
      'y{le="1"} 4',
      'z NaN',
      'z2 +Inf',
      'w\t7',
      'v 1e3 ',
      '',
      '   ',
    ].join('\n');
    const b = a
      .replace('# TYPE x counter', '# TYPE x gauge')
      .replace(' 5', ' 6');
    const c = `# TYPE y histogram\n${a.replace(/^# TYPE x counter\n/, '')}`;
    same([a, b, c, a, `${a}\n# EOF\n\n`]);
  });

  it('throws the parser’s error for a malformed line, first sight or cached', () => {
    const cache = new TargetSeriesCache();
    const good = 'm{a="b"} 1\n';
    parseScrape(good, 'text', target, cache, 1, new Map(), false);
    for (const bad of [
      'm{a="b"} 1x\n',
      'm{a="b"} 1 2 3\n',
      'm{a="b"} 1 12.5\n',
      'm{a="b" 1\n',
      '<html>\n',
      `${good}# EOF\nm{a="b"} 2\n`,
    ]) {
      let expected: unknown;
      try {
        parseExposition(bad, 'text');
      } catch (err) {
        expected = err;
      }
      expect(expected).toBeInstanceOf(Error);
      expect(() =>
        parseScrape(bad, 'text', target, cache, 2, new Map(), true),
      ).toThrow((expected as Error).message);
    }
  });
});
