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
  compute: { backend: string | null };
  uptimeSeconds: number;
  error?: string;
}

export interface HttpErrorBody {
  error: { code: string; message: string; fields?: Record<string, string[]> };
}
