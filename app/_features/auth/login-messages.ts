/** What the login page says for each `?error=` the server redirects with. Pure. */
export const LOGIN_ERRORS: Record<string, string> = {
  token:
    'That token is unknown, revoked or expired. Ask an admin for a new one (Settings → Access), or use the admin token Meshlens printed at its first start.',
  'oidc-state':
    'The sign-in took too long or was started in another tab. Start it again.',
  oidc: 'Your identity provider refused the sign-in or could not be reached. Try again; if it keeps failing, the Meshlens log says why.',
  role: 'You signed in, but none of your groups is given a Meshlens role. Ask an admin to add your group to MESHLENS_AUTH_ROLE_GROUPS.',
};

export function loginError(code: string | null): string | null {
  if (!code) return null;
  return LOGIN_ERRORS[code] ?? 'Sign-in failed. Try again.';
}

/** Only local paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}
