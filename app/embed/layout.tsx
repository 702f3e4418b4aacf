import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'Meshlens widget',
  robots: { index: false, follow: false },
};

/** Embeds: no navigation, no sidebar; the server checked the token before this renders. */
export default function EmbedLayout({ children }: { children: ReactNode }) {
  return children;
}
