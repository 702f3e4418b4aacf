/**
 * Replays the disk spool into ClickHouse, oldest batch first, every few seconds. A batch the
 * store still cannot take stops the round (the store is down: try again later). A batch with rows
 * the store refuses for good (bad data, a changed schema) goes through the writer, which halves
 * it until the bad rows are alone and sends those to the dead letters: one poisoned batch must
 * not hold up every batch behind it. An unreadable file is set aside, named `*.unreadable`.
 */
import { logger } from '~/server/log';
import { metrics } from '~/server/telemetry/metrics';
import { isPermanentInsertError } from './errors';
import type { Spool } from './spool';
import type { ClickHouseWriter } from './writer';

const log = logger('pipeline');

export interface SpoolReplay {
  /** One round now (rounds never overlap). */
  replay(): Promise<void>;
  stop(): void;
}

export function startSpoolReplay(
  spool: Spool,
  writer: ClickHouseWriter,
  intervalMs: number,
): SpoolReplay {
  let replaying = false;
  const replay = async () => {
    if (replaying) return;
    replaying = true;
    try {
      for (const entry of spool.list()) {
        let batch;
        try {
          batch = await spool.read(entry);
        } catch (err) {
          log.error(
            { file: entry.file, err: (err as Error).message },
            'a spooled batch cannot be read; set aside as *.unreadable',
          );
          await spool.setAside(entry.file);
          continue;
        }
        try {
          await writer.insertWithRetry(batch.table, batch.rows);
        } catch (err) {
          if (!isPermanentInsertError(err)) throw err;
          // Dead-letters the bad rows, stores (or spools anew) the rest.
          await writer.write(batch.table, batch.rows);
        }
        await spool.remove(entry.file);
        metrics().spoolBytes.set(spool.sizeBytes);
        log.info(
          { table: batch.table, rows: batch.rows.length },
          'replayed a spooled batch',
        );
      }
    } catch (err) {
      log.debug(
        { err: (err as Error).message },
        'spool replay deferred: the store still fails',
      );
    } finally {
      replaying = false;
    }
  };
  const timer = setInterval(() => void replay(), intervalMs);
  timer.unref();
  void replay();
  return { replay, stop: () => clearInterval(timer) };
}
