/**
 * A test OTLP/HTTP JSON sender whose every span has a known id (ServiceName `reliability`,
 * SpanId = the span's sequence number in hex), so the store can be checked span by span
 * against what the collector acknowledged.
 */

export const SERVICE = 'reliability';

/** SpanId of sequence number `n` (16 hex digits; never all zeros, which OTLP forbids). */
export const spanIdOf = (n: number) => (n + 1).toString(16).padStart(16, '0');

/** An OTLP ExportTraceServiceRequest (JSON mapping) with spans first..first+count-1. */
export function otlpRequest(first: number, count: number) {
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
  return {
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
  };
}

export const otlpJsonBody = (first: number, count: number): string =>
  JSON.stringify(otlpRequest(first, count));

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
  protected readonly url: string;
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
    url: string,
    firstId = 0,
    protected readonly timeoutMs = 30_000,
  ) {
    this.url = url;
    this.next = firstId;
  }

  /** Ids of the acknowledged spans, as stored (SpanId). */
  ackedIds(): string[] {
    return this.acked.map(spanIdOf);
  }

  /** Takes `count` new sequence numbers. */
  protected take(count: number): number {
    const first = this.next;
    this.next += count;
    return first;
  }

  /** Counts one request's outcome. */
  protected record(
    first: number,
    count: number,
    outcome: SendOutcome,
    status: string,
  ): SendOutcome {
    if (outcome === 'acked')
      for (let n = first; n < first + count; n++) this.acked.push(n);
    this.counts[outcome] += count;
    this.counts.requests++;
    this.counts.statuses[status] = (this.counts.statuses[status] ?? 0) + 1;
    return outcome;
  }

  /** Sends one request of `count` new spans. */
  async send(count: number): Promise<SendOutcome> {
    const first = this.take(count);
    let status = 'error';
    let outcome: SendOutcome = 'failed';
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
        if (Number(partial?.rejectedSpans ?? 0) === 0) outcome = 'acked';
      } else if (res.status === 429 || res.status === 503) outcome = 'refused';
    } catch {
      outcome = 'failed';
    }
    return this.record(first, count, outcome, status);
  }
}
