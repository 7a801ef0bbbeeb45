'use client';

import { createContext, useContext } from 'react';

/** True on the projector's screen: local controls (sliders, pickers) are left out, only pictures remain. */
export const PresentingContext = createContext(false);

export function usePresenting(): boolean {
  return useContext(PresentingContext);
}
