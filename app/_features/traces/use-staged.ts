'use client';

import { useEffect, useState } from 'react';
import { decodeSkeleton, type SkeletonTrace } from './skeleton';

/**
 * Work on a large trace spread over several tasks of the main thread: each step runs in its own
 * task (setTimeout 0), so the browser paints and handles input between them instead of freezing
 * for their sum (issue #7: a 100,000-span trace opens without freezing the tab).
 */

/** The skeleton decoded in a task of its own (JSON.parse of a few MB for 100,000 spans). */
export function useDecodedTrace(
  encoded: string | undefined,
): SkeletonTrace | undefined {
  const [decoded, setDecoded] = useState<{
    from: string;
    trace: SkeletonTrace;
  }>();
  useEffect(() => {
    if (!encoded) return;
    const h = setTimeout(
      () => setDecoded({ from: encoded, trace: decodeSkeleton(encoded) }),
      0,
    );
    return () => clearTimeout(h);
  }, [encoded]);
  return decoded && decoded.from === encoded ? decoded.trace : undefined;
}

/** `compute(input)` in a later task; undefined until then (and while `input` is undefined). */
export function useLater<I extends object, O>(
  input: I | undefined,
  compute: (input: I) => O,
): O | undefined {
  const [out, setOut] = useState<{ from: I; value: O }>();
  useEffect(() => {
    if (!input) return;
    const h = setTimeout(
      () => setOut({ from: input, value: compute(input) }),
      0,
    );
    return () => clearTimeout(h);
  }, [input, compute]);
  return out && out.from === input ? out.value : undefined;
}
