import type { Kysely } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { migrations } from '../../migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };
// Migrations are numbered per piece of work and can land out of number order (0008 after
// 0010 did): a database that already has the later ones still takes the earlier one.
const options = { provider, allowUnorderedMigrations: true } as const;

/** Brings the schema up to date; Kysely's migration lock keeps concurrent starts safe. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, ...options }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed`, { cause: error });
  }
}

/** True when every known migration has been applied (readiness). */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const applied = await new Migrator({ db, ...options }).getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
}
