'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { PageHeader } from '../../_components/PageHeader';
import { Skeleton } from '../../_components/Skeleton';
import { useUrlState } from '../../_components/use-url-state';
import { useTRPC } from '../../_trpc/client';
import { decodeSkeleton } from './skeleton';
import { diffSummary, diffTraces, type DiffNode } from './trace-diff';
import { formatDurationUs } from './view-math';
import './traces.css';

interface CompareState {
  a: string;
  b: string;
  onlyDiff: boolean;
}

const HEX_ID = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
/** Rows drawn at most; the rest is summarised (a comparison table, not a waterfall). */
const MAX_ROWS = 2_000;

function parseCompare(p: { get(name: string): string | null }): CompareState {
  const id = (v: string | null) => (v ?? '').trim().toLowerCase().slice(0, 32);
  return {
    a: id(p.get('a')),
    b: id(p.get('b')),
    onlyDiff: p.get('diff') === '1',
  };
}

function compareParams(
  patch: Partial<CompareState>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (patch.a !== undefined) out.a = patch.a || null;
  if (patch.b !== undefined) out.b = patch.b || null;
  if (patch.onlyDiff !== undefined) out.diff = patch.onlyDiff ? '1' : null;
  return out;
}

const STATUS_LABEL: Record<DiffNode['status'], string> = {
  same: 'same',
  changed: 'changed',
  added: 'only in B',
  removed: 'only in A',
};

/** Two traces side by side as one tree of call paths with span counts in each (`/traces/compare?a=&b=`). */
export function TraceCompare() {
  const [state, update] = useUrlState(parseCompare, compareParams);
  const [draft, setDraft] = useState({ a: state.a, b: state.b });
  const trpc = useTRPC();
  const opts = { retry: false as const };
  const qa = useQuery({
    ...trpc.traces.skeleton.queryOptions({ traceId: state.a }, opts),
    enabled: HEX_ID.test(state.a),
  });
  const qb = useQuery({
    ...trpc.traces.skeleton.queryOptions({ traceId: state.b }, opts),
    enabled: HEX_ID.test(state.b),
  });
  const a = useMemo(
    () => (qa.data ? decodeSkeleton(qa.data.encoded) : undefined),
    [qa.data],
  );
  const b = useMemo(
    () => (qb.data ? decodeSkeleton(qb.data.encoded) : undefined),
    [qb.data],
  );
  const rows = useMemo(
    () => (a && b ? diffTraces(a.spans, b.spans) : []),
    [a, b],
  );
  const summary = diffSummary(rows);
  const shown = state.onlyDiff ? rows.filter((r) => r.status !== 'same') : rows;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ a: draft.a.trim(), b: draft.b.trim() });
  };
  const bad = (['a', 'b'] as const).filter(
    (k) => state[k] && !HEX_ID.test(state[k]),
  );

  return (
    <div className="trace-page">
      <p className="back-link">
        <Link href="/traces">← Search traces</Link>
      </p>
      <PageHeader
        title="Compare traces"
        description="Spans grouped by call path (service and operation of every caller): what B adds, drops or calls a different number of times."
      />
      <form
        className="panel compare-form"
        onSubmit={submit}
        aria-label="Traces to compare"
      >
        {(['a', 'b'] as const).map((k) => (
          <label key={k} className="field">
            <span>Trace {k.toUpperCase()}</span>
            <input
              className="mono"
              value={draft[k]}
              placeholder="32 or 16 hex digits"
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" className="btn btn-primary">
          Compare
        </button>
        <label className="check">
          <input
            type="checkbox"
            checked={state.onlyDiff}
            onChange={(e) => update({ onlyDiff: e.target.checked })}
          />{' '}
          Only differences
        </label>
      </form>
      {bad.length > 0 ? (
        <ErrorNotice
          title="Not a trace id"
          message={`Trace ${bad.map((k) => k.toUpperCase()).join(' and ')}: a trace id is 32 (or 16) hexadecimal digits.`}
        />
      ) : null}
      {[qa, qb].map((q, i) =>
        q.isError ? (
          <ErrorNotice
            key={i}
            title={`Could not read trace ${i === 0 ? 'A' : 'B'}`}
            message={q.error.message}
          />
        ) : null,
      )}
      {!state.a || !state.b ? (
        <div className="panel empty-panel">
          <p>
            Give two trace ids, or open a trace and use “Compare with…” in its
            header.
          </p>
        </div>
      ) : qa.isLoading || qb.isLoading ? (
        <Skeleton lines={8} label="Loading both traces" />
      ) : a && b ? (
        <section className="panel table-panel" aria-label="Comparison">
          <p className="muted small compare-summary">
            A: <Link href={`/traces/${a.traceId}`}>{a.spans.length} spans</Link>
            {' · '}B:{' '}
            <Link href={`/traces/${b.traceId}`}>{b.spans.length} spans</Link>
            {' · '}
            {summary.same} paths the same, {summary.changed} changed,{' '}
            {summary.added} only in B, {summary.removed} only in A
          </p>
          <DiffTable rows={shown.slice(0, MAX_ROWS)} />
          {shown.length > MAX_ROWS ? (
            <p className="muted small">
              The first {MAX_ROWS.toLocaleString()} of{' '}
              {shown.length.toLocaleString()} paths are shown; tick “Only
              differences” to see fewer.
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function DiffTable({ rows }: { rows: DiffNode[] }) {
  const avg = (s: DiffNode['a']) =>
    s.count ? formatDurationUs(s.totalUs / s.count) : '–';
  return (
    <table
      className="data-table compact diff-table"
      aria-label="Trace structure diff"
    >
      <thead>
        <tr>
          <th>Call path</th>
          <th className="num">Spans A</th>
          <th className="num">Spans B</th>
          <th className="num">Errors A / B</th>
          <th className="num">Avg A</th>
          <th className="num">Avg B</th>
          <th>Difference</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, k) => (
          <tr key={k} className={`diff-row-${r.status}`} data-status={r.status}>
            <td
              className="diff-name"
              style={{ paddingLeft: 8 + Math.min(r.depth, 24) * 14 }}
            >
              <strong>{r.service}</strong>: {r.name}
            </td>
            <td className="num">{r.a.count}</td>
            <td className="num">{r.b.count}</td>
            <td className={r.a.errors !== r.b.errors ? 'num tone-bad' : 'num'}>
              {r.a.errors} / {r.b.errors}
            </td>
            <td className="num">{avg(r.a)}</td>
            <td className="num">{avg(r.b)}</td>
            <td>{STATUS_LABEL[r.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
