import Link from 'next/link';
import type { ReactNode } from 'react';
import { AuthStatus } from '../_features/auth/AuthStatus';
import { AppNav } from '../_features/shell/AppNav';
import { ProcessStatus } from '../_features/shell/ProcessStatus';

/** The dashboard frame: brand and navigation on the left, the view on the right. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link href="/" className="brand" aria-label="Meshlens overview">
          <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="var(--accent)" />
            <g
              fill="none"
              stroke="#fff"
              strokeWidth="2.2"
              strokeLinecap="round"
            >
              <circle cx="9" cy="10" r="3" />
              <circle cx="23" cy="10" r="3" />
              <circle cx="16" cy="23" r="3" />
              <path d="M12 10h8M10.5 12.8l4 7.4M21.5 12.8l-4 7.4" />
            </g>
          </svg>
          <span>Meshlens</span>
        </Link>
        <AppNav />
        <ProcessStatus />
        <AuthStatus />
      </aside>
      <main className="content">{children}</main>
    </div>
  );
}
