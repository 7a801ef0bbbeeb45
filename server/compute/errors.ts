import type { ComputeFailureCode } from '../../lib/protocol/compute';

/** A compute job refused or stopped for a named reason (docs/limits.md); the message is for people. */
export class ComputeError extends Error {
  constructor(
    readonly code: ComputeFailureCode,
    message: string,
  ) {
    super(message);
  }
}
