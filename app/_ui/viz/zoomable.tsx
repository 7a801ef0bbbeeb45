'use client';

import { type ReactNode, useId, useRef, useState } from 'react';

/**
 * A thumbnail that opens large in a dialog when clicked: tiles and photos drawn small to fit a grid can
 * be read from the back of a lecture hall. `large` is rendered only while open.
 */
export function Zoomable({
  label,
  large,
  children,
  onOpen,
}: {
  /** What the thumbnail shows, for the button and the dialog's title. */
  label: string;
  large: () => ReactNode;
  children: ReactNode;
  onOpen?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const id = useId();
  const show = () => {
    setOpen(true);
    onOpen?.();
    ref.current?.showModal();
  };
  const close = () => {
    ref.current?.close();
  };
  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-label={`Enlarge: ${label}`}
        className="block cursor-zoom-in rounded focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {children}
      </button>
      <dialog
        ref={ref}
        aria-labelledby={`${id}-title`}
        onClose={() => setOpen(false)}
        className="m-auto max-h-[95vh] max-w-[95vw] rounded-xl p-0 shadow-2xl backdrop:bg-slate-900/70"
      >
        <div className="space-y-3 p-4">
          <div className="flex items-center justify-between gap-4">
            <h2 id={`${id}-title`} className="text-lg font-semibold">
              {label}
            </h2>
            <button
              type="button"
              onClick={close}
              className="rounded-md border border-slate-300 px-3 py-1 font-medium hover:bg-slate-50"
            >
              Close
            </button>
          </div>
          {open && large()}
        </div>
      </dialog>
    </>
  );
}
