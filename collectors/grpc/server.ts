/**
 * The gRPC listener (OTLP services, Envoy ALS). Unknown methods get UNIMPLEMENTED from grpc-js.
 * TLS when given a certificate (server credentials from ../http/tls.ts, no client certificate
 * asked); a plaintext client then fails its handshake and sees UNAVAILABLE, the server goes on.
 */
import * as grpc from '@grpc/grpc-js';
import type { TlsFiles } from '../http/tls';
import type { GrpcService } from '../sources';

export interface GrpcListener {
  url: string;
  close(): Promise<void>;
}

export async function startGrpcListener(opts: {
  host: string;
  port: number;
  services: GrpcService[];
  maxReceiveBytes: number;
  /** Serve TLS with this certificate and key. */
  tls?: TlsFiles;
}): Promise<GrpcListener> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': opts.maxReceiveBytes,
    'grpc.keepalive_permit_without_calls': 1,
  });
  for (const s of opts.services)
    server.addService(s.definition, s.implementation);
  const address = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      address,
      opts.tls
        ? grpc.ServerCredentials.createSsl(
            null,
            [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }],
            false,
          )
        : grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  return {
    url: `${opts.tls ? 'grpcs' : 'grpc'}://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
