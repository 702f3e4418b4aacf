/** Silences in the silences table: list, add, expire (a new Version ending now). */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import {
  matcherSchema,
  type Matcher,
  type Silence,
} from '../alerts/silence-match';
import { queryRows } from './clickhouse';
import { chTime, fromChTime, insertRows, nextVersion } from './alerts-write';

interface SilenceRow {
  Id: string;
  Matchers: string;
  StartsAt: string;
  EndsAt: string;
  Comment: string;
  CreatedBy: string;
}

function parseMatchers(text: string): Matcher[] {
  try {
    const parsed = matcherSchema.array().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Silences not deleted that end after `sinceMs` (active and future ones, recent expired ones). */
export async function listSilences(
  db: Db,
  sinceMs: number,
): Promise<Silence[]> {
  const rows = await queryRows<SilenceRow>(db, {
    what: 'reading silences',
    query: `SELECT * FROM (
              SELECT Id, Matchers, StartsAt, EndsAt, Comment, CreatedBy, Deleted
                FROM {db:Identifier}.silences
               ORDER BY Id, Version DESC
               LIMIT 1 BY Id)
             WHERE Deleted = 0 AND EndsAt > fromUnixTimestamp64Milli({since:Int64})
             ORDER BY EndsAt DESC`,
    params: { db: db.database, since: sinceMs },
  });
  return rows.map((r) => ({
    id: r.Id,
    matchers: parseMatchers(r.Matchers),
    startsAt: fromChTime(r.StartsAt),
    endsAt: fromChTime(r.EndsAt),
    comment: r.Comment,
    createdBy: r.CreatedBy,
  }));
}

export async function saveSilence(
  db: Db,
  s: Omit<Silence, 'id'> & { id?: string },
): Promise<Silence> {
  const silence: Silence = { ...s, id: s.id ?? randomUUID() };
  await insertRows(db, 'silences', [
    {
      Id: silence.id,
      Matchers: JSON.stringify(silence.matchers),
      StartsAt: chTime(silence.startsAt),
      EndsAt: chTime(silence.endsAt),
      Comment: silence.comment,
      CreatedBy: silence.createdBy,
      Deleted: 0,
      Version: nextVersion(),
    },
  ]);
  return silence;
}
