import { sql, type ExpressionBuilder } from 'kysely';
import { isMember, type Viewer } from '../auth/viewer.js';

/**
 * `where` for batch reads that join content: published rows, and the viewer's own council's
 * drafts (invariant 5), named by table so it works on either side of a join.
 */
export function visibleTo(viewer: Viewer, table: 'problems' | 'solutions' | 'case_studies') {
  const visibility = sql.ref<string>(`${table}.visibility`);
  return (eb: ExpressionBuilder<any, any>) => isMember(viewer)
    ? eb.or([eb(visibility, '=', 'published'), eb(sql.ref<string>(`${table}.council_id`), '=', viewer.councilId)])
    : eb(visibility, '=', 'published');
}
