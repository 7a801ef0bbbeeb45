import { z } from 'zod';
import { loggedEventSchema } from './events';
import { joinCodeSchema, modelIdSchema, titleSchema } from './primitives';

/** Everything a replay plays: the session's recording. */
export interface ReplayLog {
  joinCode: string;
  title: string;
  modelId: string;
  createdAt: string;
  logVersion: number;
  events: z.infer<typeof loggedEventSchema>[];
}

export interface ReplayShare {
  token: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Listings come a page at a time (docs/limits.md). */
export const MAX_LISTING_PAGE = 50;

export const sessionSummariesBodySchema = z.object({
  sessions: z
    .array(z.object({ joinCode: joinCodeSchema, instructorKey: z.string().min(16).max(128) }))
    .max(200),
  /** Zero-based page of the newest-first list. */
  page: z.number().int().min(0).max(1000).default(0),
  pageSize: z.number().int().min(1).max(MAX_LISTING_PAGE).default(MAX_LISTING_PAGE),
});

export interface SessionListing {
  joinCode: string;
  title: string;
  modelId: string;
  createdAt: string;
  /** From the first to the last logged event. */
  durationSeconds: number;
  students: number;
  exercises: number;
  events: number;
}

export interface SessionListingPage {
  sessions: SessionListing[];
  page: number;
  pageSize: number;
  /** Sessions the keys open, on every page. */
  total: number;
}

const assetSchema = z.object({ id: z.string().min(1).max(256), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** The longest log an import takes (docs/limits.md): hours of teaching are a few thousand events. */
export const MAX_IMPORT_EVENTS = 50_000;
/** The largest session file an import reads. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/** A session as one file: its log plus the models and images it needs, by content hash. */
export const sessionExportSchema = z.object({
  format: z.literal('convlens-session'),
  logVersion: z.number().int().min(1),
  session: z.object({ title: titleSchema, modelId: modelIdSchema, createdAt: z.string() }),
  assets: z.object({ models: z.array(assetSchema).max(100), images: z.array(assetSchema).max(10_000) }),
  events: z.array(loggedEventSchema).max(MAX_IMPORT_EVENTS, `at most ${MAX_IMPORT_EVENTS} events`),
});
export type SessionExport = z.infer<typeof sessionExportSchema>;

export interface MissingAssets {
  models: { id: string; reason: string }[];
  images: { id: string; reason: string }[];
}
