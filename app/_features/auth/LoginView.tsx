'use client';

import { useEffect, useState } from 'react';
import { loginError, safeNext } from './login-messages';
import '../../_components/controls.css';
import './auth.css';

type Strategy = 'none' | 'token' | 'header' | 'oidc';

/** The sign-in page: a token form, an SSO button, or what the auth proxy should do. */
export function LoginView() {
  const [strategy, setStrategy] = useState<Strategy | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [params, setParams] = useState<URLSearchParams | null>(null);

  useEffect(() => {
    setParams(new URLSearchParams(window.location.search));
    fetch('/auth/info')
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        setStrategy(((await r.json()) as { strategy: Strategy }).strategy);
      })
      .catch((err: unknown) =>
        setFailed(err instanceof Error ? err.message : String(err)),
      );
  }, []);

  const next = safeNext(params?.get('next') ?? null);
  const error = loginError(params?.get('error') ?? null);
  return (
    <main className="login">
      <section className="login-card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Meshlens</h1>
        {error ? (
          <div className="notice notice-error" role="alert">
            {error}
          </div>
        ) : null}
        {failed ? (
          <div className="notice notice-error" role="alert">
            The Meshlens server could not be reached ({failed}). Check that it
            is running, then reload.
          </div>
        ) : null}
        {strategy === null && !failed ? <p>Loading…</p> : null}
        {strategy === 'token' ? (
          <form method="post" action="/auth/login" className="login-form">
            <input type="hidden" name="next" value={next} />
            <label className="field">
              <span>Access token</span>
              <input
                type="password"
                name="token"
                autoComplete="current-password"
                required
                placeholder="mlk_…"
                autoFocus
              />
            </label>
            <button type="submit" className="btn btn-primary">
              Sign in
            </button>
            <p className="muted">
              The first admin token is printed once in the Meshlens log at its
              first start. Admins create more in Settings → Access.
            </p>
          </form>
        ) : null}
        {strategy === 'oidc' ? (
          <p>
            <a
              className="btn btn-primary"
              href={`/auth/oidc/login?next=${encodeURIComponent(next)}`}
            >
              Sign in with single sign-on
            </a>
          </p>
        ) : null}
        {strategy === 'header' ? (
          <p>
            This Meshlens trusts an authenticating proxy. Open it through that
            proxy&apos;s address; direct requests are not signed in.
          </p>
        ) : null}
        {strategy === 'none' ? (
          <p>
            Authentication is off: this Meshlens only listens on loopback, and
            everyone who can reach it is admin. <a href={next}>Continue</a>.
          </p>
        ) : null}
      </section>
    </main>
  );
}
