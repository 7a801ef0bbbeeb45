import {
  DEFAULT_PRESENCE,
  type EphemeralState,
  type EphemeralUpdate,
  type Presence,
  type PresenceUpdate,
  type ProbeDrag,
} from '../../lib/protocol/presence';

/**
 * One session's ephemeral state on this server: who is connected here (by counting their sockets), what
 * each participant says about themselves, and the patch being dragged. Every change returns the update to
 * broadcast, or null when nothing changed, so a flood of identical messages sends nothing.
 */
export class EphemeralStore {
  // Kept as a Map and changed in place: with a thousand students, copying a presence record per change made a
  // class leaving at once cost seconds. Snapshots (joins, other servers) copy it once.
  private readonly presence = new Map<string, Presence>();
  private probe: ProbeDrag['probe'] = null;
  private readonly sockets = new Map<string, number>();

  snapshot(): EphemeralState {
    return { presence: Object.fromEntries(this.presence), probe: this.probe };
  }

  /** Sockets of this participant connected to this server. */
  socketsOf(participantId: string): number {
    return this.sockets.get(participantId) ?? 0;
  }

  /** Sockets of the whole session connected to this server. */
  get connectedSockets(): number {
    let total = 0;
    for (const n of this.sockets.values()) total += n;
    return total;
  }

  connected(participantId: string): EphemeralUpdate | null {
    this.sockets.set(participantId, this.socketsOf(participantId) + 1);
    return this.patch(participantId, { online: true });
  }

  disconnected(participantId: string): EphemeralUpdate | null {
    const left = this.socketsOf(participantId) - 1;
    if (left > 0) {
      this.sockets.set(participantId, left);
      return null;
    }
    this.sockets.delete(participantId);
    return this.patch(participantId, { online: false });
  }

  said(participantId: string, update: PresenceUpdate): EphemeralUpdate | null {
    return this.patch(participantId, update);
  }

  dragged(probe: ProbeDrag['probe']): EphemeralUpdate | null {
    const now = this.probe;
    if (now === probe || (now && probe && now.y === probe.y && now.x === probe.x)) return null;
    return this.apply({ type: 'probe', probe });
  }

  /** An update another server announced (several servers share one session). */
  apply(update: EphemeralUpdate): EphemeralUpdate {
    if (update.type === 'probe') this.probe = update.probe;
    else if (update.type === 'presence') this.presence.set(update.participantId, update.presence);
    else
      for (const [participantId, presence] of Object.entries(update.presence))
        this.presence.set(participantId, presence);
    return update;
  }

  private patch(participantId: string, change: Partial<EphemeralState['presence'][string]>) {
    const before = this.presence.get(participantId) ?? DEFAULT_PRESENCE;
    const after = { ...before, ...change };
    const same = (Object.keys(after) as (keyof typeof after)[]).every((k) => after[k] === before[k]);
    if (same && before !== DEFAULT_PRESENCE) return null;
    return this.apply({ type: 'presence', participantId, presence: after });
  }
}
