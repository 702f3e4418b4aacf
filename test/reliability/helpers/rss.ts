/** Resident memory of a process, sampled from /proc (Linux), as a curve the tests report. */
import fs from 'node:fs';

/** RSS of `pid` in MiB, or undefined when the process is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

export interface RssSample {
  /** Seconds since sampling started. */
  s: number;
  mib: number;
}

export interface RssSampler {
  samples: RssSample[];
  stop(): RssSample[];
  maxMiB(): number;
}

/** Samples `pid`'s RSS every `everyMs` until stop(). */
export function sampleRss(pid: number, everyMs: number): RssSampler {
  const start = Date.now();
  const samples: RssSample[] = [];
  const take = () => {
    const mib = rssMiB(pid);
    if (mib !== undefined)
      samples.push({ s: Math.round((Date.now() - start) / 1000), mib });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
    maxMiB: () => Math.max(0, ...samples.map((x) => x.mib)),
  };
}

/** The largest RSS in the last `share` of the samples minus the largest in the first half after warm-up. */
export function growthMiB(samples: RssSample[]): number {
  if (samples.length < 4) return 0;
  const half = Math.floor(samples.length / 2);
  const firstHalf = samples.slice(1, half).map((x) => x.mib);
  const secondHalf = samples.slice(half).map((x) => x.mib);
  return Math.max(...secondHalf) - Math.max(...firstHalf);
}

/** A compact curve for the report: at most `points` samples, evenly picked. */
export function curve(samples: RssSample[], points = 12): string {
  if (samples.length === 0) return '';
  const step = Math.max(1, Math.ceil(samples.length / points));
  const picked = samples.filter(
    (_, i) => i % step === 0 || i === samples.length - 1,
  );
  return picked.map((x) => `${x.s}s:${x.mib}`).join(' ');
}
