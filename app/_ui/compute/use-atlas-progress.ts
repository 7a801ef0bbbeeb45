'use client';

import { useContext, useEffect, useState } from 'react';
import { atlasProgressKey, type ComputeJobState } from '@/lib/protocol/compute';
import { ComputeContext } from './use-computed';

/**
 * The server's build of the activation atlas of this model and image set while it is queued, running or
 * failed (null before any news, once built, and when cancelled): once built, every layer is answered at once.
 */
export function useAtlasProgress(modelId: string, imageSetId: string | undefined): ComputeJobState | null {
  const client = useContext(ComputeContext);
  const key = imageSetId ? atlasProgressKey(modelId, imageSetId) : null;
  const [latest, setLatest] = useState<{ key: string; job: ComputeJobState } | null>(null);

  useEffect(() => {
    if (!client || !key) return;
    return client.watchProgress(key, (job) => setLatest({ key, job }));
  }, [client, key]);

  const job = latest?.key === key ? latest.job : null;
  if (!job || job.state === 'cancelled') return null;
  if (job.state === 'running' && job.total !== undefined && job.done >= job.total) return null;
  return job;
}
