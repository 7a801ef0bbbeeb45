// Error text as a client may see it: a server path never leaves the server. Messages are written without paths
// where they are made; this is the last guard where errors cross to a client (compute results, HTTP bodies).

/** An absolute POSIX path not inside a URL (no word character, ".", ":" or "/" just before it). */
const ABSOLUTE_PATH = /(?<![\w.:/])\/(?:[^\s/'"`,;()[\]{}<>]+\/)+([^\s/'"`,;()[\]{}<>]*)/g;

/** The message with every absolute path replaced by its last segment (the file name). */
export function withoutServerPaths(message: string): string {
  return message.replace(ABSOLUTE_PATH, (_, last: string) => last || '(folder)');
}

export function clientMessage(error: unknown): string {
  return withoutServerPaths(error instanceof Error ? error.message : String(error));
}
