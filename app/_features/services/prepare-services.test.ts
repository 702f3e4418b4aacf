import { describe, expect, it } from 'vitest';
import {
  filterServices,
  parseServicesState,
  sortServices,
  type ServiceRowIn,
} from './prepare-services';

function row(
  service: string,
  rps: number,
  p95: number | null,
  mtls: number | null = 1,
): ServiceRowIn {
  return {
    namespace: 'bookinfo',
    service,
    requestsPerSecond: rps,
    connectionsPerSecond: 0,
    errorRatio: 0,
    clientErrorRatio: 0,
    latencyMs: { p50: null, p95, p99: null },
    mtlsShare: mtls,
  };
}

describe('service list sorting and filtering', () => {
  const rows = [
    row('reviews', 11, 40),
    row('ratings', 3, null, null),
    row('details', 11, 10),
    row('catalog', 5, 5),
  ];

  it('sorts by any column, nulls last, ties by name', () => {
    expect(
      sortServices(rows, 'requestsPerSecond', 'desc').map((r) => r.service),
    ).toEqual(['details', 'reviews', 'catalog', 'ratings']);
    expect(sortServices(rows, 'p95', 'asc').map((r) => r.service)).toEqual([
      'catalog',
      'details',
      'reviews',
      'ratings',
    ]);
    expect(sortServices(rows, 'p95', 'desc').map((r) => r.service)).toEqual([
      'reviews',
      'details',
      'catalog',
      'ratings',
    ]);
    expect(sortServices(rows, 'service', 'asc').map((r) => r.service)).toEqual([
      'catalog',
      'details',
      'ratings',
      'reviews',
    ]);
  });

  it('filters by text and reads its URL state', () => {
    expect(filterServices(rows, 'RAT').map((r) => r.service)).toEqual([
      'ratings',
    ]);
    expect(
      parseServicesState(new URLSearchParams('sort=p95&ns=a,b')),
    ).toMatchObject({ sort: 'p95', dir: 'desc', namespaces: ['a', 'b'] });
    expect(parseServicesState(new URLSearchParams('sort=service')).dir).toBe(
      'asc',
    );
  });
});
