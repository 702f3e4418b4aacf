'use client';

/** Last-resort boundary when the root layout itself fails: it renders its own document. */
export default function GlobalError({
  error,
  retry,
}: {
  error: unknown;
  retry: () => void;
}) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <html lang="en">
      <body style={{ font: '14px system-ui, sans-serif', margin: '3rem' }}>
        <h1 style={{ fontSize: 18 }}>Meshlens could not draw this page</h1>
        <p>{message}</p>
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
      </body>
    </html>
  );
}
