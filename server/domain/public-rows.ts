import { sql, type ExpressionBuilder } from 'kysely';
import type { ContentTable } from './content-rows.js';

/**
 * What the open data calls public: published (drafts stay within their council) and not
 * archived (archived items are hidden from listings and search). A support, adoption or link
 * is public only when every item it joins is. Named by table so it works across joins.
 */
export function isPublic(table: ContentTable) {
  return (eb: ExpressionBuilder<any, any>) => eb.and([
    // Literals rather than parameters: PostgreSQL's COPY takes none (open-data/copy-encode.ts).
    eb(sql.ref<string>(`${table}.visibility`), '=', sql.lit('published')),
    eb(sql.ref<string>(`${table}.status`), '<>', sql.lit('archived')),
  ]);
}

export function shownStatuses(statuses: readonly string[]): readonly string[] {
  return statuses.filter((status) => status !== 'archived');
}
