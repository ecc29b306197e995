import type { Kysely } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { migrations } from '../../migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; Kysely's migration lock keeps concurrent starts safe. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed`, { cause: error });
  }
}

/** True when every known migration has been applied (readiness). */
export async function isMigrated(db: Kysely<any>): Promise<boolean> {
  const applied = await new Migrator({ db, provider }).getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
}
