import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStatement } from '../../server/db/compiled-statement.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';

// Values by position, in any order and more than once, beside values fixed at build time.
const COUNCILS_BY = compileStatement((db, value) => db
  .selectFrom('councils')
  .select(['slug', 'region'])
  .where((eb) => eb.or([eb('slug', '=', value<string>(1)), eb('slug', '=', value<string>(0))]))
  .where('kind', '=', 'district')
  .where('region', '<>', value<string>(1))
  .orderBy('slug'));

describe.each(testDatabases())('statements compiled once on $engine', (engine) => {
  let database: TestDatabaseHandle;

  beforeAll(async () => {
    database = await engine.create();
    await createCouncil(database.db, { slug: 'alpha', region: 'North West' });
    await createCouncil(database.db, { slug: 'beta', region: 'North East' });
    await createCouncil(database.db, { slug: 'gamma', kind: 'unitary' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('puts each run\'s values in their places', async () => {
    expect(COUNCILS_BY.sql).toMatch(/"slug" = \$1 or "slug" = \$2/);
    expect(await COUNCILS_BY.execute(database.db, ['alpha', 'beta'])).toEqual([
      { slug: 'alpha', region: 'North West' }, { slug: 'beta', region: 'North East' },
    ]);
    expect(await COUNCILS_BY.execute(database.db, ['beta', 'gamma'])).toEqual([{ slug: 'beta', region: 'North East' }]);
    expect(await COUNCILS_BY.execute(database.db, ['alpha', 'North West'])).toEqual([]);
  });
});
