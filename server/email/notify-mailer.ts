import { createHmac } from 'node:crypto';
import type { Mailer, OutgoingEmail } from './mailer.js';

export interface NotifyOptions {
  /** `{key name}-{service id}-{secret key}`, as Notify issues it. */
  readonly apiKey: string;
  /** An email template whose subject is `((subject))` and whose body is `((body))`. */
  readonly templateId: string;
  readonly baseUrl: string;
  /** @default 15000 */
  readonly timeoutMs?: number;
}

export class NotifyError extends Error {}

/**
 * Sends through GOV.UK Notify's API: POST /v2/notifications/email with a JWT (HS256, `iss`
 * the service id, `iat` now) signed by the key's secret. Notify adds the List-Unsubscribe
 * headers itself from `one_click_unsubscribe_url`. `reference` is the sent-log key.
 */
export function createNotifyMailer({ apiKey, templateId, baseUrl, timeoutMs = 15_000 }: NotifyOptions): Mailer {
  const serviceId = apiKey.slice(-73, -37);
  const secret = apiKey.slice(-36);
  return {
    name: 'notify',
    async send(email: OutgoingEmail) {
      const response = await fetch(`${baseUrl}/v2/notifications/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt(serviceId, secret)}`, 'content-type': 'application/json', 'user-agent': 'council-commons' },
        body: JSON.stringify({
          email_address: email.to,
          template_id: templateId,
          personalisation: { subject: email.subject, body: email.text },
          reference: email.reference,
          one_click_unsubscribe_url: email.unsubscribeUrl,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 201) return;
      const detail = await response.text().catch(() => '');
      throw new NotifyError(`GOV.UK Notify answered ${response.status}: ${detail.slice(0, 500)}`);
    },
    async close() {},
  };
}

function jwt(serviceId: string, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ iss: serviceId, iat: Math.floor(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
