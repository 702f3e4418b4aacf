import type { NavIconName } from './nav-items';

const paths: Record<NavIconName, string> = {
  overview: 'M3 3h7v7H3zM14 3h7v4h-7zM14 11h7v10h-7zM3 14h7v7H3z',
  topology:
    'M5 6a2 2 0 1 0 0.01 0M19 6a2 2 0 1 0 0.01 0M12 18a2 2 0 1 0 0.01 0M7 7l4 9M17 7l-4 9M7 6h10',
  services: 'M4 4h16v5H4zM4 15h16v5H4zM7 6.5h.01M7 17.5h.01',
  traces: 'M3 5h8M6 10h10M9 15h6M12 20h9',
  logs: 'M5 4h14v16H5zM8 8h8M8 12h8M8 16h5',
  mtls: 'M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3M12 15v2',
  alerts: 'M6 17V11a6 6 0 0 1 12 0v6l1.5 2h-15zM10 21h4',
  targets: 'M12 3a9 9 0 1 0 0.01 0M12 8a4 4 0 1 0 0.01 0M12 12h.01',
};

/** 18px line icons for the navigation; decorative, so hidden from screen readers. */
export function NavIcon({ name }: { name: NavIconName }) {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.7"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={paths[name]} />
    </svg>
  );
}
