import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { uniqueViolation } from '../db/unique-violation.js';
import { isPlatformAdmin, type Actor } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { actorMemberId, requireActor, type SignedInActor } from './actor.js';
import { checkCouncilKind, checkGssCode, checkRegion, checkSlug } from './admin-input.js';
import { toCouncil, type Council } from './councils.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../kernel/errors.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { hubNow } from '../db/hub-now.js';

export interface CouncilInput {
  slug?: string | null;
  name?: string | null;
  kind?: string | null;
  region?: string | null;
  gssCode?: string | null;
  website?: string | null;
}

/** Checked columns: the required ones are never null, the optional ones null when cleared. */
type CouncilColumns = Partial<Record<'slug' | 'name' | 'kind' | 'region', string> & Record<'gss_code' | 'website', string | null>>;

const TAKEN: Record<string, FieldProblem> = {
  councils_slug_key: { field: 'slug', message: 'is already used by another council' },
  councils_gss_code_key: { field: 'gssCode', message: 'is already used by another council' },
};

/** Councils join the hub and change their details through platform admins only. */
export function createCouncilAdminService({ transact }: { transact: Transact }) {
  return {
    /** `sample` marks a council of the seeded sample data (the seed loader's, never the API's). */
    async create(actor: Actor, input: CouncilInput, options: { sample?: boolean } = {}): Promise<Council> {
      const who = requireActor(actor);
      const columns = checkCouncil(input, true);
      if (!isPlatformAdmin(who)) throw new ForbiddenError('only platform admins may add councils');
      return withUniqueFields(() => transact(async (trx) => {
        await ensureUnique(trx, columns, null);
        const row = await trx.insertInto('councils').values({
          slug: columns.slug!, name: columns.name!, kind: columns.kind!, region: columns.region!,
          gss_code: columns.gss_code ?? null, website: columns.website ?? null, sample: options.sample ?? false,
        }).returningAll().executeTakeFirstOrThrow();
        const council = toCouncil(row);
        await appendEvent(trx, councilEvent('council.created', council, who, {}));
        return council;
      }));
    },

    async update(actor: Actor, input: CouncilInput & { id: string }): Promise<Council> {
      const who = requireActor(actor);
      const columns = checkCouncil(input, false);
      if (!isPlatformAdmin(who)) throw new ForbiddenError('only platform admins may change a council\'s details');
      return withUniqueFields(() => transact(async (trx) => {
        const current = await trx.selectFrom('councils').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
        if (!current) throw new NotFoundError('council', input.id);
        const changed = (Object.keys(columns) as (keyof CouncilColumns)[]).filter((c) => columns[c] !== current[c]);
        // Saying it again is harmless: only a real change is news.
        if (changed.length === 0) return toCouncil(current);
        await ensureUnique(trx, columns, input.id);
        const row = await trx.updateTable('councils').set({ ...columns, updated_at: hubNow() }).where('id', '=', input.id)
          .returningAll().executeTakeFirstOrThrow();
        const council = toCouncil(row);
        await appendEvent(trx, councilEvent('council.updated', council, who, { changed: changed.map(camel) }));
        return council;
      }));
    },
  };
}

function checkCouncil(input: CouncilInput, required: boolean): CouncilColumns {
  const check = new InputChecker();
  const columns: CouncilColumns = {
    slug: checkSlug(check, 'slug', input.slug, required),
    name: check.text('name', input.name, LIMITS.name, { required }),
    kind: checkCouncilKind(check, 'kind', input.kind, required),
    region: checkRegion(check, 'region', input.region, required),
    gss_code: checkGssCode(check, 'gssCode', input.gssCode),
    website: check.url('website', input.website),
  };
  const given = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as CouncilColumns;
  if (!required && Object.keys(given).length === 0) check.fail('input', 'names no field to change');
  check.check();
  return given;
}

/** Checked first for a message naming the field; the unique constraints settle races. */
async function ensureUnique(trx: Transaction<Database>, columns: CouncilColumns, self: string | null): Promise<void> {
  const problems: FieldProblem[] = [];
  for (const [column, key] of [['slug', 'councils_slug_key'], ['gss_code', 'councils_gss_code_key']] as const) {
    const value = columns[column];
    if (value === undefined || value === null) continue;
    let query = trx.selectFrom('councils').select('id').where(column, '=', value);
    if (self) query = query.where('id', '!=', self);
    if (await query.executeTakeFirst()) problems.push(TAKEN[key]!);
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

async function withUniqueFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const taken = TAKEN[uniqueViolation(error) ?? ''];
    if (taken) throw new ValidationError([taken]);
    throw error;
  }
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Councils are public, so their events are published. */
export function councilEvent(type: 'council.created' | 'council.updated', council: Council, who: SignedInActor, extra: Record<string, unknown>) {
  return {
    type,
    subjectType: 'council' as const,
    subjectId: council.id,
    councilId: council.id,
    visibility: 'published' as const,
    payload: {
      slug: council.slug, name: council.name, kind: council.kind, region: council.region,
      gssCode: council.gssCode, website: council.website, byMemberId: actorMemberId(who), ...extra,
    },
  };
}

export type CouncilAdminService = ReturnType<typeof createCouncilAdminService>;
