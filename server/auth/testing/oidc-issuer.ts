/**
 * For tests: a small OpenID Connect provider on 127.0.0.1 (discovery, JWKS, authorize, token),
 * signing RS256 ID tokens with jose. `authorize` signs in `user` at once (no login form) and
 * the token endpoint checks the client secret and the PKCE verifier, as a real provider does.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface TestIssuer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims of the next sign-in (sub, groups, ...). */
  user: JWTPayload;
  /** Signs an ID token with the issuer's key (overrides merge into the standard claims). */
  idToken(
    claims?: JWTPayload,
    opts?: { audience?: string; expiresIn?: string | number },
  ): Promise<string>;
  /** Token requests seen (for assertions). */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: 'test-key',
    alg: 'RS256',
    use: 'sig',
  };
  const codes = new Map<
    string,
    { nonce: string; challenge: string; redirectUri: string }
  >();
  const state: Partial<TestIssuer> & { tokenRequests: URLSearchParams[] } = {
    clientId: 'meshlens-test',
    clientSecret: 'test-secret',
    user: { sub: 'u-1', preferred_username: 'alice', groups: ['sre'] },
    tokenRequests: [],
  };
  const idToken = async (
    claims: JWTPayload = {},
    opts: { audience?: string; expiresIn?: string | number } = {},
  ) =>
    new SignJWT({ ...state.user, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(state.issuer!)
      .setAudience(opts.audience ?? state.clientId!)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '5m')
      .sign(privateKey);

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', state.issuer);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration')
        return send(200, {
          issuer: state.issuer,
          authorization_endpoint: `${state.issuer}/authorize`,
          token_endpoint: `${state.issuer}/token`,
          jwks_uri: `${state.issuer}/jwks`,
        });
      if (url.pathname === '/jwks') return send(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const p = url.searchParams;
        if (
          p.get('client_id') !== state.clientId ||
          p.get('code_challenge_method') !== 'S256'
        )
          return send(400, { error: 'invalid_request' });
        const code = randomBytes(12).toString('hex');
        codes.set(code, {
          nonce: p.get('nonce') ?? '',
          challenge: p.get('code_challenge') ?? '',
          redirectUri: p.get('redirect_uri') ?? '',
        });
        const back = new URL(p.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', p.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const p = new URLSearchParams(body);
        state.tokenRequests.push(p);
        const grant = codes.get(p.get('code') ?? '');
        codes.delete(p.get('code') ?? '');
        const verifierOk =
          grant !== undefined &&
          createHash('sha256')
            .update(p.get('code_verifier') ?? '')
            .digest('base64url') === grant.challenge;
        if (
          !grant ||
          !verifierOk ||
          p.get('client_secret') !== state.clientSecret ||
          p.get('redirect_uri') !== grant.redirectUri
        )
          return send(400, { error: 'invalid_grant' });
        return send(200, {
          id_token: await idToken({ nonce: grant.nonce }),
          token_type: 'Bearer',
        });
      }
      send(404, { error: 'not_found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state as TestIssuer, {
    idToken,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
