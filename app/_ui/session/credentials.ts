// What this browser remembers about the sessions it took part in. The
// instructor key lives only here (the server keeps a hash).
const prefix = 'convlens:';

export interface Credentials {
  instructorKey?: string;
  participantId?: string;
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
