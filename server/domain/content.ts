import type { Selectable, Transaction } from 'kysely';
import type { ContentColumns, Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canEdit, canSee, eventVisibility, isMember, type MemberViewer, type Viewer, type Visibility } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import type { ServiceAreaCode } from './service-areas.js';
import { hubNow } from '../db/hub-now.js';
import { defined, must } from '../kernel/must.js';
import type { OptionalColumn } from './listing.js';
import { NOTHING_MORE, type AlsoReturned, type ChangeGuard, type ContentRows, type LifecycleChange, type NewRow, type Precondition, type RowChange } from './content-rows.js';

/**
 * Problems, solutions and case studies share a lifecycle: a member drafts one for their
 * council, editors change it (optimistic concurrency on `version`), publish it and archive
 * it. This module owns that lifecycle once; each aggregate adds its own columns and events.
 */

export type ContentSubject = 'problem' | 'solution' | 'case_study';

export interface ContentItem {
  /** Which aggregate this is, so GraphQL can tell them apart in mixed lists. */
  readonly subject: ContentSubject;
  readonly id: string;
  readonly councilId: string;
  readonly authorId: string;
  readonly title: string;
  readonly summary: string;
  readonly body: string;
  readonly serviceArea: ServiceAreaCode;
  readonly tags: readonly string[];
  readonly status: string;
  readonly visibility: Visibility;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly publishedAt: Date | null;
  /** Part of the seeded sample data: written by a sample council (see migration 0010). */
  readonly sample: boolean;
}

/** The fields of an item a listing may leave out, when no selected field reads them. */
export type OptionalField = 'body' | 'tags' | 'updatedAt' | 'publishedAt';

/**
 * An item as a listing page holds it: `body`, `tags`, `updatedAt` and `publishedAt` are
 * undefined when the query reads none of them (`OPTIONAL_COLUMNS` in listing.ts).
 */
export type Summary<Item extends ContentItem> = Omit<Item, OptionalField> & Partial<Pick<Item, OptionalField>>;
export type ContentSummary = Summary<ContentItem>;

export interface CommonInput {
  title?: string | null;
  summary?: string | null;
  body?: string | null;
  serviceArea?: string | null;
  tags?: readonly string[] | null;
}

export type CommonColumns = {
  title?: string;
  summary?: string;
  body?: string;
  service_area?: string;
  tags?: string[];
};

/** Problems and solutions may say where they were published before; case studies have `evidenceUrl`. */
export interface SourcedInput {
  /** A public page that says what the item says (a council report, a blog post, the press); http(s) only; null or empty clears it. */
  sourceUrl?: string | null;
}

/** `source_url`, when the input names it. */
export function checkSourceUrl(check: InputChecker, input: SourcedInput): { source_url?: string | null } {
  const url = check.url('sourceUrl', input.sourceUrl);
  return url === undefined ? {} : { source_url: url };
}

/** Reads the fields every kind shares; `required` for creation, optional for updates. */
export function checkCommonInput(check: InputChecker, input: CommonInput, required: boolean): CommonColumns {
  const columns: CommonColumns = {
    title: check.text('title', input.title, LIMITS.title, { required }),
    summary: check.text('summary', input.summary, LIMITS.summary, { required, multiline: true }),
    body: check.text('body', input.body, LIMITS.body, { required: false, multiline: true }) ?? (required ? '' : undefined),
    service_area: check.serviceArea('serviceArea', input.serviceArea, required),
    tags: check.tags('tags', input.tags) ?? (required ? [] : undefined),
  };
  return definedOnly(columns);
}

/** `columns` without the keys whose value is undefined: the keys left are the fields a change names. */
export function definedOnly<Columns extends object>(columns: Columns): Columns {
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Columns;
}

/** The shared columns of a new item: checkCommonInput's, with `required`, once `check()` has passed. */
export function newCommonColumns(columns: CommonColumns): Required<CommonColumns> {
  return {
    title: defined(columns.title, 'required input title'),
    summary: defined(columns.summary, 'required input summary'),
    body: defined(columns.body, 'required input body'),
    service_area: defined(columns.service_area, 'required input serviceArea'),
    tags: defined(columns.tags, 'required input tags'),
  };
}

