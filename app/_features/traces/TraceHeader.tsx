'use client';

import { useTRPCClient } from '../../_trpc/client';
import type { SkeletonTrace } from './skeleton';
import { CopyButton } from '../../_components/CopyButton';
import { PageHeader } from '../../_components/PageHeader';
import { StatGrid } from '../../_components/StatGrid';
import type { PreparedTrace } from './prepare-trace';
import { formatDurationUs } from './view-math';
import Link from 'next/link';
import { useState } from 'react';

type TraceData = SkeletonTrace;

/** Title (root service and operation), key figures, and the OTLP JSON download. */
export function TraceHeader({
  trace,
  prepared,
}: {
  trace: TraceData;
  prepared: PreparedTrace;
}) {
  const client = useTRPCClient();
  const [downloading, setDownloading] = useState<'idle' | 'busy' | 'failed'>(
    'idle',
  );
  const root = trace.spans[prepared.tree.roots[0] ?? 0];
  const download = async () => {
    setDownloading('busy');
    try {
      const json = await client.traces.otlpJson.query({
        traceId: trace.traceId,
      });
      const blob = new Blob([JSON.stringify(json, null, 2)], {
        type: 'application/json',
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `trace-${trace.traceId}.otlp.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownloading('idle');
    } catch {
      setDownloading('failed');
    }
  };
  return (
    <>
      <PageHeader
        title={root ? `${root.service}: ${root.name}` : 'Trace'}
        description={
          <span className="trace-id-line">
            Trace <code>{trace.traceId}</code>{' '}
            <CopyButton text={trace.traceId} label="Copy id" />
          </span>
        }
        actions={
          <div className="trace-actions">
            <Link className="btn" href={`/traces/compare?a=${trace.traceId}`}>
              Compare with…
            </Link>
            <button
              type="button"
              className="btn"
              onClick={() => void download()}
              disabled={downloading === 'busy'}
            >
              {downloading === 'failed'
                ? 'Download failed: retry'
                : 'Download OTLP JSON'}
            </button>
          </div>
        }
      />
      <StatGrid
        label="Trace figures"
        items={[
          {
            label: 'Started',
            value: root
              ? new Date(root.startUs / 1000).toLocaleTimeString()
              : '–',
            title: root
              ? new Date(root.startUs / 1000).toISOString()
              : undefined,
          },
          {
            label: 'Duration',
            value: formatDurationUs(
              prepared.traceEndUs - prepared.traceStartUs,
            ),
          },
          { label: 'Services', value: prepared.services.length },
          { label: 'Spans', value: trace.spans.length },
          { label: 'Depth', value: prepared.maxDepth + 1 },
          {
            label: 'Errors',
            value: prepared.errorCount,
            tone: prepared.errorCount > 0 ? 'bad' : undefined,
          },
        ]}
      />
    </>
  );
}
