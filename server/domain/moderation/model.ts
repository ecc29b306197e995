import type { Selectable } from 'kysely';
import type { ContentReportsTable, ModeratedSubject, ModerationActionsTable } from '../../db/database.js';

/** A member's report: seen by its reporter and platform admins only. */
export interface Report {
  readonly id: string;
  readonly subjectType: ModeratedSubject;
  readonly subjectId: string;
  readonly reporterId: string;
  readonly reason: string;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolution: 'hidden' | 'dismissed' | null;
}

/** One entry of the moderation audit trail. */
export interface ModerationAction {
  readonly id: string;
  readonly subjectType: ModeratedSubject;
  readonly subjectId: string;
  readonly action: 'hidden' | 'restored' | 'dismissed';
  readonly reason: string;
  /** Null for the operator at the command line, or a member since removed. */
  readonly actorId: string | null;
  readonly createdAt: Date;
}

/** Something with open reports, as the review queue lists it. */
export interface ReportedSubject {
  readonly subjectType: ModeratedSubject;
  readonly subjectId: string;
  readonly openReports: number;
  readonly firstReportedAt: Date;
  readonly lastReportedAt: Date;
  /** The newest open reports, at most LIST_CAPS.reports. */
  readonly reports: readonly Report[];
}

export function toReport(row: Selectable<ContentReportsTable>): Report {
  return {
    id: row.id, subjectType: row.subject_type, subjectId: row.subject_id, reporterId: row.reporter_id,
    reason: row.reason, createdAt: row.created_at, resolvedAt: row.resolved_at, resolution: row.resolution,
  };
}

export function toAction(row: Selectable<ModerationActionsTable>): ModerationAction {
  return {
    id: row.id, subjectType: row.subject_type, subjectId: row.subject_id, action: row.action,
    reason: row.reason, actorId: row.actor_id, createdAt: row.created_at,
  };
}
