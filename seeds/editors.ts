import type { MemberViewer } from '../server/auth/viewer.js';
import { OPERATOR } from '../server/auth/viewer.js';
import type { Services } from '../server/services.js';
import type { SeedCouncil } from './councils.js';

/** Returns the viewer a seeded council acts as, adding its member on first use. */
export type EditorOf = (slug: string) => Promise<MemberViewer>;

/**
 * One admin member per council, added through the member service (as the operator, like
 * `npm run admin`) when the seed data first needs that council to act: councils that never
 * author, support, adopt or comment get no member.
 */
export function createSeedEditors(
  services: Pick<Services, 'memberAdmin'>,
  councils: readonly SeedCouncil[],
  councilIds: ReadonlyMap<string, string>,
): EditorOf {
  const editors = new Map<string, Promise<MemberViewer>>();
  return (slug) => {
    let editor = editors.get(slug);
    if (!editor) {
      editor = addEditor(slug);
      editors.set(slug, editor);
    }
    return editor;
  };

  async function addEditor(slug: string): Promise<MemberViewer> {
    const councilId = councilIds.get(slug);
    const council = councils.find((c) => c.slug === slug);
    if (!councilId || !council) throw new Error(`seed data names an unknown council: ${slug}`);
    const member = await services.memberAdmin.add(OPERATOR, {
      councilId, name: `Digital team, ${council.name}`, email: `digital@${slug}.example.gov.uk`, role: 'admin',
    });
    return { kind: 'member', memberId: member.id, councilId, role: member.role, isPlatformAdmin: false, tokenId: 'seed' };
  }
}
