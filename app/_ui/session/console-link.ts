// The instructor key travels between devices in a URL fragment: browsers never send the
// fragment to a server, so it stays out of request logs and Referer headers.

const FRESH = 'convlens:fresh-key:';

/** The console's address that carries the key: opening it on another device drives the session there. */
export function consoleLink(origin: string, joinCode: string, instructorKey: string): string {
  return `${origin}/s/${joinCode}/instructor#key=${encodeURIComponent(instructorKey)}`;
}

/** The key in this page's fragment, if any; the fragment is then removed from the address bar. */
export function takeKeyFromFragment(): string | null {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null;
  }
}

/** The console shows a new session's key once: this tab has just created (or imported) it. */
export function markKeyFresh(joinCode: string): void {
  sessionStorage.setItem(FRESH + joinCode, '1');
}

export function isKeyFresh(joinCode: string): boolean {
  return sessionStorage.getItem(FRESH + joinCode) === '1';
}

export function forgetKeyFresh(joinCode: string): void {
  sessionStorage.removeItem(FRESH + joinCode);
}

/** Copies text; falls back to a hidden text area where the Clipboard API is missing (plain-HTTP LAN addresses). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused: try the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
