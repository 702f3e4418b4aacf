/**
 * Istio's naming conventions, as they appear in telemetry (see shared/reference/
 * envoy-access-logs.md section 4 and traces.md section 7). Pure string builders.
 */
import { hash32 } from './prng';

/** SPIFFE identity of a service account: `spiffe://<trustDomain>/ns/<ns>/sa/<sa>`. */
export function spiffeId(
  trustDomain: string,
  namespace: string,
  serviceAccount: string,
): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** Kubernetes Service FQDN: `<name>.<ns>.svc.cluster.local`. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/** Client-side cluster name: `outbound|<port>|<subset>|<host>`. */
export function outboundCluster(
  port: number,
  host: string,
  subset = '',
): string {
  return `outbound|${port}|${subset}|${host}`;
}

/** Server-side cluster name of 1.10+ proxies: `inbound|<targetPort>||`. */
export function inboundCluster(targetPort: number): string {
  return `inbound|${targetPort}||`;
}

/** SNI a sidecar sets when it originates Istio mTLS: `outbound_.<port>_.<subset>_.<host>`. */
export function mtlsSni(port: number, host: string, subset = ''): string {
  return `outbound_.${port}_.${subset}_.${host}`;
}

/** Envoy node id: `sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local` (`router~` for gateways). */
export function nodeId(
  type: 'sidecar' | 'router',
  ip: string,
  pod: string,
  namespace: string,
): string {
  return `${type}~${ip}~${pod}.${namespace}~${namespace}.svc.cluster.local`;
}

/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function kubeSuffix(label: string, length: number): string {
  let h = hash32(label);
  let out = '';
  for (let i = 0; i < length; i++) {
    if (i % 6 === 0 && i > 0) h = hash32(`${label}#${i}`);
    out += KUBE_ALPHABET[h % KUBE_ALPHABET.length];
    h = Math.floor(h / KUBE_ALPHABET.length);
  }
  return out;
}

/** A Deployment pod name, `<workload>-<10 chars>-<5 chars>`, stable for the same inputs. */
export function podName(
  workload: string,
  namespace: string,
  cluster: string,
  replica: number,
): string {
  return `${workload}-${kubeSuffix(`${namespace}/${workload}`, 10)}-${kubeSuffix(`${cluster}/${namespace}/${workload}/${replica}`, 5)}`;
}

/** W3C tracestate threshold (OTel `ot=th:`) for a sampling probability; `0` means 100 %. */
export function samplingThreshold(samplingPercent: number): string {
  const p = Math.min(Math.max(samplingPercent / 100, 0), 1);
  const rejected = BigInt(Math.round((1 - p) * 2 ** 56));
  if (rejected === 0n) return '0';
  return rejected.toString(16).padStart(14, '0').replace(/0+$/, '');
}
