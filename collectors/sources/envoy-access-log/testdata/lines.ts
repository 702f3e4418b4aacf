/** Istio 1.9+ default-format lines for tests and benchmarks (unique request ids). */
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** One line; `i` makes the request id, timestamp and ports unique; odd i = server sidecar. */
export function istioLine(i: number, base = Date.now() - 3_600_000): string {
  const ts = new Date(base + Math.floor(i / 2) * 3).toISOString();
  const rid = `a${pad(Math.floor(i / 2), 7)}-6d84-929d-98bd-c5aee93b5c88`;
  const code = i % 17 === 0 ? 503 : 200;
  const flags = code === 503 ? 'UF,URX' : '-';
  if (i % 2 === 0) {
    return `[${ts}] "GET /api/v1/products/${i % 100}?q=x HTTP/1.1" ${code} ${flags} via_upstream - "-" 0 ${1000 + (i % 500)} ${4 + (i % 40)} ${3 + (i % 40)} "-" "curl/7.73.0-DEV" "${rid}" "reviews:9080" "10.44.1.27:9080" outbound|9080|v2|reviews.bookinfo.svc.cluster.local 10.44.1.23:${30000 + (i % 30000)} 10.0.45.184:9080 10.44.1.23:46520 - default`;
  }
  return `[${ts}] "GET /api/v1/products/${i % 100}?q=x HTTP/1.1" ${code} - via_upstream - "-" 0 ${1000 + (i % 500)} ${3 + (i % 40)} ${2 + (i % 40)} "-" "curl/7.73.0-DEV" "${rid}" "reviews:9080" "10.44.1.27:9080" inbound|9080|| 127.0.0.6:${30000 + (i % 30000)} 10.44.1.27:9080 10.44.1.23:${30000 + (i % 30000)} outbound_.9080_.v2_.reviews.bookinfo.svc.cluster.local default`;
}
