/**
 * MESHLENS_AUTH_TRUSTED_PROXIES: the addresses whose user header is believed. Exact IPv4/IPv6
 * addresses or CIDRs; IPv4-mapped IPv6 peers (`::ffff:10.0.0.5`) match their IPv4 form.
 */
import net from 'node:net';

export type AddressMatcher = (address: string | undefined) => boolean;

function normalize(address: string): string {
  const a = address.trim();
  return a.toLowerCase().startsWith('::ffff:') && net.isIPv4(a.slice(7))
    ? a.slice(7)
    : a;
}

/** Parses the list; throws naming a bad entry. */
export function trustedProxies(spec: string | undefined): AddressMatcher {
  const list = new net.BlockList();
  for (const raw of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr = '', bits] = raw.split('/');
    const family = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : null;
    if (!family)
      throw new Error(
        `MESHLENS_AUTH_TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR`,
      );
    if (bits === undefined) list.addAddress(addr, family);
    else {
      const prefix = Number(bits);
      const max = family === 'ipv4' ? 32 : 128;
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
        throw new Error(
          `MESHLENS_AUTH_TRUSTED_PROXIES: "${raw}" has a bad prefix length`,
        );
      list.addSubnet(addr, prefix, family);
    }
  }
  return (address) => {
    if (!address) return false;
    const a = normalize(address);
    const family = net.isIPv4(a) ? 'ipv4' : net.isIPv6(a) ? 'ipv6' : null;
    return family !== null && list.check(a, family);
  };
}
