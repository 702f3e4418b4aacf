/**
 * Envoy response flags decoded to words for tables and tooltips. The table itself lives with
 * the access-log parser (collectors/sources/envoy-access-log/response-flags.ts), which is
 * dependency-free so the UI can import it: one list of flags for parser and UI.
 */
import { RESPONSE_FLAGS } from '~/collectors/sources/envoy-access-log/response-flags';

export interface FlagWord {
  short: string;
  long: string;
  meaning: string;
}

/** 'UF,URX' -> each flag with its long name and meaning; '' -> none. */
export function decodeFlags(flags: string): FlagWord[] {
  return flags
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0 && f !== '-')
    .map((short) => {
      const info = RESPONSE_FLAGS[short];
      return {
        short,
        long: info?.long ?? short,
        meaning:
          info?.meaning ??
          'A flag this version of Meshlens does not know (extension-defined or newer Envoy).',
      };
    });
}

/** 'UF,URX' -> 'UpstreamConnectionFailure, UpstreamRetryLimitExceeded'; '' -> 'none'. */
export function flagsInWords(flags: string): string {
  const words = decodeFlags(flags);
  return words.length === 0 ? 'none' : words.map((w) => w.long).join(', ');
}
