/**
 * Security headers for every answer of the web listener: a Content-Security-Policy that allows
 * framing only for embeds (frame-ancestors from the embed token's origins), no MIME sniffing,
 * a referrer policy, and HSTS on TLS.
 */
import type { ServerResponse } from 'node:http';

export type PageKind = 'page' | 'embed' | 'api';

export function securityHeaders(
  res: ServerResponse,
  kind: PageKind,
  opts: { tls: boolean; dev: boolean; frameAncestors?: string },
): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader(
    'referrer-policy',
    kind === 'embed' ? 'no-referrer' : 'same-origin',
  );
  if (opts.tls) res.setHeader('strict-transport-security', 'max-age=31536000');
  if (kind === 'api') {
    res.setHeader(
      'content-security-policy',
      "default-src 'none'; frame-ancestors 'none'",
    );
    return;
  }
  const ancestors =
    kind === 'embed' ? (opts.frameAncestors ?? "'none'") : "'none'";
  if (kind !== 'embed') res.setHeader('x-frame-options', 'DENY');
  res.setHeader(
    'content-security-policy',
    [
      "default-src 'self'",
      // Next.js bootstraps with inline scripts; dev mode also evaluates code and uses websockets.
      `script-src 'self' 'unsafe-inline'${opts.dev ? " 'unsafe-eval'" : ''}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self'${opts.dev ? ' ws: wss:' : ''}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
  );
}
