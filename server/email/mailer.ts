/** One email, as the hub composes it, before a transport sends it. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The sent-log key: stable across retries, so a receiver can tell a repeat. */
  readonly reference: string;
  /** RFC 8058 one-click unsubscribe: a POST to it, without sign-in, stops this email. */
  readonly unsubscribeUrl: string;
}

/** The email port: SMTP (smtp-mailer.ts) or GOV.UK Notify (notify-mailer.ts). */
export interface Mailer {
  readonly name: 'smtp' | 'notify';
  /** Resolves once the transport has accepted the email; rejects if it has not. */
  send(email: OutgoingEmail): Promise<void>;
  close(): Promise<void>;
}
