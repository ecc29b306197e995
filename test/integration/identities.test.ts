import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchIdentity } from '../../server/auth/identities.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';

let unique = 0;

// An email is unique within a council only (issue 12, finding 5), so a person may be a
// member of several councils; sign-in must pick one, the same one every time, and a council
// that adds someone's address later must not take their sign-in over.
describe.each(testDatabases())('signing an identity in as a member on $engine', (engine) => {
  let database: TestDatabaseHandle;

  beforeAll(async () => { database = await engine.create(); });
  afterAll(() => database?.close());

  const addMember = async (councilId: string, email: string, createdAt: string) => (await database.db.insertInto('members')
    .values({ council_id: councilId, name: 'Ade Bello', email, role: 'member', created_at: new Date(createdAt) })
    .returning('id').executeTakeFirstOrThrow()).id;
  const signIn = (email: string) => matchIdentity(database.db, { email, emailVerified: true });
  const claim = (councilId: string, domain: string) => database.db.insertInto('council_sign_in_domains').values({ council_id: councilId, domain }).execute();

  it('signs a person in as their oldest membership, whichever council added them later', async () => {
    const [first, later] = [await createCouncil(database.db), await createCouncil(database.db)];
    const email = `ade.bello.${++unique}@shared-services.gov.uk`;
    const older = await addMember(first.id, email, '2025-01-01T09:00:00Z');
    await addMember(later.id, email, '2026-06-01T09:00:00Z');
    expect(await signIn(email.toUpperCase())).toEqual({ kind: 'member', memberId: older });
  });

  it('prefers the council that claims the email\'s domain, and skips councils that refuse it', async () => {
    const [own, other, strict] = [await createCouncil(database.db), await createCouncil(database.db), await createCouncil(database.db)];
    const domain = `council-${++unique}.gov.uk`;
    const email = `ade.bello@${domain}`;
    await addMember(strict.id, email, '2024-01-01T09:00:00Z');
    await claim(strict.id, `elsewhere-${unique}.gov.uk`);
    const open = await addMember(other.id, email, '2025-01-01T09:00:00Z');
    expect(await signIn(email)).toEqual({ kind: 'member', memberId: open });
    const claimed = await addMember(own.id, email, '2026-01-01T09:00:00Z');
    await claim(own.id, domain);
    expect(await signIn(email)).toEqual({ kind: 'member', memberId: claimed });
  });

  it('refuses a person whose only councils accept other domains', async () => {
    const council = await createCouncil(database.db);
    const email = `ade.bello.${++unique}@personal.example`;
    await addMember(council.id, email, '2025-01-01T09:00:00Z');
    await claim(council.id, `council-${unique}.gov.uk`);
    expect(await signIn(email)).toMatchObject({ kind: 'domain-not-allowed', askAdmins: { council: council.name } });
  });
});
