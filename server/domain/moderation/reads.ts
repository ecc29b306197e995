import { sql, type Kysely } from 'kysely';
import type { Database, ModeratedSubject } from '../../db/database.js';
import { isPlatformAdmin, type Viewer } from '../../auth/viewer.js';
import { ValidationError } from '../../kernel/errors.js';
import { isUuid } from '../ids.js';
import { LIST_CAPS } from '../list-caps.js';
import { toAction, toReport, type ModerationAction, type ReportedSubject } from './model.js';

/** A page as @pothos/plugin-relay's resolveCursorConnection asks for it. */
export interface PageRequest {
  readonly after?: string | undefined;
  readonly before?: string | undefined;
  readonly limit: number;
  readonly inverted: boolean;
}

/** The review queue and the audit trail: platform admins only (null for anyone else). */
export function createModerationReads({ db }: { db: Kysely<Database> }) {
  return {
    /** Subjects with open reports, the longest waiting first. */
    async queue(viewer: Viewer, page: PageRequest): Promise<ReportedSubject[] | null> {
      if (!isPlatformAdmin(viewer)) return null;
      const after = decodeCursor(page.after, 'after');
      const before = decodeCursor(page.before, 'before');
      const key = sql`(min(created_at), subject_id)`;
      const groups = await db.selectFrom('content_reports')
        .select(['subject_type', 'subject_id', (eb) => eb.fn.countAll<string>().as('n'),
          (eb) => eb.fn.min('created_at').as('first_at'), (eb) => eb.fn.max('created_at').as('last_at')])
        .where('resolved_at', 'is', null)
        .groupBy(['subject_type', 'subject_id'])
        .$if(after !== undefined, (q) => q.having(sql<boolean>`${key} > (${after!.at}::timestamptz, ${after!.id}::uuid)`))
        .$if(before !== undefined, (q) => q.having(sql<boolean>`${key} < (${before!.at}::timestamptz, ${before!.id}::uuid)`))
        .orderBy(sql`min(created_at)`, page.inverted ? 'desc' : 'asc').orderBy('subject_id', page.inverted ? 'desc' : 'asc')
        .limit(page.limit)
        .execute();
      if (groups.length === 0) return [];
      const reports = await db.selectFrom((qb) => qb.selectFrom('content_reports').selectAll()
        .select(sql<number>`row_number() over (partition by subject_id order by created_at desc, id desc)`.as('rank'))
        .where('resolved_at', 'is', null).where('subject_id', 'in', groups.map((g) => g.subject_id)).as('r'))
        .selectAll().where('rank', '<=', LIST_CAPS.reports).orderBy('created_at', 'desc').execute();
      return groups.map((g) => ({
        subjectType: g.subject_type as ModeratedSubject,
        subjectId: g.subject_id,
        openReports: Number(g.n),
        firstReportedAt: new Date(g.first_at as Date),
        lastReportedAt: new Date(g.last_at as Date),
        reports: reports.filter((r) => r.subject_id === g.subject_id).map(({ rank: _, ...r }) => toReport(r)),
      }));
    },

    /** Every moderation decision, newest first; `subjectId` narrows it to one item or comment. */
    async log(viewer: Viewer, page: PageRequest, subjectId?: string | null): Promise<ModerationAction[] | null> {
      if (!isPlatformAdmin(viewer)) return null;
      const after = decodeCursor(page.after, 'after');
      const before = decodeCursor(page.before, 'before');
      const rows = await db.selectFrom('moderation_actions').selectAll()
        .$if(subjectId !== undefined && subjectId !== null, (q) => q.where('subject_id', '=', isUuid(subjectId!) ? subjectId! : '00000000-0000-0000-0000-000000000000'))
        .$if(after !== undefined, (q) => q.where(sql<boolean>`(created_at, id) < (${after!.at}::timestamptz, ${after!.id}::uuid)`))
        .$if(before !== undefined, (q) => q.where(sql<boolean>`(created_at, id) > (${before!.at}::timestamptz, ${before!.id}::uuid)`))
        .orderBy('created_at', page.inverted ? 'asc' : 'desc').orderBy('id', page.inverted ? 'asc' : 'desc')
        .limit(page.limit)
        .execute();
      return rows.map(toAction);
    },
  };
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string | undefined, field: string): { at: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && isUuid(id)) return { at, id };
  } catch { /* refused below */ }
  throw new ValidationError([{ field, message: 'is not a cursor of this list' }]);
}
