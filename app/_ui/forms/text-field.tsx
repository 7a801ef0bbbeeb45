import type { InputHTMLAttributes } from 'react';

/** A labelled text input in the home and join forms' style. */
export function TextField({
  id,
  label,
  className = '',
  ...input
}: { id: string; label: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label className="mt-4 block text-sm font-medium text-slate-700" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        {...input}
        className={`mt-1 w-full rounded-md border border-slate-300 px-3 py-2 ${className}`}
      />
    </>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-2 text-sm text-red-700">
      {message}
    </p>
  );
}
