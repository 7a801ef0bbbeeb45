import type { LoggedEvent } from '../../lib/protocol/events';

/** The models and images a log names. */
export function referencedAssets(events: readonly LoggedEvent[]): { models: string[]; images: string[] } {
  const models = new Set<string>();
  const images = new Set<string>();
  for (const { body } of events) {
    if (body.type === 'session.created' || body.type === 'model.set') models.add(body.modelId);
    if (body.type === 'image.set') images.add(body.imageId);
  }
  return { models: [...models], images: [...images] };
}
