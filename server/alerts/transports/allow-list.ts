/**
 * Outbound allow list for alert deliveries (MESHLENS_ALERT_ALLOWED_HOSTS), so a rule's webhook
 * URL cannot make the server reach internal addresses it was not meant to. Unset: every host is
 * allowed. Set: a comma list of host names or IPs, each optionally with `:port`, and `*.domain`
 * for any subdomain; URLs to other hosts are refused when a rule is saved and again when sent.
 * The check is on the URL's host as written: a name that resolves to an internal address is the
 * operator's to avoid (docs/alerts.md).
 */

export interface HostAllowList {
  /** The entries as configured (for messages). */
  entries: readonly string[];
  allows(url: URL): boolean;
}

interface Entry {
  host: string;
  wildcard: boolean;
  port: string | null;
}

function parseEntry(raw: string): Entry {
  let text = raw.trim().toLowerCase();
  let port: string | null = null;
  const m = /^(.*?):(\d+)$/.exec(text);
  if (m && !text.endsWith(']') && (text.match(/:/g) ?? []).length === 1) {
    text = m[1]!;
    port = m[2]!;
  } else if (/^\[.*\]:\d+$/.test(text)) {
    const i = text.lastIndexOf(':');
    port = text.slice(i + 1);
    text = text.slice(0, i);
  }
  const wildcard = text.startsWith('*.');
  return { host: wildcard ? text.slice(1) : text, wildcard, port };
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Parses the config value; `undefined` or blank: everything allowed. */
export function hostAllowList(value: string | undefined): HostAllowList {
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return { entries, allows: () => true };
  const parsed = entries.map(parseEntry);
  return {
    entries,
    allows(url) {
      const host = url.hostname.toLowerCase();
      return parsed.some((e) => {
        if (e.port !== null && e.port !== defaultPort(url)) return false;
        return e.wildcard
          ? host.endsWith(e.host) && host.length > e.host.length
          : host === e.host;
      });
    },
  };
}

/** Why a URL is refused, or null when it may be used. */
export function refusal(list: HostAllowList, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'only http and https URLs are delivered to';
  if (!list.allows(u))
    return `host ${u.host} is not in MESHLENS_ALERT_ALLOWED_HOSTS (${list.entries.join(', ')})`;
  return null;
}
