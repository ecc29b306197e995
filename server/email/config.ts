import type { EnvReaders } from '../config-hardening.js';
import { readPublicUrl } from '../public-url.js';

/** How the hub sends email: through an SMTP server or GOV.UK Notify, or not at all. */
export interface EmailConfig {
  /** `smtp://user:pass@host:port` (or `smtps://`); nodemailer's URL form. */
  readonly smtpUrl: string | undefined;
  /** A GOV.UK Notify API key; emails go through Notify's API with `notifyTemplateId`. */
  readonly notifyApiKey: string | undefined;
  /** A Notify email template whose subject is `((subject))` and body `((body))`. */
  readonly notifyTemplateId: string | undefined;
  /** @default https://api.notifications.service.gov.uk */
  readonly notifyBaseUrl: string;
  /** The From header for SMTP (Notify uses the service's own). @default Council Commons <no-reply@localhost> */
  readonly from: string;
  /** Where links in emails point: the hub as its readers reach it. @default http://localhost:PORT */
  readonly publicUrl: string;
  /** Key for unsubscribe links; absent, the hub makes one and keeps it in the database. */
  readonly signingKey: string | undefined;
  /** Hour of the day (UTC) digests go out. @default 7 */
  readonly digestHour: number;
  /** Day of the week (0 Sunday to 6 Saturday) weekly digests go out. @default 1 (Monday) */
  readonly weeklyDigestDay: number;
  /** First retry after a failed send; doubles per attempt up to `retryMaxMs`. @default 60000 */
  readonly retryInitialMs: number;
  /** @default 3600000 */
  readonly retryMaxMs: number;
  /** Emails in flight at once. @default 8 */
  readonly concurrency: number;
  /** Longest wait for due emails without a wake-up. @default 5000 */
  readonly pollIntervalMs: number;
}

type Env = Record<string, string | undefined>;

export function loadEmailConfig(env: Env, port: number, read: Pick<EnvReaders, 'integer' | 'nonEmpty' | 'fail'>): EmailConfig {
  const smtpUrl = read.nonEmpty(env.SMTP_URL);
  const notifyApiKey = read.nonEmpty(env.NOTIFY_API_KEY);
  const notifyTemplateId = read.nonEmpty(env.NOTIFY_TEMPLATE_ID);
  if (smtpUrl && notifyApiKey) read.fail('set SMTP_URL or NOTIFY_API_KEY, not both');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) read.fail('SMTP_URL must start with smtp:// or smtps://');
  if (notifyApiKey && !/-[0-9a-f-]{36}-[0-9a-f-]{36}$/i.test(notifyApiKey)) read.fail('NOTIFY_API_KEY must be a GOV.UK Notify API key (name-serviceid-secret)');
  if (notifyApiKey && !notifyTemplateId) read.fail('NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID (a template with ((subject)) and ((body)))');
  const publicUrl = readPublicUrl(env, port, read);
  return Object.freeze({
    smtpUrl, notifyApiKey, notifyTemplateId,
    notifyBaseUrl: (read.nonEmpty(env.NOTIFY_BASE_URL) ?? 'https://api.notifications.service.gov.uk').replace(/\/+$/, ''),
    from: read.nonEmpty(env.EMAIL_FROM) ?? 'Council Commons <no-reply@localhost>',
    publicUrl,
    signingKey: read.nonEmpty(env.EMAIL_SIGNING_KEY),
    digestHour: read.integer(env, 'DIGEST_HOUR', 7, 0, 23),
    weeklyDigestDay: read.integer(env, 'WEEKLY_DIGEST_DAY', 1, 0, 6),
    retryInitialMs: read.integer(env, 'EMAIL_RETRY_INITIAL_MS', 60_000, 1, 86_400_000),
    retryMaxMs: read.integer(env, 'EMAIL_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
    concurrency: read.integer(env, 'EMAIL_CONCURRENCY', 8, 1, 100),
    pollIntervalMs: read.integer(env, 'EMAIL_POLL_INTERVAL_MS', 5_000, 10, 3_600_000),
  });
}

export function emailEnabled(config: EmailConfig): boolean {
  return config.smtpUrl !== undefined || config.notifyApiKey !== undefined;
}
