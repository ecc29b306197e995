import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function generateSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** A message id for the webhook-id header: unique per delivery, kept across its retries. */
export function generateWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * The Standard Webhooks headers: `v1,` HMAC-SHA256 of `id.timestamp.body` keyed by the
 * secret's decoded bytes, one signature per secret (space separated) while a rotated-out
 * secret is still in its grace period, so receivers holding either one verify.
 */
export function signDelivery(webhookId: string, sentAt: Date, body: string, secrets: readonly string[]): SignedHeaders {
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
    return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
  });
  return { 'webhook-id': webhookId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
