import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canEdit, canSee, isMember, type MemberViewer, type Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import type { EventType } from '../events/catalogue.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import type { ServiceAreaCode } from './service-areas.js';
import { hubNow } from '../db/hub-now.js';

/**
 * Problems, solutions and case studies share a lifecycle: a member drafts one for their
 * council, editors change it (optimistic concurrency on `version`), publish it and archive
 * it. This module owns that lifecycle once; each aggregate adds its own columns and events.
 */

export type ContentTable = 'problems' | 'solutions' | 'case_studies';
export type ContentSubject = 'problem' | 'solution' | 'case_study';

/**
 * A listing page leaves `body`, `tags`, `updatedAt` and `publishedAt` undefined when the query
 * reads none of them (`OPTIONAL_COLUMNS` in listing.ts); everything else always holds them.
 */
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
  readonly visibility: 'draft' | 'published';
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly publishedAt: Date | null;
  /** Part of the seeded sample data: written by a sample council (see migration 0010). */
  readonly sample: boolean;
}

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

/** Adds `source_url` to `columns` when the input names it. */
export function checkSourceUrl(check: InputChecker, input: SourcedInput, columns: Record<string, unknown>): void {
  const url = check.url('sourceUrl', input.sourceUrl);
  if (url !== undefined) columns.source_url = url;
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
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as CommonColumns;
}

export interface ContentKind<Item extends ContentItem> {
  readonly table: ContentTable;
  readonly subject: ContentSubject;
  /** Human name used in error messages, e.g. "case study". */
  readonly label: string;
  toItem(row: Record<string, any>): Item;
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

/**
 * The three content tables share these columns, so one set of statements serves all of
 * them; `table` is typed as `problems` only to let Kysely check the shared column names.
 */
export function createContentStore<Item extends ContentItem>(kind: ContentKind<Item>, transact: Transact) {
  const table = kind.table as 'problems';

  /** Loads a row for change, locked, after checking the viewer may edit it. */
  async function loadForEdit(trx: Transaction<Database>, viewer: Viewer, id: string, version?: number | null): Promise<Item> {
    const member = requireMember(viewer);
    const row = await trx.selectFrom(table).selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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

  async function applyChange(
    trx: Transaction<Database>,
    current: Item,
    set: Record<string, unknown>,
    events: readonly EventType[],
    payload: Record<string, unknown> = {},
  ): Promise<Item> {
    const row = await trx
      .updateTable(table)
      .set({ ...set, version: current.version + 1, updated_at: hubNow() } as never)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = kind.toItem(row);
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
  async function change<Also = never>(
    trx: Transaction<Database>,
    viewer: Viewer,
    id: string,
    version: number | null | undefined,
    set: Record<string, unknown>,
    precondition?: Precondition,
    alsoReturn?: RawBuilder<Also>,
  ): Promise<{ item: Item; also: Also | undefined }> {
    const member = requireMember(viewer);
    const update = () => trx
      .updateTable(table)
      .set({ ...set, version: sql`version + 1`, updated_at: hubNow() } as never)
      .where('id', '=', id);
    const run = async (query: ReturnType<typeof update>) => {
      const row: Record<string, any> | undefined = alsoReturn
        ? await query.returningAll().returning(alsoReturn.as('also')).executeTakeFirst()
        : await query.returningAll().executeTakeFirst();
      return row && { item: kind.toItem(row), also: row.also as Also | undefined };
    };
    if (canEdit(member, member.councilId)) {
      let query = update().where('council_id', '=', member.councilId);
      if (version !== undefined && version !== null) query = query.where('version', '=', version);
      if (precondition) query = query.where(precondition.column, '<>', precondition.isNot as never);
      const changed = await run(query);
      if (changed) return changed;
    }
    const current = await loadForEdit(trx, viewer, id, version);
    if (precondition && current[precondition.column] === precondition.isNot) {
      throw new ConflictError(`this ${kind.label} is already ${precondition.isNot}`, current.version);
    }
    return (await run(update()))!;
  }

  function eventFor(item: Item, type: EventType, extra: Record<string, unknown>) {
    return {
      type,
      subjectType: kind.subject,
      subjectId: item.id,
      councilId: item.councilId,
      visibility: item.visibility,
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
      columns: Record<string, unknown>,
      afterInsert?: (trx: Transaction<Database>, item: Item) => Promise<Record<string, unknown>>,
    ): Promise<Item> {
      const member = requireMember(viewer);
      return transact(async (trx) => {
        const row = await trx
          .insertInto(table)
          .values({
            ...columns, council_id: member.councilId, author_id: member.memberId, sample: isSampleCouncil(member.councilId),
          } as never)
          .returningAll()
          .executeTakeFirstOrThrow();
        const item = kind.toItem(row);
        const extra = afterInsert ? await afterInsert(trx, item) : {};
        await appendEvent(trx, eventFor(item, `${kind.subject}.created` as EventType, { ...extra, ...actedBy(member) }));
        return item;
      });
    },

    async update(viewer: Viewer, id: string, version: number, set: Record<string, unknown>, extraEvents: readonly EventType[] = []): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, set);
        const payload = { changed: Object.keys(set), ...actedBy(viewer) };
        for (const type of [`${kind.subject}.updated` as EventType, ...extraEvents]) await appendEvent(trx, eventFor(item, type, payload));
        return item;
      });
    },

    async publish(viewer: Viewer, id: string, version?: number | null): Promise<Item> {
      return transact(async (trx) => {
        const { item } = await change(trx, viewer, id, version, { visibility: 'published', published_at: hubNow() }, UNPUBLISHED);
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

/** What must not already be true of a row for a change to apply, e.g. publishing a published one. */
export type Precondition =
  | { readonly column: 'visibility'; readonly isNot: 'published' }
  | { readonly column: 'status'; readonly isNot: 'archived' };

export const UNPUBLISHED: Precondition = { column: 'visibility', isNot: 'published' };
export const UNARCHIVED: Precondition = { column: 'status', isNot: 'archived' };

export type ContentStore<Item extends ContentItem> = ReturnType<typeof createContentStore<Item>>;

/** For a new item's `sample` column: a sample council's items are sample data too, whoever writes them. */
export function isSampleCouncil(councilId: string): RawBuilder<boolean> {
  return sql<boolean>`(select sample from councils where id = ${councilId})`;
}

/** Maps the shared columns of a content row to its domain shape. */
export function toContentItem<S extends ContentSubject>(subject: S, row: Record<string, any>): ContentItem & { subject: S } {
  return {
    subject,
    id: row.id,
    councilId: row.council_id,
    authorId: row.author_id,
    title: row.title,
    summary: row.summary,
    body: row.body,
    serviceArea: row.service_area,
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
