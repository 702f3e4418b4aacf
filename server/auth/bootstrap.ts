/**
 * First start under the token strategy: when no UI/API token exists yet, an admin token is
 * generated, stored hashed and printed once on stderr (it is never shown again: create more in
 * Settings, or set MESHLENS_AUTH_ADMIN_TOKEN). A MESHLENS_AUTH_ADMIN_TOKEN is stored (hashed) the
 * first time it is seen, under any strategy, so scripts can use it as a bearer token.
 */
import type { Config } from '../config';
import type { Db } from '../db/client';
import { logger } from '../log';
import { signingKey } from './signing-key';
import { authStrategy } from './strategy';
import { createToken, findBySecret, listTokens } from './token-store';

const log = logger('auth');

export async function bootstrapAuth(config: Config, db: Db): Promise<void> {
  await signingKey(db);
  const strategy = authStrategy(config);
  const fixed = config.env.MESHLENS_AUTH_ADMIN_TOKEN;
  if (fixed) {
    if (!(await findBySecret(db, fixed)))
      await createToken(db, {
        name: 'admin (MESHLENS_AUTH_ADMIN_TOKEN)',
        kind: 'ui',
        role: 'admin',
        secret: fixed,
        createdBy: 'meshlens',
      });
    log.info(
      { strategy },
      'authentication ready (admin token from MESHLENS_AUTH_ADMIN_TOKEN)',
    );
    return;
  }
  if (strategy !== 'token') {
    log.info({ strategy }, 'authentication ready');
    return;
  }
  const existing = await listTokens(db);
  if (existing.some((t) => t.kind === 'ui' || t.kind === 'api')) {
    log.info({ strategy }, 'authentication ready');
    return;
  }
  const { secret } = await createToken(db, {
    name: 'admin (first start)',
    kind: 'ui',
    role: 'admin',
    createdBy: 'meshlens',
  });
  process.stderr.write(
    [
      '',
      '================================================================================',
      ' Meshlens admin token (shown only this once; stored hashed):',
      '',
      `   ${secret}`,
      '',
      ' Sign in at /login with it, or send it as `Authorization: Bearer <token>`.',
      ' Create more tokens in Settings -> Access; revoke this one when you have.',
      '================================================================================',
      '',
    ].join('\n'),
  );
  log.info(
    { strategy },
    'authentication ready: admin token generated and printed once',
  );
}
