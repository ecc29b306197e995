import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  EmailDigestRunsTable, EmailSendsTable, FollowsTable, HubSecretsTable, MemberEmailSettingsTable, NotificationsTable,
} from './notification-tables.js';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>;

export interface CouncilsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  kind: string;
  region: string;
  gss_code: string | null;
  website: string | null;
  /** Part of the seeded sample data (the demo), not a council's own account. */
  sample: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CouncilSystemsTable {
  id: Generated<string>;
  council_id: string;
  category: string;
  supplier: string;
  product: string;
  /** Supplier and product folded (server/domain/council-systems.ts): what "same system" compares. */
  system_key: string;
  /** ISO date, e.g. 2027-03-31. */
  contract_ends_on: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MembersTable {
  id: Generated<string>;
  council_id: string;
  name: string;
  email: string;
  role: 'member' | 'editor' | 'admin';
  is_platform_admin: Generated<boolean>;
  removed_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface ApiTokensTable {
  id: Generated<string>;
  member_id: string;
  token_hash: string;
  prefix: string;
  label: string;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Columns shared by problems, solutions and case studies. */
export interface ContentColumns {
  id: Generated<string>;
  council_id: string;
  author_id: string;
  title: string;
  summary: string;
  body: string;
  service_area: string;
  tags: string[];
  /** `hidden`: published, then hidden by a platform admin (moderation); its council still sees it. */
  visibility: Generated<'draft' | 'published' | 'hidden'>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  sample: Generated<boolean>;
}

export interface ProblemsTable extends ContentColumns, FreshnessColumns {
  status: Generated<'open' | 'exploring' | 'solved' | 'archived'>;
  supporter_count: Generated<number>;
  solution_count: Generated<number>;
  adoption_count: Generated<number>;
  source_url: string | null;
  /** The problem this one was marked as the same as (it is then archived); see markSameAs. */
  same_as_id: string | null;
}

/** Freshness (migration 0017): what problems and solutions have and case studies lack. */
export interface FreshnessColumns {
  /** YYYY-MM-DD: when the item's current phase is expected to end, if its council said. */
  phase_ends_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the nudge waiting for an answer was sent; null when none waits. */
  nudged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A nudge went unanswered: shown as "may be out of date" until someone answers or edits. */
  out_of_date: Generated<boolean>;
}

export interface SolutionsTable extends ContentColumns, FreshnessColumns {
  status: Generated<'active' | 'archived'>;
  kind: string;
  phase: string;
  licence: string | null;
  url: string | null;
  cost_band: string | null;
  adoption_count: Generated<number>;
  problem_count: Generated<number>;
  source_url: string | null;
}

export interface CaseStudiesTable extends ContentColumns {
  status: Generated<'active' | 'archived'>;
  outcome: string;
  lessons: Generated<string>;
  cost_pounds: number | null;
  savings_claimed_pounds: number | null;
  evidence_url: string | null;
}

export interface ProblemSupportersTable {
  problem_id: string;
  council_id: string;
  member_id: string;
  note: string | null;
  created_at: CreatedAt;
}

export interface SolutionPartnersTable {
  solution_id: string;
  council_id: string;
}

export interface SolutionProblemsTable {
  solution_id: string;
  problem_id: string;
  linked_by_council_id: string;
  created_at: CreatedAt;
}

export interface AdoptionsTable {
  solution_id: string;
  council_id: string;
  member_id: string;
  stage: 'considering' | 'piloting' | 'adopted' | 'rejected';
  note: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseStudySolutionsTable {
  case_study_id: string;
  solution_id: string;
}

export interface CaseStudyProblemsTable {
  case_study_id: string;
  problem_id: string;
}

export interface CommentsTable {
  id: Generated<string>;
  subject_type: 'problem' | 'solution' | 'case_study';
  subject_id: string;
  council_id: string;
  author_id: string;
  body: string;
  created_at: CreatedAt;
  edited_at: NullableTimestamp;
  /** Set while a platform admin has it hidden (moderation). */
  hidden_at: NullableTimestamp;
}

export type ModeratedSubject = 'problem' | 'solution' | 'case_study' | 'comment';

/** A member's report of an item or comment, open until a platform admin hides it or dismisses it. */
export interface ContentReportsTable {
  id: Generated<string>;
  subject_type: ModeratedSubject;
  subject_id: string;
  reporter_id: string;
  reason: string;
  created_at: CreatedAt;
  resolved_at: NullableTimestamp;
  resolution: 'hidden' | 'dismissed' | null;
}

/** The moderation audit trail. */
export interface ModerationActionsTable {
  id: Generated<string>;
  subject_type: ModeratedSubject;
  subject_id: string;
  action: 'hidden' | 'restored' | 'dismissed';
  reason: string;
  actor_id: string | null;
  created_at: CreatedAt;
}

/** A member's consent to be named as a contact, with the service areas they cover. */
export interface MemberContactSettingsTable {
  member_id: string;
  service_areas: string[];
  updated_at: Timestamp;
}

/** The member to call about a problem, solution or case study. */
export interface ItemContactsTable {
  item_id: string;
  item_type: 'problem' | 'solution' | 'case_study';
  council_id: string;
  member_id: string;
  updated_at: Timestamp;
}

export interface OutboxEventsTable {
  position: Generated<number>;
  type: string;
  subject_type: string;
  subject_id: string;
  council_id: string;
  visibility: 'draft' | 'published';
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
}

export interface ConsumerCursorsTable {
  consumer: string;
  position: ColumnType<number, number | undefined, number>;
  epoch: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
}

/** The Postgres search engine's index (server/search/postgres-engine.ts). */
export interface SearchDocumentsTable {
  id: string;
  kind: 'problem' | 'solution' | 'case_study';
  council_id: string;
  council_name: string;
  title: string;
  summary: string;
  service_area: string;
  tags: string[];
  status: string;
  /** The owning council's region and kind, a solution's phase, a case study's outcome (0018). */
  region: string | null;
  council_kind: string | null;
  phase: string | null;
  outcome: string | null;
  published_at: Date | null;
  updated_at: Date;
  indexed_at: Timestamp;
  search: ColumnType<string, never, never>;
  out_of_date: Generated<boolean>;
}

/** A search document's vector, apart so that full-text scans do not read it (0024). */
export interface SearchVectorsTable {
  id: string;
  kind: 'problem' | 'solution' | 'case_study';
  /** Float32 sentence vector of length 1 (server/search/embeddings); null once deleted. */
  embedding: Uint8Array | null;
  /** The transaction that last wrote the row (0023, 0024): what the vector index catches up by. */
  indexed_xid: ColumnType<string, never, never>;
  /** When the document was deleted: the row is kept a while so every vector index drops it too. */
  deleted_at: Timestamp | null;
}

/** One nudge sent (migration 0017): keyed by item and what it is about, so it goes once. */
export interface NudgesTable {
  key: string;
  subject_type: 'problem' | 'solution';
  subject_id: string;
  council_id: string;
  reason: 'phase_ended' | 'unchanged';
  event_position: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface SearchWordsTable {
  word: string;
}

export interface WebhookEndpointsTable {
  id: Generated<string>;
  council_id: string;
  url: string;
  event_types: string[];
  filter: ColumnType<Record<string, unknown>, string | undefined, string>;
  description: Generated<string>;
  active: Generated<boolean>;
  disabled_reason: string | null;
  disabled_at: NullableTimestamp;
  from_position: ColumnType<number, number, never>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WebhookSecretsTable {
  id: Generated<string>;
  endpoint_id: string;
  secret: string;
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpoint_id: string;
  /** Null for test events (`sendTestEvent`). */
  event_position: ColumnType<number | null, number | null | undefined, never>;
  webhook_id: string;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  attempted_at: CreatedAt;
}

export interface WebSessionsTable {
  id_hash: string;
  member_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface SignInAttemptsTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  created_at: CreatedAt;
}

export interface CouncilSignInDomainsTable {
  council_id: string;
  domain: string;
}

/** Rate-limit counters written by rate-limiter-flexible (server/http/limits/rate-limit-store.ts). */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** Milliseconds since the epoch. */
  expire: number | null;
}

export interface Database {
  councils: CouncilsTable;
  members: MembersTable;
  council_systems: CouncilSystemsTable;
  api_tokens: ApiTokensTable;
  problems: ProblemsTable;
  solutions: SolutionsTable;
  case_studies: CaseStudiesTable;
  problem_supporters: ProblemSupportersTable;
  solution_partners: SolutionPartnersTable;
  solution_problems: SolutionProblemsTable;
  adoptions: AdoptionsTable;
  case_study_solutions: CaseStudySolutionsTable;
  case_study_problems: CaseStudyProblemsTable;
  comments: CommentsTable;
  content_reports: ContentReportsTable;
  moderation_actions: ModerationActionsTable;
  member_contact_settings: MemberContactSettingsTable;
  item_contacts: ItemContactsTable;
  outbox_events: OutboxEventsTable;
  consumer_cursors: ConsumerCursorsTable;
  search_documents: SearchDocumentsTable;
  search_vectors: SearchVectorsTable;
  nudges: NudgesTable;
  search_words: SearchWordsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  web_sessions: WebSessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  council_sign_in_domains: CouncilSignInDomainsTable;
  follows: FollowsTable;
  member_email_settings: MemberEmailSettingsTable;
  notifications: NotificationsTable;
  email_sends: EmailSendsTable;
  email_digest_runs: EmailDigestRunsTable;
  hub_secrets: HubSecretsTable;
  rate_limits: RateLimitsTable;
}

export type CouncilRow = Selectable<CouncilsTable>;
export type MemberRow = Selectable<MembersTable>;
export type CouncilSystemRow = Selectable<CouncilSystemsTable>;
export type ProblemRow = Selectable<ProblemsTable>;
export type SolutionRow = Selectable<SolutionsTable>;
export type CaseStudyRow = Selectable<CaseStudiesTable>;
export type OutboxEventRow = Selectable<OutboxEventsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type AdoptionRow = Selectable<AdoptionsTable>;
export type NewOutboxEvent = Insertable<OutboxEventsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
