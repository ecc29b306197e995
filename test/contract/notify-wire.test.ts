import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyError, createNotifyMailer } from '../../server/email/notify-mailer.js';
import { startRecordingNotify, type RecordingNotify } from '../support/recording-notify.js';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

describe('GOV.UK Notify adapter, checked at the wire against Notify\'s documented API', () => {
  let notify: RecordingNotify;
  beforeAll(async () => { notify = await startRecordingNotify({ serviceId: SERVICE_ID, secret: SECRET }); });
  afterAll(() => notify.close());

  const mailer = () => createNotifyMailer({ apiKey: `commons_live-${SERVICE_ID}-${SECRET}`, templateId: TEMPLATE, baseUrl: notify.url });
  const email = {
    to: 'jo.bloggs@n-somerset.gov.uk', subject: 'Your daily Council Commons digest: 2 updates', text: 'Hello Jo,\n\n- Published: problem “Missed bins”',
    html: '<p>Hello Jo</p>', reference: 'daily:8c1c4a0e-0d8f-4d7a-9d2f-1f1f1f1f1f1f:2026-12-05',
    unsubscribeUrl: 'https://commons.example.gov.uk/email/unsubscribe/bTo4YzFj.abc',
  };

  it('sends a documented request: JWT auth, template, subject and body as personalisation, the sent-log key as reference, one-click unsubscribe', async () => {
    await mailer().send(email);
    expect(notify.violations).toEqual([]);
    expect(notify.requests.at(-1)).toEqual({
      path: '/v2/notifications/email',
      body: {
        email_address: email.to, template_id: TEMPLATE, personalisation: { subject: email.subject, body: email.text },
        reference: email.reference, one_click_unsubscribe_url: email.unsubscribeUrl,
      },
    });
  });

  it('rejects with Notify\'s reason when Notify refuses, so the sender retries', async () => {
    notify.status = 500;
    await expect(mailer().send(email)).rejects.toThrow(NotifyError);
    await expect(mailer().send(email)).rejects.toThrow(/answered 500: .*Internal server error/);
    notify.status = 201;
    expect(notify.violations).toEqual([]);
  });

  it('the double catches a request Notify would refuse (a wrong secret)', async () => {
    const wrong = createNotifyMailer({ apiKey: `commons_live-${SERVICE_ID}-00000000-0000-0000-0000-000000000000`, templateId: TEMPLATE, baseUrl: notify.url });
    await expect(wrong.send(email)).rejects.toThrow(/answered 400/);
    expect(notify.violations).toContain('JWT signature does not match the secret key');
    notify.violations.length = 0;
  });
});
