import type { ConnectionStatus } from './connection';

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Reconnecting…',
  failed: 'Not connected',
};

/** How this screen relates to the shared view. */
export type Seat = 'driving' | 'following' | 'free' | 'exploring';

const SEAT_TEXT: Record<Seat, string> = {
  driving: 'You are driving this session.',
  following: 'Following the instructor.',
  free: 'Free exploration is on: what you change stays on your screen.',
  exploring: 'Exploring on your own: the class does not see your changes.',
};

export function SessionHeader({
  title,
  joinCode,
  seat,
  status,
}: {
  title: string | undefined;
  joinCode: string;
  seat: Seat;
  status: ConnectionStatus;
}) {
  return (
    <header className="flex flex-wrap items-center gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold">{title || 'ConvLens session'}</h1>
        <p className="flex flex-wrap items-center gap-x-2 text-base text-slate-700">
          <span
            data-testid="seat"
            data-seat={seat}
            className={seat === 'exploring' ? 'font-medium text-amber-800' : ''}
          >
            {SEAT_TEXT[seat]}
          </span>
          <span data-testid="status" data-status={status} className="text-slate-600">
            {STATUS_TEXT[status]}
          </span>
        </p>
      </div>
      <div className="ml-auto text-right">
        <div className="text-sm uppercase tracking-wide text-slate-600">Join code</div>
        <div data-testid="join-code" className="font-mono text-3xl font-bold tracking-[0.3em]">
          {joinCode}
        </div>
      </div>
    </header>
  );
}
