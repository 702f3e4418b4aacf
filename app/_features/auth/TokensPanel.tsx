'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CopyButton } from '../../_components/CopyButton';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Panel } from '../../_components/Panel';
import { useTRPC } from '../../_trpc/client';
import { field, splitList } from './split-list';
import { CredentialCells } from './CredentialCells';

const RECEIVERS = ['otlp', 'zipkin', 'remote_write', 'access_log'] as const;

/** UI/API and ingest tokens: create (secret shown once), list, revoke. Admin only. */
export function TokensPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.auth.tokens.queryOptions());
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(
    null,
  );
  const [kind, setKind] = useState<'ui' | 'api' | 'ingest'>('api');
  const refresh = () =>
    qc.invalidateQueries({ queryKey: trpc.auth.tokens.queryKey() });
  const create = useMutation(
    trpc.auth.createToken.mutationOptions({
      onSuccess: (r) => {
        if (r.secret) setSecret({ name: r.token.name, secret: r.secret });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(
    trpc.auth.revokeToken.mutationOptions({ onSuccess: () => void refresh() }),
  );

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const days = Number(f.get('days'));
    create.mutate({
      name: field(f, 'name'),
      kind,
      role: (field(f, 'role') || 'viewer') as 'viewer' | 'editor' | 'admin',
      namespaces: splitList(field(f, 'namespaces')),
      receivers:
        kind === 'ingest'
          ? (f.getAll('receivers').map(String) as (typeof RECEIVERS)[number][])
          : [],
      ...(days > 0 ? { expiresInDays: days } : {}),
    });
  };

  return (
    <Panel title="Access tokens" id="tokens">
      <p className="lead">
        UI/API tokens sign in at /login or go in{' '}
        <code>Authorization: Bearer</code> to /api/v1 and /api/trpc. Ingest
        tokens open the receivers (OTLP, Zipkin, remote_write, access-log push).
        Only a hash is stored: copy a new token now, it is not shown again.
      </p>
      <form
        className="settings-form"
        onSubmit={onSubmit}
        aria-label="New token"
      >
        <label className="field">
          <span>Name</span>
          <input
            name="name"
            required
            maxLength={100}
            placeholder="grafana-readonly"
          />
        </label>
        <label className="field">
          <span>Kind</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
          >
            <option value="api">API</option>
            <option value="ui">UI</option>
            <option value="ingest">Ingest</option>
          </select>
        </label>
        {kind === 'ingest' ? (
          <fieldset className="field">
            <span>Receivers (none = all)</span>
            {RECEIVERS.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" name="receivers" value={r} /> {r}
              </label>
            ))}
          </fieldset>
        ) : (
          <label className="field">
            <span>Role</span>
            <select name="role" defaultValue="viewer">
              <option value="viewer">viewer</option>
              <option value="editor">editor (alert rules)</option>
              <option value="admin">admin (tokens, settings)</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>Namespaces (empty = all)</span>
          <input name="namespaces" placeholder="bookinfo, shop" />
        </label>
        <label className="field">
          <span>Expires in days (empty = never)</span>
          <input name="days" type="number" min={1} max={3650} />
        </label>
        <button className="btn" type="submit" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.isError ? (
        <ErrorNotice
          title="The token was not created"
          message={create.error.message}
        />
      ) : null}
      {secret ? (
        <div
          className="notice notice-warn settings-secret"
          role="status"
          data-testid="new-secret"
        >
          <strong>
            Token “{secret.name}” — copy it now, it is shown only once:
          </strong>
          <p>
            <code>{secret.secret}</code> <CopyButton text={secret.secret} />
          </p>
        </div>
      ) : null}
      {tokens.isError ? (
        <ErrorNotice
          title="Could not list the tokens"
          message={tokens.error.message}
        >
          <p>Listing and creating tokens needs the admin role.</p>
        </ErrorNotice>
      ) : tokens.data && tokens.data.length === 0 ? (
        <p className="empty-inline">No tokens yet: create one above.</p>
      ) : tokens.data ? (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Role</th>
              <th>Namespaces</th>
              <th>Expires</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  {t.kind}
                  {t.receivers.length ? ` (${t.receivers.join(', ')})` : ''}
                </td>
                <td>{t.kind === 'ingest' ? '–' : t.role}</td>
                <td>{t.namespaces.length ? t.namespaces.join(', ') : 'all'}</td>
                <CredentialCells
                  expiresAt={t.expiresAt}
                  revoked={t.revoked}
                  expired={t.expired}
                  onRevoke={() => revoke.mutate({ id: t.id })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Loading the tokens…</p>
      )}
    </Panel>
  );
}
