import { sql, type RawBuilder } from 'kysely';
import { DEFAULT_EMAIL_MODE } from './follow-model.js';

/**
 * `effectiveEmail` (follow-model.ts) in SQL, over a notifications row `n` left-joined to its
 * follow `f` and the member's settings `s`. A notification whose follow was removed takes
 * the member's setting.
 */
export function effectiveEmailSql(): RawBuilder<string> {
  const member = sql`coalesce(s.email, ${sql.lit(DEFAULT_EMAIL_MODE)})`;
  return sql<string>`(case when ${member} = 'off' then 'off'
    when coalesce(f.email, 'default') <> 'default' then f.email else ${member} end)`;
}
