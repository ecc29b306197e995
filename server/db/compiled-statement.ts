import {
  CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type Compilable, type RawBuilder,
} from 'kysely';
import type { Database } from './database.js';

/**
 * Kysely builds an operation tree and compiles it to SQL on every execution. For a statement
 * with a join and aliases that is most of the hub's CPU for the statement: the API token
 * lookup spent ~130 µs per request building and compiling in a profile of bench:fanout. A
 * hot statement whose SQL never changes is built once here, with placeholders for its
 * values, and each run only puts the values in their places (listing.ts does the same per
 * shape). PGlite and PostgreSQL compile alike, so one compilation serves both.
 *
 *   const FIND = compileStatement((db, value) => db.selectFrom('members').selectAll().where('id', '=', value<string>(0)));
 *   const rows = await FIND.execute(db, [memberId]);
 */
export function compileStatement<Row>(
  build: (db: Kysely<Database>, value: <V>(index: number) => RawBuilder<V>) => Compilable<Row>,
): CompiledStatement<Row> {
  const { sql: text, parameters } = build(COMPILER, (index) => sql`${new Placeholder(index)}`).compile();
  return {
    sql: text,
    async execute(executor, values) {
      const filled = parameters.map((p) => (p instanceof Placeholder ? values[p.index] : p));
      const { rows } = await executor.executeQuery<Row>(CompiledQuery.raw(text, filled));
      return rows;
    },
  };
}

export interface CompiledStatement<Row> {
  readonly sql: string;
  /** Runs the statement with `values[i]` wherever the builder used `value(i)`. */
  execute(executor: Kysely<Database>, values: readonly unknown[]): Promise<Row[]>;
}

class Placeholder {
  constructor(readonly index: number) {}
}

// Compiles only: it has no connection, so like the Pothos builder it holds no runtime state.
const COMPILER = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
