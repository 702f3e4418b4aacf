/**
 * The certificate and key for the receiver listeners (OTLP/HTTP 4318, Zipkin 9411, gRPC 4317):
 * the same MESHLENS_TLS_CERT_FILE / MESHLENS_TLS_KEY_FILE as the web listener, unless
 * MESHLENS_TLS_RECEIVERS=off keeps the receivers on plaintext (e.g. in-mesh senders that cannot
 * trust the certificate). server/config.ts checks the pair; a file that cannot be read fails
 * start-up with its path in the message.
 */
import fs from 'node:fs';
import type { Env } from '~/server/config';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

function read(variable: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `${variable}: cannot read ${file} (${(err as Error).message})`,
    );
  }
}

/** The PEM pair when the receivers serve TLS, undefined for plaintext. */
export function receiverTls(
  env: Pick<
    Env,
    | 'MESHLENS_TLS_CERT_FILE'
    | 'MESHLENS_TLS_KEY_FILE'
    | 'MESHLENS_TLS_RECEIVERS'
  >,
): TlsFiles | undefined {
  const { MESHLENS_TLS_CERT_FILE: cert, MESHLENS_TLS_KEY_FILE: key } = env;
  if (!cert || !key || env.MESHLENS_TLS_RECEIVERS === 'off') return undefined;
  return {
    cert: read('MESHLENS_TLS_CERT_FILE', cert),
    key: read('MESHLENS_TLS_KEY_FILE', key),
  };
}
