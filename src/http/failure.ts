import type { FailureKind } from '../core/model.js';

/** A failed request to one peer, as data (its kind): the fleet reports it per node and carries on. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

export function isRequestFailure(error: unknown): error is RequestFailure {
  return error instanceof RequestFailure;
}
