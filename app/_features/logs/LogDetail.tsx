import { flagsInWords } from '../charts/flag-words';
import type { LogLine } from './LogsTable';

type Field = [label: string, value: string];

/** Every parsed field of one line, as label/value pairs (peers and extra fields prefixed). */
export function lineFields(l: LogLine): Field[] {
  const out: Field[] = [];
  const push = (k: string, v: unknown) =>
    out.push([
      k,
      typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v ?? ''),
    ]);
  for (const [k, v] of Object.entries(l)) {
    if (k === 'source' || k === 'destination' || k === 'extra') continue;
    if (k === 'responseFlags') {
      const flags = (v as string[]).join(',');
      push(k, flags ? `${flags} (${flagsInWords(flags)})` : '');
    } else push(k, v);
  }
  for (const side of ['source', 'destination'] as const)
    for (const [k, v] of Object.entries(l[side])) push(`${side}.${k}`, v);
  for (const [k, v] of Object.entries(l.extra)) push(`extra.${k}`, v);
  return out;
}

/** All fields of the selected line. */
export function LogDetail({
  line,
  onClose,
}: {
  line: LogLine;
  onClose: () => void;
}) {
  return (
    <section className="panel log-detail" aria-label="Access-log line fields">
      <header className="panel-header">
        <h2>
          {line.reporter} line of request {line.requestId || '(no request id)'}
        </h2>
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      <dl className="field-list">
        {lineFields(line).map(([k, v]) => (
          <div key={k}>
            <dt className="mono">{k}</dt>
            <dd className="mono">{v === '' ? '–' : v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
