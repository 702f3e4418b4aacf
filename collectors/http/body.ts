/**
 * Reads a request body with the limits every HTTP receiver needs: a cap on the bytes on the wire
 * and, separately, on the bytes after decompression (a small gzip body can inflate to gigabytes).
 */
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    public readonly status: number,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function decompressor(
  encoding: string,
  maxBytes: number,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ maxOutputLength: maxBytes + 1 });
    case 'deflate':
      return zlib.createInflate({ maxOutputLength: maxBytes + 1 });
    case 'br':
      return zlib.createBrotliDecompress({ maxOutputLength: maxBytes + 1 });
    default:
      throw new HttpError(
        415,
        `unsupported Content-Encoding "${encoding}"; send gzip, deflate, br or none`,
      );
  }
}

/** Buffers the decoded body. Throws HttpError 413 past maxBytes, 400 on a corrupt compressed body. */
export async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new HttpError(
      413,
      `body of ${declared} bytes is over the limit of ${maxBytes} bytes`,
    );
  }
  const inflate = decompressor(encoding, maxBytes);
  const source: NodeJS.ReadableStream = inflate ? req.pipe(inflate) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) {
        req.unpipe();
        req.resume();
        throw new HttpError(
          413,
          `body is over the limit of ${maxBytes} bytes${inflate ? ' after decompression' : ''}`,
        );
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (
      e.code === 'ERR_BUFFER_TOO_LARGE' ||
      /maxOutputLength|too large/i.test(e.message)
    ) {
      throw new HttpError(
        413,
        `body is over the limit of ${maxBytes} bytes after decompression`,
      );
    }
    if (inflate)
      throw new HttpError(
        400,
        `the ${encoding} body could not be decompressed: ${e.message}`,
      );
    throw new HttpError(400, `the body could not be read: ${e.message}`);
  }
  return Buffer.concat(chunks, size);
}
