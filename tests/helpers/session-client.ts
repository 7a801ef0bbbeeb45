import type { Action } from '@/lib/protocol/actions';
import type { LoggedEvent } from '@/lib/protocol/events';
import type { CreateSessionResult } from '@/lib/protocol/http';
import type { EphemeralState, EphemeralUpdate } from '@/lib/protocol/presence';
import type { JoinResult, Response } from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { fold } from '@/lib/session/reducer';
import { Sequencer } from '@/lib/session/sequencer';
import type { SessionState } from '@/lib/session/state';
import { connect, postJson, type TestSocket } from './server';

/** A scripted participant over a real socket, folding events the way the browser does. */
export class TestParticipant {
  private sequencer: Sequencer | null = null;
  readonly received: LoggedEvent[] = [];
  participantId = '';
  /** Ephemeral state as the join answered it (presence, the dragged patch). */
  joinedEphemeral: EphemeralState | null = null;
  /** Given by the join that created this participant: what resuming as them takes. */
  resumeSecret: string | undefined;
  readonly ephemeral: EphemeralUpdate[] = [];
  /** Checks run after every folded event: `until` waits on them, not on a clock. */
  private readonly watchers = new Set<() => void>();

  private constructor(readonly socket: TestSocket) {
    socket.on('session:event', (event) => {
      this.received.push(event);
      this.sequencer?.accept(event);
      this.notify();
    });
    socket.on('session:ephemeral', (update) => {
      // A batch is several presence updates merged by the server's outbox: recorded one by one.
      if (update.type !== 'presence-batch') this.ephemeral.push(update);
      else
        for (const [participantId, presence] of Object.entries(update.presence))
          this.ephemeral.push({ type: 'presence', participantId, presence });
    });
  }

  /** Reconnects as the same participant, asking only for what follows the last folded seq. */
  static async resume(url: string, joinCode: string, previous: TestParticipant): Promise<TestParticipant> {
    return TestParticipant.join(
      url,
      {
        joinCode,
        participantId: previous.participantId,
        resumeSecret: previous.resumeSecret,
        lastSeq: previous.state?.seq,
      },
      previous.state,
      previous.resumeSecret,
    );
  }

  static async join(
    url: string,
    request: Record<string, unknown>,
    from: SessionState | null = null,
    resumeSecret?: string,
  ): Promise<TestParticipant> {
    const participant = new TestParticipant(await connect(url));
    const response = await participant.request<JoinResult>('session:join', {
      protocolVersion: PROTOCOL_VERSION,
      ...request,
    });
    if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
    participant.participantId = response.value.participantId;
    participant.resumeSecret = response.value.resumeSecret ?? resumeSecret;
    participant.joinedEphemeral = response.value.ephemeral;
    const result = response.value;
    const joined = result.kind === 'snapshot' ? result.state : fold(result.events, from ?? undefined);
    // Events broadcast while the join was answered may already be waiting.
    const sequencer = new Sequencer(joined);
    for (const e of participant.received) sequencer.accept(e);
    participant.sequencer = sequencer;
    participant.notify();
    return participant;
  }

  request<T>(
    event: 'session:join' | 'session:act' | 'session:presence' | 'session:probe' | 'compute:request',
    payload: unknown,
  ): Promise<Response<T>> {
    return new Promise((resolve) => {
      (this.socket.emit as (e: string, p: unknown, ack: (r: Response<T>) => void) => void)(
        event,
        payload,
        resolve,
      );
    });
  }

  /** What this participant has folded so far (null before it joined). */
  get state(): SessionState | null {
    return this.sequencer?.state ?? null;
  }

  act(action: Action | Record<string, unknown>): Promise<Response<{ seq: number }>> {
    return this.request('session:act', action);
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  /** Resolves once this participant has folded up to `seq` (rejects after `timeoutMs`). */
  until(seq: number, timeoutMs = 5000): Promise<SessionState> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.state || this.state.seq < seq) return;
        done();
        resolve(this.state);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`seq ${seq} not reached (at ${this.state?.seq})`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
      check();
    });
  }

  close(): void {
    this.socket.close();
  }
}

export async function createSession(url: string, title = 'Test session'): Promise<CreateSessionResult> {
  const { status, body } = await postJson<CreateSessionResult>(`${url}/api/sessions`, { title });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return body;
}
