import type { EmailConfig } from './config.js';
import type { Mailer } from './mailer.js';
import { createNotifyMailer } from './notify-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

/** The configured transport: SMTP_URL or NOTIFY_API_KEY; undefined when neither is set. */
export function createMailer(config: EmailConfig): Mailer | undefined {
  if (config.smtpUrl) return createSmtpMailer({ url: config.smtpUrl, from: config.from, maxConnections: config.concurrency });
  if (config.notifyApiKey) return createNotifyMailer({ apiKey: config.notifyApiKey, templateId: config.notifyTemplateId!, baseUrl: config.notifyBaseUrl });
  return undefined;
}
