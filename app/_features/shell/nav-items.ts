/** The dashboard's views, in navigation order. The overview is the brand link ("/"). */
export const NAV_ITEMS = [
  { href: '/topology', label: 'Topology', icon: 'topology' },
  { href: '/services', label: 'Services', icon: 'services' },
  { href: '/traces', label: 'Traces', icon: 'traces' },
  { href: '/logs', label: 'Logs', icon: 'logs' },
  { href: '/mtls', label: 'mTLS', icon: 'mtls' },
  { href: '/alerts', label: 'Alerts', icon: 'alerts' },
  { href: '/targets', label: 'Targets', icon: 'targets' },
] as const;

export type NavIconName = (typeof NAV_ITEMS)[number]['icon'] | 'overview';

/** Whether `pathname` is inside the section at `href` ("/traces/abc" is in "/traces"). */
export function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
