'use client';

import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../_components/PageHeader';
import { useTRPC } from '../../_trpc/client';
import { EmbedsPanel } from '../embed/EmbedsPanel';
import { TokensPanel } from './TokensPanel';
import '../../_components/controls.css';
import './auth.css';

const STRATEGY_TEXT: Record<string, string> = {
  none: 'No authentication: Meshlens listens on loopback only and everyone who reaches it is admin.',
  token:
    'Tokens: users sign in with an access token; scripts send it as a bearer token.',
  header: 'Auth proxy: users are named by the trusted proxy’s user header.',
  oidc: 'OpenID Connect: users sign in with your identity provider.',
};

/** Settings: how this installation authenticates, tokens, embeds. */
export function SettingsView() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const admin = me.data?.role === 'admin' && me.data.namespaces === null;
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          me.data
            ? STRATEGY_TEXT[me.data.strategy]
            : 'Access control and embeds.'
        }
      />
      {me.data && !admin ? (
        <div className="notice notice-warn" role="note">
          You are {me.data.role}
          {me.data.namespaces ? ` for ${me.data.namespaces.join(', ')}` : ''}:
          tokens and embeds are managed by an admin without a namespace limit.
        </div>
      ) : null}
      {admin ? (
        <div className="settings-panels">
          <TokensPanel />
          <EmbedsPanel />
        </div>
      ) : null}
    </>
  );
}
