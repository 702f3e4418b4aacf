/** Which authentication strategy is in force (MESHLENS_AUTH, with `auto` resolved). */
import { isLoopbackHost, type Config } from '../config';

export type Strategy = 'none' | 'token' | 'header' | 'oidc';

export function authStrategy(config: Config): Strategy {
  const asked = config.env.MESHLENS_AUTH;
  if (asked !== 'auto') return asked;
  return isLoopbackHost(config.host) ? 'none' : 'token';
}
