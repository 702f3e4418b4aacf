/** A request body that cannot be decoded at all: the receiver answers 400 (permanent, no retry). */
export class DecodeError extends Error {
  override name = 'DecodeError';
}
