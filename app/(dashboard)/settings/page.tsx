import type { Metadata } from 'next';
import { SettingsView } from '../../_features/auth/SettingsView';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return <SettingsView />;
}
