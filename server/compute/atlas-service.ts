// Activation atlases on the server: the first time a model and image set are used for "neurons that
// fire", their atlas is built in the background (one build at a time, in short steps at the lowest
// priority, so the jobs people wait for go first) and stored; from then on every layer and channel is
// answered from it in milliseconds. The rooms that used it see its progress under atlasProgressKey.
import { decodeResult, type EncodedResult, encodeResult } from '../../lib/protocol/codec';
import {
  atlasProgressKey,
  type ComputeJobState,
  type ComputeProgress,
  type ComputeRequest,
  type EncodedComputeResult,
} from '../../lib/protocol/compute';
import { clipBox, neuronBox, queryAtlas } from '../../lib/viz';
import type { AtlasIdentity } from './atlas-identity';
import type { AtlasStepRequest, AtlasStepResult } from './atlas-step';
import type { AtlasStore, StoredAtlas } from './atlas-store';
import type { PoolJob, SubmitOptions } from './worker-pool';

export type TopActivatingRequest = Extract<ComputeRequest, { kind: 'top-activating' }>;

/** Images kept per channel: a 3×3 grid, and every k the views ask for (8). */
export const ATLAS_K = 9;

export interface AtlasServiceOptions {
  /** The atlas's identity (database key, set size) for a model and image set at this k. */
  identity: (modelId: string, imageSetId: string, k: number) => Promise<AtlasIdentity>;
  store: AtlasStore;
  /** Where the steps run: the server's worker threads; none: stored atlases are read, none is built. */
  pool: { submit(request: AtlasStepRequest, options: SubmitOptions): PoolJob } | null;
  k?: number;
  /** How long one step runs before its worker is free again. */
  stepMs?: number;
  /** Bytes of atlases kept in memory (the rest are read from the database when asked). */
  memoryBytes?: number;
  /** After a failed build, how long before a new use tries again. */
  retryAfterMs?: number;
  log?: { warn(object: object, message: string): void; info(object: object, message: string): void };
}

interface Build {
  slot: string;
  modelId: string;
  imageSetId: string;
  rooms: Set<string>;
  controller: AbortController;
  phase: 'checking' | 'queued' | 'building';
  state: ComputeJobState | null;
  lastPublished: number;
  /** Called when this build's turn comes. */
  go?: () => void;
  /** Resolves true once the atlas is stored, false if the build failed or was cancelled. */
  finished: Promise<boolean>;
  finish: (stored: boolean) => void;
}

type ProgressListener = (room: string, progress: ComputeProgress) => void;
type ReadyListener = (modelId: string, imageSetId: string) => void;

const PROGRESS_INTERVAL_MS = 250;
const MAX_REMEMBERED_FAILURES = 256;

function slotOf(modelId: string, imageSetId: string): string {
  return JSON.stringify([modelId, imageSetId]);
}

export class AtlasService {
  readonly k: number;
  private readonly stepMs: number;
  private readonly memoryBytes: number;
  private readonly retryAfterMs: number;
  /** Atlases in memory, least recently used first. */
  private readonly ready = new Map<string, StoredAtlas>();
  private readyBytes = 0;
  private readonly loads = new Map<string, Promise<StoredAtlas | null>>();
  private readonly identities = new Map<string, Promise<AtlasIdentity>>();
  private readonly builds = new Map<string, Build>();
  /** Builds waiting for their turn, the running one first. */
  private readonly turns: Build[] = [];
  private readonly failedAt = new Map<string, number>();
  private readonly progressListeners = new Set<ProgressListener>();
  private readonly readyListeners = new Set<ReadyListener>();
  private closed = false;

  constructor(private readonly options: AtlasServiceOptions) {
    this.k = options.k ?? ATLAS_K;
    this.stepMs = options.stepMs ?? 4000;
    this.memoryBytes = options.memoryBytes ?? 96 * 1024 * 1024;
    this.retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
  }

