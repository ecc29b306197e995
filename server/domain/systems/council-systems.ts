import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Transact } from '../../db/transact.js';
import { hubNow } from '../../db/hub-now.js';
import type { Actor, MemberViewer } from '../../auth/viewer.js';
import { appendEvent } from '../../events/outbox.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../kernel/errors.js';
import { councilEvent } from '../council-admin.js';
import { toCouncil } from '../councils.js';
import { InputChecker } from '../input-checker.js';
import {
  MAX_SYSTEMS_PER_COUNCIL, SYSTEM_CATEGORIES, systemKey, toCouncilSystem, type CouncilSystem, type SystemCategory,
} from './system-model.js';

export interface SystemInput {
  category?: string | null;
  supplier?: string | null;
  product?: string | null;
  /** YYYY-MM-DD; null clears it on update. */
  contractEndsOn?: string | null;
}

const NAME_MAX = 120;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A council's admins record the systems it runs. Every change locks the council's row, so
 * the per-council cap holds under concurrent adds, and appends `council.updated` (changed:
 * systems) in the same transaction, as any other change to a council's public details does.
 */
export function createCouncilSystemService({ transact }: { transact: Transact }) {
  return {
    async add(actor: Actor, input: SystemInput): Promise<CouncilSystem> {
      const admin = requireCouncilAdmin(actor);
      const columns = checkSystem(input, true);
      return transact(async (trx) => {
        await lockCouncil(trx, admin.councilId);
        const count = await trx.selectFrom('council_systems').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('council_id', '=', admin.councilId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_SYSTEMS_PER_COUNCIL) {
          throw new ValidationError([{ field: 'input', message: `your council already records ${MAX_SYSTEMS_PER_COUNCIL} systems, the most a council may` }]);
        }
        const row = await trx.insertInto('council_systems').values({
          council_id: admin.councilId, category: columns.category!, supplier: columns.supplier!, product: columns.product!,
          system_key: systemKey(columns.supplier!, columns.product!), contract_ends_on: columns.contract_ends_on ?? null,
        }).returningAll().executeTakeFirstOrThrow();
        await systemsChanged(trx, admin);
        return toCouncilSystem(row);
      });
    },

    async update(actor: Actor, input: SystemInput & { id: string }): Promise<CouncilSystem> {
      const admin = requireCouncilAdmin(actor);
      const columns = checkSystem(input, false);
      return transact(async (trx) => {
        await lockCouncil(trx, admin.councilId);
        const current = await ownSystem(trx, admin, input.id);
        const next = { ...toColumns(current), ...columns };
        const row = await trx.updateTable('council_systems')
          .set({ ...next, system_key: systemKey(next.supplier, next.product), updated_at: hubNow() })
          .where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
        await systemsChanged(trx, admin);
        return toCouncilSystem(row);
      });
    },

    async remove(actor: Actor, id: string): Promise<CouncilSystem> {
      const admin = requireCouncilAdmin(actor);
      return transact(async (trx) => {
        await lockCouncil(trx, admin.councilId);
        const current = await ownSystem(trx, admin, id);
        await trx.deleteFrom('council_systems').where('id', '=', id).execute();
        await systemsChanged(trx, admin);
        return current;
      });
    },
  };
}

export type CouncilSystemService = ReturnType<typeof createCouncilSystemService>;

/** Only the council's own admins: a platform admin or another council's admin may not. */
function requireCouncilAdmin(actor: Actor): MemberViewer {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  if (actor.kind !== 'member' || actor.role !== 'admin') {
    throw new ForbiddenError('only your council\'s admins may change the systems it records');
  }
  return actor;
}

async function lockCouncil(trx: Transaction<Database>, councilId: string): Promise<void> {
  await trx.selectFrom('councils').select('id').where('id', '=', councilId).forUpdate().executeTakeFirstOrThrow();
}

/** Another council's system is "not found", not "forbidden": its ids are not this admin's to probe. */
async function ownSystem(trx: Transaction<Database>, admin: MemberViewer, id: string): Promise<CouncilSystem> {
  const row = await trx.selectFrom('council_systems').selectAll().where('id', '=', id).where('council_id', '=', admin.councilId)
    .forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError('council system', id);
  return toCouncilSystem(row);
}

async function systemsChanged(trx: Transaction<Database>, admin: MemberViewer): Promise<void> {
  const council = toCouncil(await trx.updateTable('councils').set({ updated_at: hubNow() }).where('id', '=', admin.councilId)
    .returningAll().executeTakeFirstOrThrow());
  await appendEvent(trx, councilEvent('council.updated', council, admin, { changed: ['systems'] }));
}

type Columns = { category: SystemCategory; supplier: string; product: string; contract_ends_on: string | null };

function toColumns(system: CouncilSystem): Columns {
  return { category: system.category, supplier: system.supplier, product: system.product, contract_ends_on: system.contractEndsOn };
}

function checkSystem(input: SystemInput, required: boolean): Partial<Columns> {
  const check = new InputChecker();
  const columns: Partial<Columns> = {
    category: check.oneOf('category', input.category, SYSTEM_CATEGORIES, required),
    supplier: check.text('supplier', input.supplier, NAME_MAX, { required }),
    product: check.text('product', input.product, NAME_MAX, { required }),
    contract_ends_on: checkDate(check, 'contractEndsOn', input.contractEndsOn),
  };
  const given = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Partial<Columns>;
  if (!required && Object.keys(given).length === 0) check.fail('input', 'names no field to change');
  check.check();
  return given;
}

/** A real calendar date from 1990 to 2100; null clears, undefined leaves as is. */
export function checkDate(check: InputChecker, field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const match = ISO_DATE.exec(value.trim());
  const date = match ? new Date(`${match[0]}T00:00:00Z`) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[0]
    || Number(match[1]) < 1990 || Number(match[1]) > 2100) {
    return check.fail(field, 'must be a date from 1990 to 2100 written YYYY-MM-DD, e.g. 2027-03-31'), undefined;
  }
  return match[0];
}
