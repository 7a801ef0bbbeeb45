import type { ConnectionStatus } from './connection';

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Reconnecting…',
  failed: 'Not connected',
};

export function SessionHeader({
  title,
  joinCode,
  drives,
  status,
}: {
  title: string | undefined;
  joinCode: string;
  drives: boolean;
  status: ConnectionStatus;
}) {
  return (
    <header className="flex flex-wrap items-center gap-4">
      <div>
        <h1 className="text-2xl font-bold">{title || 'ConvLens session'}</h1>
        <p className="text-sm text-slate-600">
          {drives ? 'You are driving this session.' : 'Following the instructor.'}{' '}
          <span data-testid="status" data-status={status}>
            {STATUS_TEXT[status]}
          </span>
        </p>
      </div>
      <div className="ml-auto text-right">
        <div className="text-xs uppercase tracking-wide text-slate-500">Join code</div>
        <div data-testid="join-code" className="font-mono text-3xl font-bold tracking-[0.3em]">
          {joinCode}
        </div>
      </div>
    </header>
  );
}
