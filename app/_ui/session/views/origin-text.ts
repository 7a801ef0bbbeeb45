import type { ResultOrigin } from '@/lib/protocol/compute';

export function originText(origin: ResultOrigin): string {
  const where = origin.where === 'server' ? `server (${origin.backend})` : `your browser (${origin.backend})`;
  return origin.cached ? `${where}, cached` : `${where}, ${Math.round(origin.ms)} ms`;
}