export interface ContentKind<Table, Item extends ContentItem> {
  readonly subject: ContentSubject;
  /** Human name used in error messages, e.g. "case study". */
  readonly label: string;
  readonly rows: ContentRows<Table>;
  toItem(row: Selectable<Table>): Item;
  /** Kind-specific fields every event of this kind carries in its payload. */
  eventFields?(item: Item): Record<string, unknown>;
}

/**
 * Who caused an event, recorded in its payload as `actorMemberId`: the notifications consumer
 * never tells a member about their own action.
 */
export function actedBy(viewer: Viewer): { actorMemberId?: string } {
  return isMember(viewer) ? { actorMemberId: viewer.memberId } : {};
}

export function requireMember(viewer: Viewer): MemberViewer {
  if (!isMember(viewer)) throw new UnauthenticatedError();
  return viewer;
}

/** The lifecycle the three content tables share, over one kind's own statements (content-rows.ts). */
export function createContentStore<Table, Item extends ContentItem>(kind: ContentKind<Table, Item>, transact: Transact) {
  /** Loads a row for change, locked, after checking the viewer may edit it. */
  async function loadForEdit(trx: Transaction<Database>, viewer: Viewer, id: string, version?: number | null): Promise<Item> {
    const member = requireMember(viewer);
    const row = await kind.rows.lock(trx, id);
    const item = row ? kind.toItem(row) : undefined;
    if (!item || !canSee(member, item)) throw new NotFoundError(kind.label, id);
    if (!canEdit(member, item.councilId)) {
      throw new ForbiddenError(member.councilId === item.councilId
        ? `only editors and admins of the council may change this ${kind.label}`
        : `this ${kind.label} belongs to another council`);
    }
    if (version !== undefined && version !== null && version !== item.version) {
      throw new ConflictError(`this ${kind.label} was changed by someone else (you edited version ${version}, it is now at ${item.version})`, item.version);
    }
    return item;
  }

  /** Changes an item loaded by loadForEdit, whose row lock makes the UPDATE's own checks needless. */
  async function applyChange(
    trx: Transaction<Database>,
    current: Item,
    set: RowChange<Table>,
    events: readonly EventType[],
    payload: Record<string, unknown> = {},
  ): Promise<Item> {
    const row = await kind.rows.update(trx, current.id, set, {}, NOTHING_MORE);
    const item = kind.toItem(must(row));
    for (const type of events) await appendEvent(trx, eventFor(item, type, payload));
    return item;
  }

  /**
   * Changes a row the viewer may edit, as loadForEdit then applyChange would, in one statement
   * when nothing is wrong: the UPDATE itself checks what loadForEdit checks (the viewer's own
   * council, which they can always see; the version, when given; the precondition), and
   * locks the row as the SELECT ... FOR UPDATE did. When it changes nothing, the long way
   * runs, so every refusal keeps its typed error; it also covers a row that became
   * changeable in between. `alsoReturn` is one more value for the UPDATE to return, computed
   * against the changed row (see publishLinked).
   */
  async function change(
    trx: Transaction<Database>,
    viewer: Viewer,
    id: string,
    version: number | null | undefined,
    set: RowChange<Table> | LifecycleChange,
    precondition?: Precondition,
    alsoReturn: AlsoReturned = NOTHING_MORE,
  ): Promise<{ item: Item; also: string[] | null }> {
    const member = requireMember(viewer);
    const run = async (guard: ChangeGuard) => {
      const row = await kind.rows.update(trx, id, set, guard, alsoReturn);
      return row && { item: kind.toItem(row), also: row.also };
    };
    if (canEdit(member, member.councilId)) {
      const changed = await run({ councilId: member.councilId, version: version ?? undefined, precondition });
      if (changed) return changed;
    }
    const current = await loadForEdit(trx, viewer, id, version);
    if (precondition?.column === 'visibility' && current.visibility === 'hidden') {
      throw new ConflictError(`this ${kind.label} was hidden by moderators; only a platform admin can restore it`, current.version);
    }
    if (precondition && current[precondition.column] === precondition.isNot) {
      throw new ConflictError(`this ${kind.label} is already ${precondition.isNot}`, current.version);
    }
    return must(await run({}));
  }

  function eventFor(item: Item, type: EventType, extra: Record<string, unknown>) {
    return {
      type,
      subjectType: kind.subject,
      subjectId: item.id,
      councilId: item.councilId,
      visibility: eventVisibility(item.visibility),
      payload: {
        title: item.title,
        summary: item.summary,
        serviceArea: item.serviceArea,
        tags: item.tags,
        status: item.status,
        version: item.version,
        ...kind.eventFields?.(item),
        ...extra,
      },
    };
  }

  return {
    eventFor,
    loadForEdit,
    applyChange,
    change,

    /**
     * Inserts a draft for the viewer's council. `afterInsert` writes rows that hang off the
     * new item (links) in the same transaction, before the event, and may add to its payload.
     */
    async create(
      viewer: Viewer,
      values: NewRow<Table>,
      afterInsert?: (trx: Transaction<Database>, item: Item) => Promise<Record<string, unknown>>,
    ): Promise<Item> {
      const member = requireMember(viewer);
      return transact(async (trx) => {
        const item = kind.toItem(await kind.rows.insert(trx, values, { councilId: member.councilId, authorId: member.memberId }));
        const extra = afterInsert ? await afterInsert(trx, item) : {};
        await appendEvent(trx, eventFor(item, `${kind.subject}.created` as EventType, { ...extra, ...actedBy(member) }));
        return item;
      });
    },

    /** `bookkeeping` is set with the change but is not one of the fields it names (`changed`). */
    async update(viewer: Viewer, id: string, version: number, set: RowChange<Table>, extraEvents: readonly EventType[] = [], bookkeeping?: RowChange<Table>): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, bookkeeping ? { ...set, ...bookkeeping } : set);
        const payload = { changed: Object.keys(set), ...actedBy(viewer) };
        for (const type of [`${kind.subject}.updated` as EventType, ...extraEvents]) await appendEvent(trx, eventFor(item, type, payload));
        return item;
      });
    },

    /** Sets `set` (a change like any other: version and `updated_at` move on) and appends `type`. */
    async record(viewer: Viewer, id: string, version: number | null | undefined, set: RowChange<Table>, type: EventType): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, set);
        await appendEvent(trx, eventFor(item, type, actedBy(viewer)));
        return item;
      });
    },

    async publish(viewer: Viewer, id: string, version?: number | null): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, publication(), UNPUBLISHED);
        await appendEvent(trx, eventFor(item, `${kind.subject}.published` as EventType, actedBy(viewer)));
        return item;
      });
    },

    async archive(viewer: Viewer, id: string, version?: number | null): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, { status: 'archived' }, UNARCHIVED);
        await appendEvent(trx, eventFor(item, `${kind.subject}.archived` as EventType, actedBy(viewer)));
        return item;
      });
    },
  };
}

