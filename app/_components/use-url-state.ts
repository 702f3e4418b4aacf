'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import { applyParams } from './url-params';

type Params = { get(name: string): string | null };

/**
 * A view's state kept in the URL (shareable): `parse` reads it, `toParams` turns a change into
 * parameters. The returned setter is stable and replaces the history entry.
 */
export function useUrlState<S>(
  parse: (p: Params) => S,
  toParams: (patch: Partial<S>) => Record<string, string | null>,
): [S, (patch: Partial<S>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = params.toString();
  const state = useMemo(
    () => parse(new URLSearchParams(query)),
    [parse, query],
  );
  const current = useRef(query);
  current.current = query;
  const update = useCallback(
    (patch: Partial<S>) => {
      const next = applyParams(current.current, toParams(patch));
      if (next === current.current) return;
      current.current = next;
      router.replace(next ? `${pathname}?${next}` : pathname, {
        scroll: false,
      });
    },
    [router, pathname, toParams],
  );
  return [state, update];
}
