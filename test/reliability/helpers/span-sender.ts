/**
 * A test OTLP/HTTP JSON sender whose every span has a known id (ServiceName `reliability`,
 * SpanId = the span's sequence number in hex), so the store can be checked span by span
 * against what the collector acknowledged.
 */

export const SERVICE = 'reliability';

/** SpanId of sequence number `n` (16 hex digits; never all zeros, which OTLP forbids). */
export const spanIdOf = (n: number) => (n + 1).toString(16).padStart(16, '0');

/** An OTLP JSON ExportTraceServiceRequest with spans first..first+count-1. */
export function otlpJsonBody(first: number, count: number): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let n = first; n < first + count; n++) {
    spans.push({
      traceId: (Math.floor(n / 16) + 1).toString(16).padStart(32, '0'),
      spanId: spanIdOf(n),
      name: `GET /item/${n % 50}`,
      kind: 2,
      startTimeUnixNano: String(nowNs - 5_000_000n),
      endTimeUnixNano: String(nowNs),
      attributes: [
        { key: 'http.method', value: { stringValue: 'GET' } },
        { key: 'http.status_code', value: { intValue: '200' } },
      ],
      status: {},
    });
  }
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: SERVICE } },
          ],
        },
        scopeSpans: [{ scope: {}, spans }],
      },
    ],
  });
}

export type SendOutcome = 'acked' | 'refused' | 'failed';

export interface SenderCounts {
  requests: number;
  acked: number;
  refused: number;
  failed: number;
  /** HTTP status -> requests. */
  statuses: Record<string, number>;
}

/**
 * Sends spans and remembers which were acknowledged (HTTP 200 without rejected spans).
 * 429/503 are "refused" (the collector pushed back); anything else is "failed".
 */
export class SpanSender {
  private next: number;
  readonly acked: number[] = [];
  readonly counts: SenderCounts = {
    requests: 0,
    acked: 0,
    refused: 0,
    failed: 0,
    statuses: {},
  };

  /** `firstId`: the sequence number of the first span (keep senders of one store apart). */
  constructor(
    private readonly url: string,
    firstId = 0,
    private readonly timeoutMs = 30_000,
  ) {
    this.next = firstId;
  }

  /** Ids of the acknowledged spans, as stored (SpanId). */
  ackedIds(): string[] {
    return this.acked.map(spanIdOf);
  }

  /** Sends one request of `count` new spans. */
  async send(count: number): Promise<SendOutcome> {
    const first = this.next;
    this.next += count;
    this.counts.requests++;
    let status = 'error';
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: otlpJsonBody(first, count),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = String(res.status);
      const text = await res.text();
      if (res.status === 200) {
        const partial = (
          JSON.parse(text || '{}') as {
            partialSuccess?: { rejectedSpans?: number | string };
          }
        ).partialSuccess;
        if (Number(partial?.rejectedSpans ?? 0) === 0) {
          for (let n = first; n < first + count; n++) this.acked.push(n);
          this.counts.acked += count;
          return 'acked';
        }
      }
      if (res.status === 429 || res.status === 503) {
        this.counts.refused += count;
        return 'refused';
      }
      this.counts.failed += count;
      return 'failed';
    } catch {
      this.counts.failed += count;
      return 'failed';
    } finally {
      this.counts.statuses[status] = (this.counts.statuses[status] ?? 0) + 1;
    }
  }
}
