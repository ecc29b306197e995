import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export type FollowKind = 'service_area' | 'council' | 'item' | 'saved_search' | 'problem_outcomes';
export type EmailMode = 'immediate' | 'daily' | 'weekly' | 'off';
export type FollowEmail = EmailMode | 'default';
/** `nudge`: a freshness nudge to a council admin (server/freshness), not a follow's email. */
export type EmailKind = 'immediate' | 'daily' | 'weekly' | 'nudge';

export interface FollowsTable {
  id: Generated<string>;
  member_id: string;
  kind: FollowKind;
  service_area: string | null;
  council_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  query: string | null;
  filter: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  email: Generated<FollowEmail>;
  key: string;
  from_position: ColumnType<number, number | undefined, never>;
  created_at: CreatedAt;
}

export interface MemberEmailSettingsTable {
  member_id: string;
  email: EmailMode;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  seq: Generated<number>;
  member_id: string;
  event_position: number;
  follow_id: string | null;
  created_at: CreatedAt;
  read_at: NullableTimestamp;
}

export interface EmailSendsTable {
  key: string;
  member_id: string;
  kind: EmailKind;
  from_position: number;
  to_position: number;
  status: Generated<'pending' | 'sent' | 'empty'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
}

export interface EmailDigestRunsTable {
  kind: string;
  period: string;
  to_position: number;
  planned_at: CreatedAt;
}

export interface HubSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}
