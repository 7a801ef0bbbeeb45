import Link from 'next/link';
import { SessionList } from '../_ui/replay/session-list';

export default function SessionsPage() {
  return (
    <main className="mx-auto max-w-6xl px-6 py-10">
      <Link href="/" className="text-sm text-indigo-700 underline">
        ← ConvLens
      </Link>
      <h1 className="mt-2 text-3xl font-bold">Your sessions</h1>
      <p className="mt-1 text-slate-600">
        Every session is recorded; replay it, share it with a student who missed it, or export it.
      </p>
      <div className="mt-8">
        <SessionList />
      </div>
    </main>
  );
}
