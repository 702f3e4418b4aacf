'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../_trpc/client';
import './auth.css';

/** The sidebar's "who am I": user, role and scope, sign-out; a warning when auth is off. */
export function AuthStatus() {
  const trpc = useTRPC();
  const me = useQuery(
    trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }),
  );
  if (!me.data) return null;
  const { name, role, namespaces, strategy, canLogout } = me.data;
  const settings = (
    <Link href="/settings" className="auth-link">
      Settings
    </Link>
  );
  if (strategy === 'none')
    return (
      <div className="auth-status" data-testid="auth-off">
        <div className="auth-off" role="note">
          No authentication: loopback only, everyone is admin. Set MESHLENS_AUTH
          to protect it.
        </div>
        {settings}
      </div>
    );
  return (
    <div className="auth-status" data-testid="auth-status">
      <div title={name}>{name}</div>
      <div className="muted">
        {role}
        {namespaces ? ` · ${namespaces.join(', ')}` : ''}
      </div>
      {role === 'admin' ? settings : null}{' '}
      {canLogout ? (
        <a href="/auth/logout" className="auth-link">
          Sign out
        </a>
      ) : null}
    </div>
  );
}
