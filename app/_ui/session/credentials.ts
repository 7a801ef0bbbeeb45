// What this browser remembers about the sessions it took part in. The
// instructor key lives only here (the server keeps a hash).
const prefix = 'convlens:';

export interface Credentials {
  instructorKey?: string;
  participantId?: string;
  /** Proves this browser is `participantId` when it comes back (given by the server once). */
  resumeSecret?: string;
  name?: string;
}

export function loadCredentials(joinCode: string): Credentials {
  try {
    return JSON.parse(localStorage.getItem(`${prefix}${joinCode}`) ?? '{}') as Credentials;
  } catch {
    return {};
  }
}

export function saveCredentials(joinCode: string, update: Credentials): void {
  const merged = { ...loadCredentials(joinCode), ...update };
  localStorage.setItem(`${prefix}${joinCode}`, JSON.stringify(merged));
}

/** The projector's resume credentials: kept apart, so the presenter page never reads the instructor key. */
const presenterPrefix = 'convlens-presenter:';

export interface CredentialsStore {
  load(joinCode: string): Credentials;
  save(joinCode: string, update: Pick<Credentials, 'participantId' | 'resumeSecret'>): void;
}

export function credentialsStore(seat: 'participant' | 'presenter'): CredentialsStore {
  if (seat === 'participant') return { load: loadCredentials, save: saveCredentials };
  const read = (joinCode: string): Credentials => {
    try {
      const stored = JSON.parse(localStorage.getItem(`${presenterPrefix}${joinCode}`) ?? '{}') as Credentials;
      return { participantId: stored.participantId, resumeSecret: stored.resumeSecret };
    } catch {
      return {};
    }
  };
  return {
    load: read,
    save: (joinCode, update) =>
      localStorage.setItem(`${presenterPrefix}${joinCode}`, JSON.stringify({ ...read(joinCode), ...update })),
  };
}

/** Every session this browser holds the instructor key of. */
export function instructorSessions(): { joinCode: string; instructorKey: string }[] {
  const found: { joinCode: string; instructorKey: string }[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(prefix)) continue;
    const joinCode = key.slice(prefix.length);
    const { instructorKey } = loadCredentials(joinCode);
    if (instructorKey && /^[A-Z0-9]{6}$/.test(joinCode)) found.push({ joinCode, instructorKey });
  }
  return found;
}
