import Link from 'next/link';
import { CreateSessionForm } from './_ui/home/create-session-form';
import { JoinSessionForm } from './_ui/home/join-session-form';

export default function HomePage() {
  return (
    <main className="mx-auto max-w-4xl px-6 py-16">
      <h1 className="text-4xl font-bold tracking-tight">ConvLens</h1>
      <p className="mt-3 max-w-2xl text-lg text-slate-600">
        A live classroom for seeing what a convolutional network has learned: receptive fields, the neurons
        that fire, its filters, and what happens when part of the image is covered.
      </p>
      <div className="mt-12 grid gap-8 md:grid-cols-2">
        <CreateSessionForm />
        <JoinSessionForm />
      </div>
      <p className="mt-8 text-sm">
        <Link href="/sessions" className="text-indigo-700 underline">
          Your past sessions and their replays →
        </Link>
      </p>
    </main>
  );
}