export const UNPUBLISHED: Precondition = { column: 'visibility', isNot: 'published' };
export const UNARCHIVED: Precondition = { column: 'status', isNot: 'archived' };

/** What publishing sets, on any content table. */
export const publication = (): LifecycleChange => ({ visibility: 'published', published_at: hubNow() });

export type ContentStore<Table, Item extends ContentItem> = ReturnType<typeof createContentStore<Table, Item>>;

/** The shared columns of a content row, as the mappers read them. */
export type ContentRow = Selectable<ContentColumns> & { status: string };

/**
 * A row as a listing reads it: the optional columns no selected field needs are left out
 * (`OPTIONAL_COLUMNS` in listing.ts).
 */
export type SummaryRow<Row> = Omit<Row, OptionalColumn> & Partial<Pick<Row, OptionalColumn & keyof Row>>;

/**
 * Maps the shared columns of a content row to its domain shape: a whole row to a ContentItem,
 * a listing's row to a summary.
 */
export function toContentItem<S extends ContentSubject>(subject: S, row: ContentRow): ContentItem & { subject: S };
export function toContentItem<S extends ContentSubject>(subject: S, row: SummaryRow<ContentRow>): ContentSummary & { subject: S };
export function toContentItem<S extends ContentSubject>(subject: S, row: SummaryRow<ContentRow>): ContentSummary & { subject: S } {
  return {
    subject,
    id: row.id,
    councilId: row.council_id,
    authorId: row.author_id,
    title: row.title,
    summary: row.summary,
    body: row.body,
    // Written only through InputChecker.serviceArea, which admits codes alone.
    serviceArea: row.service_area as ServiceAreaCode,
    tags: row.tags,
    status: row.status,
    visibility: row.visibility,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    sample: row.sample,
  };
}
