'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CodeBlock } from '../../_components/CodeBlock';
import { ErrorNotice } from '../../_components/ErrorNotice';
import { Panel } from '../../_components/Panel';
import { useTRPC } from '../../_trpc/client';
import { field, splitList } from '../auth/split-list';
import {
  iframeSnippet,
  webComponentSnippet,
  type SnippetInput,
} from './embed-snippets';
import { CredentialCells } from '../auth/CredentialCells';

/** Signed embed tokens: create one (with its iframe and web-component snippets), list, revoke. */
export function EmbedsPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const embeds = useQuery(trpc.auth.embeds.queryOptions());
  const [snippet, setSnippet] = useState<SnippetInput | null>(null);
  const refresh = () =>
    qc.invalidateQueries({ queryKey: trpc.auth.embeds.queryKey() });
  const create = useMutation(
    trpc.auth.createEmbed.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const revoke = useMutation(
    trpc.auth.revokeToken.mutationOptions({ onSuccess: () => void refresh() }),
  );

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const widget = field(f, 'widget') === 'service' ? 'service' : 'topology';
    const [namespace = '', service = ''] = field(f, 'service').split('/');
    const theme = (field(f, 'theme') || 'auto') as SnippetInput['theme'];
    create.mutate(
      {
        name: field(f, 'name'),
        widgets: [widget],
        namespaces: splitList(field(f, 'namespaces')),
        services:
          widget === 'service' && service ? [`${namespace}/${service}`] : [],
        origins: splitList(field(f, 'origins')),
        expiresInHours: Math.max(1, Number(f.get('days') || 30) * 24),
      },
      {
        onSuccess: (r) =>
          setSnippet({
            base: window.location.origin,
            widget,
            token: r.jwt,
            theme,
            namespace,
            service,
          }),
      },
    );
  };

  return (
    <Panel title="Embeds" id="embeds">
      <p className="lead">
        A widget for a wiki or a status page: the topology graph or a
        service&apos;s RED card, read-only, limited to some namespaces, framed
        only by the origins you list, until the token expires or is revoked.
      </p>
      <form
        className="settings-form"
        onSubmit={onSubmit}
        aria-label="New embed"
      >
        <label className="field">
          <span>Name</span>
          <input
            name="name"
            required
            maxLength={100}
            placeholder="wiki-topology"
          />
        </label>
        <label className="field">
          <span>Widget</span>
          <select name="widget" defaultValue="topology">
            <option value="topology">Topology</option>
            <option value="service">Service RED card</option>
          </select>
        </label>
        <label className="field">
          <span>Service (card: namespace/service)</span>
          <input name="service" placeholder="bookinfo/reviews" />
        </label>
        <label className="field">
          <span>Namespaces (empty = yours)</span>
          <input name="namespaces" placeholder="bookinfo" />
        </label>
        <label className="field">
          <span>Allowed origins</span>
          <input
            name="origins"
            required
            placeholder="https://wiki.example.com"
          />
        </label>
        <label className="field">
          <span>Theme</span>
          <select name="theme" defaultValue="auto">
            <option value="auto">Follow the OS</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <label className="field">
          <span>Expires in days</span>
          <input
            name="days"
            type="number"
            min={1}
            max={366}
            defaultValue={30}
          />
        </label>
        <button className="btn" type="submit" disabled={create.isPending}>
          Create embed
        </button>
      </form>
      {create.isError ? (
        <ErrorNotice
          title="The embed was not created"
          message={create.error.message}
        />
      ) : null}
      {snippet ? (
        <div className="snippet-grid" data-testid="embed-snippets">
          <CodeBlock
            title="iframe"
            language="html"
            code={iframeSnippet(snippet)}
          />
          <CodeBlock
            title="Web component"
            language="html"
            code={webComponentSnippet(snippet)}
          />
        </div>
      ) : null}
      {embeds.isError ? (
        <ErrorNotice
          title="Could not list the embeds"
          message={embeds.error.message}
        />
      ) : embeds.data && embeds.data.length > 0 ? (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Namespaces</th>
              <th>Origins</th>
              <th>Expires</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {embeds.data.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.namespaces.length ? t.namespaces.join(', ') : 'all'}</td>
                <td>{t.origins.join(', ')}</td>
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
      ) : embeds.data ? (
        <p className="empty-inline">
          No embeds yet: create one above to get its snippet.
        </p>
      ) : null}
    </Panel>
  );
}
