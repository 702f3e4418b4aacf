import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="standalone">
      <h1>Page not found</h1>
      <p>
        There is no Meshlens view at this address. Go to the{' '}
        <Link href="/">Overview</Link>.
      </p>
    </main>
  );
}
