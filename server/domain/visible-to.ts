import { sql, type ExpressionBuilder } from 'kysely';
import { isMember, isPlatformAdmin, type Viewer } from '../auth/viewer.js';

/**
 * `where` for batch reads that join content: published rows, and the viewer's own council's
 * drafts and hidden items (invariant 5), and for platform admins hidden items too (as
 * `canSee`), named by table so it works on either side of a join.
 */
export function visibleTo(viewer: Viewer, table: 'problems' | 'solutions' | 'case_studies') {
  const visibility = sql.ref<string>(`${table}.visibility`);
  return (eb: ExpressionBuilder<any, any>) => isMember(viewer)
    ? eb.or([
      eb(visibility, isPlatformAdmin(viewer) ? 'in' : '=', isPlatformAdmin(viewer) ? ['published', 'hidden'] : 'published'),
      eb(sql.ref<string>(`${table}.council_id`), '=', viewer.councilId),
    ])
    : eb(visibility, '=', 'published');
}
