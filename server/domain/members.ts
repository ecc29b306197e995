import type { Kysely } from 'kysely';
import type { Database, MemberRow } from '../db/database.js';
import type { Role } from '../auth/viewer.js';
import { inIdOrder } from './in-id-order.js';

export interface Member {
  readonly id: string;
  readonly councilId: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly isPlatformAdmin: boolean;
  readonly removedAt: Date | null;
  readonly createdAt: Date;
}

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    councilId: row.council_id,
    name: row.name,
    email: row.email,
    role: row.role,
    isPlatformAdmin: row.is_platform_admin,
    removedAt: row.removed_at,
    createdAt: row.created_at,
  };
}

export function createMemberReader({ db }: { db: Kysely<Database> }) {
  return {
    async findMany(ids: readonly string[]): Promise<(Member | null)[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('members').selectAll().where('id', 'in', [...ids]).execute();
      return inIdOrder(ids, rows.map(toMember));
    },
  };
}

export type MemberReader = ReturnType<typeof createMemberReader>;
