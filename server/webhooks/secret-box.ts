import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

const SEALED = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret that this process cannot read back (no key, or another key). */
export class SecretUnreadableError extends Error {}

/**
 * Webhook signing secrets at rest. With a key (WEBHOOKS_SECRETS_KEY), each secret is stored
 * sealed with AES-256-GCM, bound to its endpoint (the endpoint id is the additional
 * authenticated data, so a sealed secret copied onto another endpoint does not open), and a
 * database dump no longer lets its reader sign webhooks as the hub. Without a key, secrets
 * are stored as they are, as before; a secret stored before the key was set still opens.
 */
export interface SecretBox {
  readonly sealing: boolean;
  seal(endpointId: string, secret: string): string;
  open(endpointId: string, stored: string): string;
}

export function createSecretBox(key: Buffer | undefined): SecretBox {
  if (key && key.length !== 32) throw new Error('a webhook secrets key is 32 bytes');
  return {
    sealing: key !== undefined,
    seal(endpointId, secret) {
      if (!key) return secret;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(endpointId));
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    open(endpointId, stored) {
      if (!stored.startsWith(SEALED)) return stored;
      if (!key) throw new SecretUnreadableError('the signing secret is sealed and WEBHOOKS_SECRETS_KEY is not set');
      const bytes = Buffer.from(stored.slice(SEALED.length), 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(endpointId));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError('the signing secret does not open with WEBHOOKS_SECRETS_KEY (was the key changed?)');
      }
    },
  };
}

/**
 * Seals the secrets stored before a key was set. Safe to run in several processes at once:
 * each row is changed only while it still holds the plaintext read. Returns how many.
 */
export async function sealStoredSecrets(db: Kysely<Database>, box: SecretBox): Promise<number> {
  if (!box.sealing) return 0;
  const rows = await db.selectFrom('webhook_secrets').select(['id', 'endpoint_id', 'secret'])
    .where('secret', 'not like', `${SEALED}%`).execute();
  for (const row of rows) {
    await db.updateTable('webhook_secrets').set({ secret: box.seal(row.endpoint_id, row.secret) })
      .where('id', '=', row.id).where('secret', '=', row.secret).execute();
  }
  return rows.length;
}
