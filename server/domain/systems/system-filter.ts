import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.js';
import { InputChecker } from '../input-checker.js';
import { MAX_MONTHS_AHEAD, systemKey, type SystemCategory, type SystemName } from './system-model.js';

/** Councils by what they run: the directory's and search's "same system" and "contracts ending" filters. */
export interface SystemFilter {
  /** Councils running this supplier's product (compared as systemKey folds them). */
  readonly system?: SystemName | null | undefined;
  readonly category?: SystemCategory | null | undefined;
  /** Councils with a contract ending from today to this many months ahead (hub clock). */
  readonly contractsEndingWithinMonths?: number | null | undefined;
}

export function isSystemFilterEmpty(filter: SystemFilter): boolean {
  return !filter.system && !filter.category && (filter.contractsEndingWithinMonths ?? null) === null;
}

/** Throws a ValidationError naming the field when the months are out of range. */
export function checkSystemFilter(filter: SystemFilter, field = 'contractsEndingWithinMonths'): void {
  const check = new InputChecker();
  check.wholeNumber(field, filter.contractsEndingWithinMonths, 1, MAX_MONTHS_AHEAD);
  check.check();
}

/**
 * `exists (a system of this council that matches)`: every condition applies to the same
 * system, so "Capita, ending within 12 months" means one contract that is both.
 */
export function runsMatchingSystem(eb: ExpressionBuilder<Database, 'councils'>, filter: SystemFilter): Expression<SqlBool> {
  let systems = eb.selectFrom('council_systems as s').select('s.id').whereRef('s.council_id', '=', 'councils.id');
  if (filter.system) systems = systems.where('s.system_key', '=', systemKey(filter.system.supplier, filter.system.product));
  if (filter.category) systems = systems.where('s.category', '=', filter.category);
  const months = filter.contractsEndingWithinMonths;
  if (months !== null && months !== undefined) {
    systems = systems
      .where('s.contract_ends_on', '>=', sql<string>`to_char(hub_now(), 'YYYY-MM-DD')`)
      .where('s.contract_ends_on', '<=', sql<string>`to_char(hub_now() + make_interval(months => ${months}), 'YYYY-MM-DD')`);
  }
  return eb.exists(systems);
}