  onProgress(listener: ProgressListener): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** An atlas was stored: pending requests it answers can stop their own computation. */
  onReady(listener: ReadyListener): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** The request's model and image set are in use: start their atlas unless it exists; the room sees its progress. */
  use(request: TopActivatingRequest, room?: string): void {
    if (this.closed) return;
    const slot = slotOf(request.modelId, request.imageSetId);
    if (this.ready.has(slot)) return;
    const running = this.builds.get(slot);
    if (running) {
      if (room && !running.rooms.has(room)) {
        running.rooms.add(room);
        if (running.state) this.emit(running, room, running.state);
      }
      return;
    }
    if (Date.now() - (this.failedAt.get(slot) ?? Number.NEGATIVE_INFINITY) < this.retryAfterMs) return;
    let finish: (stored: boolean) => void = () => {};
    const finished = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    const build: Build = {
      slot,
      modelId: request.modelId,
      imageSetId: request.imageSetId,
      rooms: new Set(room ? [room] : []),
      controller: new AbortController(),
      phase: 'checking',
      state: null,
      lastPublished: 0,
      finished,
      finish,
    };
    this.builds.set(slot, build);
    void this.run(build);
  }

  /**
   * While the atlas of this model and image set is being built: resolves true once it is stored (false if
   * the build fails or stops). Null when none is being built.
   */
  building(modelId: string, imageSetId: string): Promise<boolean> | null {
    return this.builds.get(slotOf(modelId, imageSetId))?.finished ?? null;
  }

  /** The request answered from a stored atlas (encoded), or null when none answers it (yet). */
  async answer(
    request: TopActivatingRequest,
  ): Promise<{ result: EncodedComputeResult; backend: string; ms: number } | null> {
    if (request.k > this.k) return null;
    const slot = slotOf(request.modelId, request.imageSetId);
    let stored = this.ready.get(slot) ?? null;
    if (stored) {
      this.ready.delete(slot);
      this.ready.set(slot, stored);
    } else {
      // Being built: not stored yet. Being checked: the check reads the database, so wait for it.
      const phase = this.builds.get(slot)?.phase;
      if (phase === 'queued' || phase === 'building') return null;
      stored = await this.load(request.modelId, request.imageSetId).catch(() => null);
      if (!stored) return null;
    }
    const started = performance.now();
    const field = stored.receptiveFields[request.layer];
    if (!field || !stored.atlas.layers.some((l) => l.name === request.layer)) return null;
    const { height, width } = stored.inputSize;
    try {
      const result = queryAtlas(
        stored.atlas,
        { layer: request.layer, channels: request.channels, k: request.k },
        (y, x) => {
          const box = neuronBox(field, y, x);
          return { box, clippedBox: clipBox(box, height, width) };
        },
      );
      return {
        result: encodeResult(result) as EncodedComputeResult,
        backend: `${stored.backend} atlas`,
        ms: performance.now() - started,
      };
    } catch {
      // A channel outside the layer: the plain computation says so.
      return null;
    }
  }

  /** Stops every build (at its next batch). */
  close(): void {
    this.closed = true;
    for (const build of this.builds.values()) build.controller.abort();
  }

  /** The stored atlas, read once however many ask at the same time. */
  private load(modelId: string, imageSetId: string): Promise<StoredAtlas | null> {
    const slot = slotOf(modelId, imageSetId);
    let loading = this.loads.get(slot);
    if (!loading) {
      loading = (async () => {
        const identity = await this.identity(modelId, imageSetId);
        const stored = await this.options.store.get(identity.key);
        if (stored) this.keep(slot, stored);
        return stored;
      })();
      this.loads.set(slot, loading);
      const forget = () => this.loads.delete(slot);
      loading.then(forget, forget);
    }
    return loading;
  }

  /** Hashing the model and listing the set's files once per model and set (the catalog is fixed at start). */
  private identity(modelId: string, imageSetId: string): Promise<AtlasIdentity> {
    const slot = slotOf(modelId, imageSetId);
    let identity = this.identities.get(slot);
    if (!identity) {
      identity = this.options.identity(modelId, imageSetId, this.k);
      this.identities.set(slot, identity);
      identity.catch(() => this.identities.delete(slot));
    }
    return identity;
  }

  private keep(slot: string, stored: StoredAtlas): void {
    const old = this.ready.get(slot);
    if (old) this.readyBytes -= old.bytes;
    this.ready.delete(slot);
    this.ready.set(slot, stored);
    this.readyBytes += stored.bytes;
    for (const [oldSlot, entry] of this.ready) {
      if (this.readyBytes <= this.memoryBytes || oldSlot === slot) break;
      this.ready.delete(oldSlot);
      this.readyBytes -= entry.bytes;
    }
  }

