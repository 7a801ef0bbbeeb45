'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { consoleLink, copyText, forgetKeyFresh, isKeyFresh } from './console-link';
import { loadCredentials } from './credentials';
import { LinkQr } from './link-qr';

/**
 * A new session's instructor key, shown once, on the laptop, before anything
 * is projected: copy it, or copy the link that opens this console on another
 * device. Closing it for good is the only way out; the key is not shown again.
 */
export function InstructorKeyDialog({ joinCode }: { joinCode: string }) {
  const [key, setKey] = useState<string | null>(null);
  const [copied, setCopied] = useState<'key' | 'link' | null>(null);
  const [showQr, setShowQr] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();

  useEffect(() => {
    if (isKeyFresh(joinCode)) setKey(loadCredentials(joinCode).instructorKey ?? null);
  }, [joinCode]);

  useEffect(() => {
    const dialog = ref.current;
    if (key && dialog && !dialog.open) dialog.showModal();
  }, [key]);

  if (!key) return null;
  const link = consoleLink(location.origin, joinCode, key);
  const copy = async (what: 'key' | 'link') => {
    if (await copyText(what === 'key' ? key : link)) setCopied(what);
  };
  const close = () => {
    forgetKeyFresh(joinCode);
    ref.current?.close();
    setKey(null);
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${ids}-title`}
      data-testid="instructor-key-dialog"
      onCancel={(e) => e.preventDefault()}
      className="m-auto max-w-lg rounded-xl p-0 shadow-2xl backdrop:bg-slate-900/60"
    >
      <div className="space-y-4 p-6">
        <h2 id={`${ids}-title`} className="text-xl font-semibold">
          Your instructor key
        </h2>
        <p className="text-slate-700">
          This key drives session <span className="font-mono font-semibold">{joinCode}</span>. It is shown
          only now and only here: this browser remembers it. Keep it off the projector.
        </p>
        <p
          data-testid="instructor-key"
          className="select-all break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-sm"
        >
          {key}
        </p>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            onClick={() => void copy('key')}
            className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50"
          >
            {copied === 'key' ? 'Key copied' : 'Copy key'}
          </button>
          <button
            type="button"
            onClick={() => void copy('link')}
            className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50"
          >
            {copied === 'link' ? 'Link copied' : 'Copy link for another device'}
          </button>
          <button
            type="button"
            aria-expanded={showQr}
            onClick={() => setShowQr((shown) => !shown)}
            className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50"
          >
            {showQr ? 'Hide the QR code' : 'QR code for a phone or tablet'}
          </button>
        </div>
        {showQr && (
          <LinkQr link={link} label="QR code of the link that drives this session from another device" />
        )}
        <p className="text-sm text-slate-600">
          Open on another device: the link carries the key after the <span className="font-mono">#</span>,
          which browsers never send to the server. Anyone with the link can drive the session.
        </p>
        <button
          type="button"
          onClick={close}
          className="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
        >
          I have what I need
        </button>
      </div>
    </dialog>
  );
}
