import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The message with quoted-printable soft breaks and escapes undone. */
  text: string;
}

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Resolves once `n` mails (to `to`, when given) have arrived, to all mails so far; rejects after `ms`. */
  waitFor(n: number, to?: string, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a loopback port that keeps what it receives: the tests' mailbox. */
export async function smtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const arrived = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, text });
        callback();
        for (const wake of [...arrived]) wake();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    async waitFor(n, to, ms = 10_000) {
      const count = () => (to ? messages.filter((m) => m.to.includes(to)).length : messages.length);
      const deadline = Date.now() + ms;
      // Woken by each arrival; the timer only bounds a failure.
      while (count() < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} mails${to ? ` to ${to}` : ''}, got ${count()}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            arrived.delete(done);
            resolve();
          }
          arrived.add(done);
        });
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
