'use client';

import { useEffect } from 'react';
import { ErrorNotice } from '../_components/ErrorNotice';

/** Catches a failing view; the navigation (in the layout) stays usable. */
export default function ViewError({
  error,
  retry,
}: {
  error: unknown;
  retry: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const message = error instanceof Error ? error.message : String(error);
  return (
    <ErrorNotice title="This view failed to draw" message={message}>
      <p>
        The rest of Meshlens still works. Try again; if it keeps failing, the
        server log (and the browser console) has the details.
      </p>
      <button type="button" className="btn" onClick={() => retry()}>
        Try again
      </button>
    </ErrorNotice>
  );
}
