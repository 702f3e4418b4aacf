'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { useTRPC } from '../../_trpc/client';
import { timeText } from './alert-format';
import { FormField } from './FormField';
import { StateBadge } from './StateBadge';
import { matcherText, parseMatchers } from './silence-form';

const DURATIONS = [
  ['1h', 3_600_000],
  ['4h', 14_400_000],
  ['1d', 86_400_000],
  ['1w', 604_800_000],
] as const;

/** Silences: add one (matchers, how long, why), see active and recent ones, end one early. */
export function SilencesPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(
    trpc.alerts.silences.queryOptions(undefined, { refetchInterval: 15_000 }),
  );
  const refresh = () =>
    qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  const add = useMutation(
    trpc.alerts.addSilence.mutationOptions({ onSuccess: refresh }),
  );
  const expire = useMutation(
    trpc.alerts.expireSilence.mutationOptions({ onSuccess: refresh }),
  );
  const [text, setText] = useState('');
  const [durationMs, setDurationMs] = useState<number>(DURATIONS[0][1]);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const parsed = parseMatchers(text);
    setError(parsed.error);
    if (parsed.error) return;
    add.mutate(
      {
        matchers: parsed.matchers,
        endsAt: Date.now() + durationMs,
        comment,
        createdBy: 'ui',
      },
      { onSuccess: () => setText('') },
    );
  };
  return (
    <div className="alerts-grid">
      <form
        className="rule-editor"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <fieldset>
          <legend>New silence</legend>
          <FormField
            label="Matchers"
            errors={error ? [error] : undefined}
            hint="one per line: service=ratings, namespace=~book.*"
          >
            <textarea
              name="matchers"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </FormField>
          <FormField label="For">
            <select
              value={durationMs}
              onChange={(e) => setDurationMs(Number(e.target.value))}
            >
              {DURATIONS.map(([label, ms]) => (
                <option key={label} value={ms}>
                  {label}
                </option>
              ))}
            </select>
          </FormField>
          <FormField label="Comment">
            <input
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="maintenance of ratings"
            />
          </FormField>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={add.isPending}
          >
            Silence
          </button>
        </fieldset>
        {add.error ? (
          <ErrorNotice
            title="Could not add the silence"
            message={add.error.message}
          />
        ) : null}
      </form>
      {list.isError ? (
        <ErrorNotice
          title="Could not read the silences"
          message={list.error.message}
        />
      ) : null}
      {list.data && list.data.length === 0 ? (
        <p className="empty-inline">
          No silences. Notifications of every alert are sent.
        </p>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <table className="data-table" aria-label="Silences">
          <thead>
            <tr>
              <th>State</th>
              <th>Matchers</th>
              <th>Until</th>
              <th>Comment</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <StateBadge
                    state={
                      s.active ? 'active' : s.upcoming ? 'upcoming' : 'ended'
                    }
                    title={
                      s.active
                        ? 'suppressing notifications'
                        : s.upcoming
                          ? `starts ${timeText(s.startsAt)}`
                          : 'ended'
                    }
                  />
                </td>
                <td>
                  <code>{s.matchers.map(matcherText).join(', ')}</code>
                </td>
                <td>{timeText(s.endsAt)}</td>
                <td>{s.comment}</td>
                <td>
                  {s.active ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => expire.mutate({ id: s.id })}
                    >
                      End now
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
