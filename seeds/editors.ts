import type { Kysely } from 'kysely';
import type { Database } from '../server/db/database.js';
import type { MemberViewer } from '../server/auth/viewer.js';
import type { SeedCouncil } from './councils.js';

/** Returns the viewer a seeded council acts as, creating its member on first use. */
export type EditorOf = (slug: string) => Promise<MemberViewer>;

/**
 * One admin member per council, created when the seed data first needs that council to act:
 * councils that never author, support, adopt or comment get no member.
 */
export function createSeedEditors(db: Kysely<Database>, councils: readonly SeedCouncil[], councilIds: ReadonlyMap<string, string>): EditorOf {
  const editors = new Map<string, Promise<MemberViewer>>();
  return (slug) => {
    let editor = editors.get(slug);
    if (!editor) {
      editor = createEditor(slug);
      editors.set(slug, editor);
    }
    return editor;
  };

  async function createEditor(slug: string): Promise<MemberViewer> {
    const councilId = councilIds.get(slug);
    const council = councils.find((c) => c.slug === slug);
    if (!councilId || !council) throw new Error(`seed data names an unknown council: ${slug}`);
    const member = await db.insertInto('members')
      .values({ council_id: councilId, name: `Digital team, ${council.name}`, email: `digital@${slug}.example.gov.uk`, role: 'admin' })
      .returning('id').executeTakeFirstOrThrow();
    return { kind: 'member', memberId: member.id, councilId, role: 'admin', isPlatformAdmin: false, tokenId: 'seed' };
  }
}
