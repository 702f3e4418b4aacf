/**
 * Target discovery: static groups, watched file_sd files and Kubernetes pods, merged per job into
 * the set of targets to scrape. Labels follow Prometheus: discovered labels win over the job's
 * defaults (`job`, `__metrics_path__`, `__scheme__`), `instance` defaults to the address, and
 * `__`-prefixed labels are dropped once used.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { logger } from '~/server/log';
import type { Labels } from '../prometheus-shared/exposition';
import {
  fileSdSchema,
  type FileSdConfig,
  type KubernetesSdConfig,
  type ScrapeJob,
  type TargetGroup,
} from './config';
import { discoverPods } from './kubernetes';

const log = logger('scrape');

export interface Target {
  /** Stable identity: job + url + labels. */
  key: string;
  /** The `job` label (a discovered group may override the job's name). */
  job: string;
  url: string;
  /** Labels added to every sample: job, instance, and the group's labels. */
  labels: Labels;
  intervalMs: number;
  timeoutMs: number;
}

/** Targets of one job from its discovered groups. Pure. */
export function resolveTargets(
  job: ScrapeJob,
  groups: TargetGroup[],
): Target[] {
  const out = new Map<string, Target>();
  for (const group of groups) {
    for (const address of group.targets) {
      const all: Labels = {
        job: job.name,
        __metrics_path__: job.metricsPath,
        __scheme__: job.scheme,
        ...group.labels,
      };
      all.instance ??= address;
      const url = `${all.__scheme__}://${address}${all.__metrics_path__!.startsWith('/') ? '' : '/'}${all.__metrics_path__}`;
      const labels: Labels = {};
      for (const [k, v] of Object.entries(all))
        if (!k.startsWith('__') && v !== '') labels[k] = v;
      const key = `${job.name}|${url}|${JSON.stringify(Object.entries(labels).sort())}`;
      out.set(key, {
        key,
        job: labels.job ?? job.name,
        url,
        labels,
        intervalMs: job.intervalMs,
        timeoutMs: job.timeoutMs,
      });
    }
  }
  return [...out.values()];
}

/** Reads one file_sd file (JSON or YAML list of `{targets, labels}`). Throws with the reason. */
export function readFileSd(file: string): TargetGroup[] {
  const text = fs.readFileSync(file, 'utf8');
  const data: unknown = /\.ya?ml$/i.test(file)
    ? YAML.parse(text)
    : JSON.parse(text);
  const parsed = fileSdSchema.safeParse(data ?? []);
  if (!parsed.success)
    throw new Error(
      `${file} is not in the file_sd shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data;
}

/** A source of target groups that calls `onChange` whenever its groups change. */
export interface Discoverer {
  groups(): TargetGroup[];
  stop(): void;
}

/**
 * Watches file_sd files: fs.watch on their folders (files are usually replaced by rename) plus
 * a re-read every refresh interval. A file that cannot be read or parsed keeps its last good
 * groups, and the error is logged, as Prometheus does.
 */
export function watchFileSd(
  cfg: FileSdConfig,
  onChange: () => void,
): Discoverer {
  const byFile = new Map<string, TargetGroup[]>();
  const lastText = new Map<string, string>();
  const reload = () => {
    let changed = false;
    for (const file of cfg.files) {
      let text: string;
      try {
        text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      } catch {
        continue;
      }
      if (lastText.get(file) === text) continue;
      lastText.set(file, text);
      try {
        byFile.set(file, text === '' ? [] : readFileSd(file));
        changed = true;
      } catch (err) {
        log.warn(
          { file, err: (err as Error).message },
          'file_sd file not usable; keeping its previous targets',
        );
      }
    }
    if (changed) onChange();
  };
  reload();
  let debounce: NodeJS.Timeout | undefined;
  const watchers = [...new Set(cfg.files.map((f) => path.dirname(f)))].flatMap(
    (dir) => {
      try {
        const w = fs.watch(dir, () => {
          clearTimeout(debounce);
          debounce = setTimeout(reload, 50);
        });
        w.on('error', () => undefined);
        return [w];
      } catch {
        return [];
      }
    },
  );
  const timer = setInterval(reload, cfg.refreshMs);
  timer.unref();
  return {
    groups: () => [...byFile.values()].flat(),
    stop() {
      clearInterval(timer);
      clearTimeout(debounce);
      for (const w of watchers) w.close();
    },
  };
}

/** Re-lists pods every refresh interval; on an API error keeps the last good list. */
export function watchKubernetes(
  cfg: KubernetesSdConfig,
  onChange: () => void,
  onError: (err: Error) => void,
): Discoverer {
  let groups: TargetGroup[] = [];
  let last = '';
  let stopped = false;
  const refresh = async () => {
    try {
      const next = await discoverPods(cfg);
      const text = JSON.stringify(next);
      if (!stopped && text !== last) {
        last = text;
        groups = next;
        onChange();
      }
    } catch (err) {
      onError(err as Error);
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), cfg.refreshMs);
  timer.unref();
  return {
    groups: () => groups,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
