// Types for snappyjs 0.7 (block format, no framing); the package ships none.
declare module 'snappyjs' {
  /** Decompresses a snappy block; throws when it is corrupt or longer than maxLength bytes. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(
    compressed: T,
    maxLength?: number,
  ): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(
    uncompressed: T,
  ): T;
}
