'use client';

import { createContext, useContext, useEffect, useState } from 'react';
import type { ComputeResults } from '@/lib/compute/types';
import { type ComputeRequest, resultKey } from '@/lib/protocol/compute';
import type { ComputeClient, Computed } from './compute-client';

export const ComputeContext = createContext<ComputeClient | null>(null);

/** A derived result for this request (null: nothing needed yet), following it as it changes. */
export function useComputed<K extends ComputeRequest['kind']>(
  request: Extract<ComputeRequest, { kind: K }> | null,
): Computed<ComputeResults[K]> | null {
  const client = useContext(ComputeContext);
  const key = request ? resultKey(request) : null;
  const [value, setValue] = useState<Computed<ComputeResults[K]> | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the request's content
  useEffect(() => {
    if (!client || !request) {
      setValue(null);
      return;
    }
    return client.subscribe(request, setValue);
  }, [client, key]);

  return value && value.key === key ? value : null;
}
