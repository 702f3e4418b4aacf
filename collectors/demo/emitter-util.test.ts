import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BoundedQueue, FailureReporter } from './emitter-util';

describe('BoundedQueue', () => {
  it('drops the oldest items beyond capacity and counts them', () => {
    const q = new BoundedQueue<number>(3);
    expect(q.push([1, 2])).toBe(0);
    expect(q.push([3, 4, 5])).toBe(2);
    expect(q.dropped).toBe(2);
    expect(q.take(10)).toEqual([3, 4, 5]);
    expect(q.length).toBe(0);
  });

  it('puts a failed batch back in front, trimming the oldest if needed', () => {
    const q = new BoundedQueue<number>(4);
    q.push([1, 2, 3, 4]);
    const batch = q.take(2);
    q.push([5, 6]);
    expect(q.unshift(batch)).toBe(2);
    expect(q.take(10)).toEqual([3, 4, 5, 6]);
    expect(q.dropped).toBe(2);
  });
});

describe('FailureReporter', () => {
  it('counts every failure but logs once per interval with the count since the last log', () => {
    const logged: unknown[] = [];
    const log = pino(
      { level: 'warn' },
      { write: (s: string) => logged.push(JSON.parse(s)) },
    );
    let now = 0;
    const r = new FailureReporter(log, 'push', 30_000, () => now);
    r.fail(new Error('refused'));
    now = 10_000;
    r.fail(new Error('refused'));
    r.fail(new Error('refused'));
    now = 31_000;
    r.fail(new Error('404'));
    expect(r.failures).toBe(4);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({
      failures: 3,
      failuresTotal: 4,
      error: '404',
    });
  });
});
