import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingEmail } from './mailer.js';

/** Sends through an SMTP server with nodemailer, over a small pool of connections. */
export function createSmtpMailer({ url, from, maxConnections = 8 }: { url: string; from: string; maxConnections?: number }): Mailer {
  const base = new URL(url);
  base.searchParams.set('pool', 'true');
  base.searchParams.set('maxConnections', String(maxConnections));
  const transport = nodemailer.createTransport(base.toString());
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
  return {
    name: 'smtp',
    async send(email: OutgoingEmail) {
      await transport.sendMail({
        from, to: email.to, subject: email.subject,
        // Base64 named up front: nodemailer otherwise scans each body to choose, then
        // quoted-printable-encodes it in JavaScript, the largest cost of a digest run.
        text: { content: email.text, contentTransferEncoding: 'base64' },
        html: { content: email.html, contentTransferEncoding: 'base64' },
        // The same Message-ID on every attempt at one sent-log row.
        messageId: `<${createHash('sha256').update(email.reference).digest('hex').slice(0, 32)}@${domain}>`,
        headers: {
          'List-Unsubscribe': `<${email.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
    },
    async close() {
      transport.close();
    },
  };
}