  private async run(build: Build): Promise<void> {
    const { modelId, imageSetId, slot, controller } = build;
    try {
      if ((await this.load(modelId, imageSetId)) || !this.options.pool) return;
      const identity = await this.identity(modelId, imageSetId);
      build.phase = 'queued';
      await this.turn(build);
      controller.signal.throwIfAborted();
      build.phase = 'building';
      const started = performance.now();
      const built = await this.steps(build, identity);
      const ms = performance.now() - started;
      const bytes = await this.options.store.put(identity, { ...built, ms });
      this.keep(slot, { ...built, ms, bytes });
      this.options.log?.info(
        { modelId, imageSetId, images: identity.total, ms: Math.round(ms), bytes },
        'activation atlas stored',
      );
      this.publish(build, { state: 'running', done: identity.total, total: identity.total, etaMs: 0 }, true);
      build.finish(true);
      for (const listener of this.readyListeners) listener(modelId, imageSetId);
    } catch (error) {
      if (controller.signal.aborted) {
        this.publish(build, { state: 'cancelled' }, true);
      } else {
        this.failedAt.set(slot, Date.now());
        // Unknown models and sets fail too: remember only the latest few.
        if (this.failedAt.size > MAX_REMEMBERED_FAILURES)
          this.failedAt.delete(this.failedAt.keys().next().value!);
        const reason = (error as Error).message;
        this.options.log?.warn({ modelId, imageSetId, reason }, 'activation atlas failed');
        this.publish(build, { state: 'failed', code: 'compute-failed', reason }, true);
      }
    } finally {
      build.finish(false);
      this.builds.delete(slot);
      const at = this.turns.indexOf(build);
      if (at >= 0) this.turns.splice(at, 1);
      this.turns[0]?.go?.();
      this.turns.forEach((waiting, ahead) => {
        if (waiting.phase === 'queued') this.publish(waiting, { state: 'queued', ahead }, true);
      });
    }
  }

  /** One build at a time (each holds its heaps in memory): resolves when this one's turn comes. */
  private turn(build: Build): Promise<void> {
    this.turns.push(build);
    if (this.turns.length === 1) return Promise.resolve();
    this.publish(build, { state: 'queued', ahead: this.turns.length - 1 }, true);
    return new Promise<void>((resolve, reject) => {
      build.go = resolve;
      build.controller.signal.addEventListener('abort', () => reject(build.controller.signal.reason), {
        once: true,
      });
    });
  }

  private async steps(build: Build, identity: AtlasIdentity): Promise<Omit<StoredAtlas, 'ms' | 'bytes'>> {
    const { total } = identity;
    const pool = this.options.pool!;
    let resume: EncodedResult<AtlasStepResult['atlas']> | undefined;
    let done = 0;
    let activeMs = 0;
    for (;;) {
      let stepStarted = performance.now();
      const job = pool.submit(
        {
          kind: 'atlas-step',
          modelId: build.modelId,
          imageSetId: build.imageSetId,
          k: this.k,
          total,
          resume,
          stepMs: this.stepMs,
        },
        {
          priority: 'prepare',
          signal: build.controller.signal,
          onState: (state) => {
            if (state.state === 'queued') return this.publish(build, state, true);
            if (state.state !== 'running') return;
            if (state.done === 0) stepStarted = performance.now();
            const now = Math.max(state.done, done);
            const spent = activeMs + performance.now() - stepStarted;
            const etaMs = now > 0 ? Math.round((spent / now) * (total - now)) : undefined;
            this.publish(build, { state: 'running', done: now, total, etaMs }, state.done === 0);
          },
        },
      );
      const outcome = await job.promise;
      activeMs += outcome.ms;
      const step = decodeResult(outcome.result as EncodedResult<AtlasStepResult>);
      if (step.atlas.imagesSeen >= total) {
        return {
          atlas: step.atlas,
          receptiveFields: step.receptiveFields,
          inputSize: step.inputSize,
          backend: outcome.backend,
        };
      }
      if (step.atlas.imagesSeen <= done) throw new Error('an atlas step made no progress');
      done = step.atlas.imagesSeen;
      resume = encodeResult(step.atlas);
    }
  }

  private publish(build: Build, state: ComputeJobState, always: boolean): void {
    build.state = state;
    const now = Date.now();
    if (!always && now - build.lastPublished < PROGRESS_INTERVAL_MS) return;
    build.lastPublished = now;
    for (const room of build.rooms) this.emit(build, room, state);
  }

  private emit(build: Build, room: string, state: ComputeJobState): void {
    const progress = { key: atlasProgressKey(build.modelId, build.imageSetId), ...state };
    for (const listener of this.progressListeners) listener(room, progress);
  }
}
