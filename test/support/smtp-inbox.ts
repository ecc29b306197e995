import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a free port that parses and keeps what it receives. */
export interface SmtpInbox {
  readonly url: string;
  readonly received: ParsedMail[];
  /** While true, every message is refused with a temporary failure (451). */
  failing: boolean;
  /** Messages refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const received: ParsedMail[] = [];
  const state = { failing: false, refused: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        if (state.failing) {
          state.refused++;
          const error = Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 });
          return callback(error);
        }
        received.push(mail);
        callback();
      }, callback);
    },
  });
  // A sender killed mid-session (the SIGKILL tests) resets its connection: the server drops
  // that session and goes on, as a real mail server would. Anything else is a real failure.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get failing() { return state.failing; },
    set failing(value: boolean) { state.failing = value; },
    get refused() { return state.refused; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
