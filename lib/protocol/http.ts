import { z } from 'zod';
import { modelIdSchema, titleSchema } from './primitives';

export const createSessionBodySchema = z.object({
  title: titleSchema,
  modelId: modelIdSchema.default('mnist-cnn'),
});
export type CreateSessionBody = z.infer<typeof createSessionBodySchema>;

export interface CreateSessionResult {
  sessionId: string;
  joinCode: string;
  /** Shown once; only its hash is stored. Whoever holds it drives the session. */
  instructorKey: string;
}

export interface SessionSummary {
  joinCode: string;
  title: string;
  modelId: string;
  createdAt: string;
}

export interface HealthReport {
  ok: boolean;
  version: string;
  db: 'sqlite' | 'postgres';
  dbOk: boolean;
  /** `adapter`: the GPU WebGPU runs on, when the backend is webgpu. */
  compute: { backend: string | null; adapter?: string };
  uptimeSeconds: number;
  error?: string;
}

export interface HttpErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]> };
}

/** An image of the server's catalog, as GET /api/images lists it and GET /api/images/<set>/<file> describes it. */
export interface CatalogImage {
  /** `<set>/<file>`: the id events, compute requests and URLs use. */
  id: string;
  file: string;
  /** A human name where one is known: the class of a pack photo, the digit of a built-in image. */
  label?: string;
  /** The file name an uploaded image was sent with (sanitised, at most 120 characters). */
  originalName?: string;
}

export interface CatalogImageSet {
  id: string;
  name: string;
  images: CatalogImage[];
}

/** POST /api/models answers with the stored model's content id. */
export interface ModelUploadResult {
  id: string;
  name: string;
}
