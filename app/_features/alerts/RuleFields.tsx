'use client';

import { FormField } from './FormField';
import {
  KINDS,
  type DestinationType,
  type KindName,
  type RuleForm,
  type ScopeType,
} from './rule-form';

type Patch = (p: Partial<RuleForm>) => void;
/** The fields edited as plain text. */
type TextKey = {
  [K in keyof RuleForm]: RuleForm[K] extends string ? K : never;
}[keyof RuleForm];

/** The rule form's controls; what shows depends on the kind and the scope. */
export function RuleFields({
  form: f,
  errors,
  onChange,
}: {
  form: RuleForm;
  errors: Record<string, string[]>;
  onChange: Patch;
}) {
  const text = (
    key: TextKey,
    label: string,
    opts: { hint?: string; placeholder?: string } = {},
  ) => (
    <FormField label={label} errors={errors[key]} hint={opts.hint}>
      <input
        name={key}
        value={f[key]}
        placeholder={opts.placeholder}
        onChange={(e) => onChange({ [key]: e.target.value })}
      />
    </FormField>
  );
  const kind = KINDS.find((k) => k.value === f.kind);
  return (
    <>
      <fieldset>
        <legend>Rule</legend>
        {text('name', 'Name', { placeholder: 'ratings error rate' })}
        <FormField label="Watches" errors={errors.kind} hint={kind?.hint}>
          <select
            name="kind"
            value={f.kind}
            onChange={(e) => onChange({ kind: e.target.value as KindName })}
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </FormField>
        <label className="check field-check">
          <input
            type="checkbox"
            checked={f.enabled}
            onChange={(e) => onChange({ enabled: e.target.checked })}
          />{' '}
          Enabled
        </label>
      </fieldset>
      <fieldset>
        <legend>Scope</legend>
        <FormField label="On" errors={errors.scopeType}>
          <select
            name="scopeType"
            value={f.scopeType}
            onChange={(e) =>
              onChange({ scopeType: e.target.value as ScopeType })
            }
          >
            <option value="mesh">the whole mesh</option>
            <option value="namespace">a namespace</option>
            <option value="service">a service</option>
            <option value="edge">an edge</option>
          </select>
        </FormField>
        {f.scopeType === 'namespace' || f.scopeType === 'service'
          ? text('namespace', 'Namespace', { placeholder: 'bookinfo' })
          : null}
        {f.scopeType === 'service'
          ? text('service', 'Service', { placeholder: 'ratings' })
          : null}
        {f.scopeType === 'edge' ? (
          <>
            {text('srcNamespace', 'From namespace')}
            {text('srcService', 'From service')}
            {text('dstNamespace', 'To namespace')}
            {text('dstService', 'To service')}
          </>
        ) : null}
        {f.scopeType === 'mesh' || f.scopeType === 'namespace' ? (
          <FormField label="One alert per" errors={errors.groupBy}>
            <select
              name="groupBy"
              value={f.groupBy}
              onChange={(e) =>
                onChange({ groupBy: e.target.value as RuleForm['groupBy'] })
              }
            >
              <option value="none">scope (one alert)</option>
              <option value="service">service</option>
              <option value="edge">edge</option>
            </select>
          </FormField>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Condition</legend>
        {f.kind === 'latency_percentile'
          ? text('percentile', 'Percentile', { hint: '0.99 = p99' })
          : null}
        {f.kind === 'request_rate' ? (
          <FormField label="Direction" errors={errors.direction}>
            <select
              name="direction"
              value={f.direction}
              onChange={(e) =>
                onChange({ direction: e.target.value as 'drop' | 'spike' })
              }
            >
              <option value="drop">drop (fires below)</option>
              <option value="spike">spike (fires above)</option>
            </select>
          </FormField>
        ) : null}
        {f.kind === 'response_flag_rate'
          ? text('flags', 'Response flags', {
              hint: 'e.g. UO (circuit breaker open), URX, UF',
            })
          : null}
        {text('threshold', 'Threshold', { hint: thresholdHint(f) })}
        {f.kind === 'request_rate' || f.kind === 'new_plaintext_edge'
          ? text('baseline', 'Baseline', {
              hint:
                f.kind === 'request_rate'
                  ? 'compared window before, default 1h'
                  : 'lookback, default 1d',
              placeholder: f.kind === 'request_rate' ? '1h' : '1d',
            })
          : null}
        {text('window', 'Window', { hint: 'e.g. 5m' })}
        {text('for', 'For', { hint: 'held this long before firing' })}
        {text('minRequests', 'Min. requests')}
      </fieldset>
      <fieldset>
        <legend>Labels, annotations and notifications</legend>
        <FormField
          label="Labels"
          errors={errors.labels}
          hint="name=value, one per line"
        >
          <textarea
            name="labels"
            value={f.labels}
            onChange={(e) => onChange({ labels: e.target.value })}
          />
        </FormField>
        <FormField
          label="Annotations"
          errors={errors.annotations}
          hint="{{value}}, {{labels.service}} are filled in"
        >
          <textarea
            name="annotations"
            value={f.annotations}
            onChange={(e) => onChange({ annotations: e.target.value })}
          />
        </FormField>
        <div className="field">
          <span>Send to</span>
          {f.notify.map((d, i) => (
            <FormField
              key={i}
              label={`Destination ${i + 1}`}
              errors={errors[`notify.${i}`]}
            >
              <span className="editor-actions">
                <select
                  aria-label="Destination type"
                  value={d.type}
                  onChange={(e) =>
                    onChange({
                      notify: f.notify.map((x, j) =>
                        j === i
                          ? { ...x, type: e.target.value as DestinationType }
                          : x,
                      ),
                    })
                  }
                >
                  <option value="webhook">Webhook (JSON, signed)</option>
                  <option value="slack">Slack incoming webhook</option>
                  <option value="alertmanager">Alertmanager</option>
                </select>
                <input
                  aria-label="Destination URL"
                  value={d.url}
                  placeholder="https://…"
                  onChange={(e) =>
                    onChange({
                      notify: f.notify.map((x, j) =>
                        j === i ? { ...x, url: e.target.value } : x,
                      ),
                    })
                  }
                />
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() =>
                    onChange({ notify: f.notify.filter((_, j) => j !== i) })
                  }
                >
                  Remove
                </button>
              </span>
            </FormField>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              onChange({ notify: [...f.notify, { type: 'webhook', url: '' }] })
            }
          >
            Add a destination
          </button>
        </div>
      </fieldset>
    </>
  );
}

function thresholdHint(f: RuleForm): string {
  switch (f.kind) {
    case 'latency_percentile':
      return 'milliseconds; fires above';
    case 'request_rate':
      return f.direction === 'drop'
        ? 'ratio; 0.5 = halved'
        : 'ratio; 2 = doubled';
    case 'mtls_coverage_below':
      return '0..1; fires below (0.95 = 95 %)';
    case 'new_plaintext_edge':
      return 'plaintext requests; default 1';
    default:
      return '0..1; fires above (0.05 = 5 %)';
  }
}
