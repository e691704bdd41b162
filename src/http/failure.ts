/**
 * What a failed request to one peer looks like, as data: the fleet reports it per node and carries on.
 */
export type FailureKind =
  | 'refused'
  | 'dns'
  | 'connect-timeout'
  | 'timeout'
  | 'reset'
  | 'tls'
  | 'redirect'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'http'
  | 'bad-response'
  | 'too-large'
  | 'aborted'
  | 'unsupported'
  /** This machine, not the peer: out of file descriptors. */
  | 'local';

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
