import nodemailer, { type Transporter } from 'nodemailer';
import { escapeHtml, oneLine } from '../notify/email.ts';

/**
 * Mail to readers (not moderators): privacy confirmations, the reply-notification opt-in, and reply
 * notices. Every reader-supplied string is escaped in the HTML part and flattened in headers.
 */
export interface ReaderMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 2369 / RFC 8058 one-click unsubscribe, for notices that can be turned off. */
  unsubscribeUrl?: string;
}

export interface ReaderMailer {
  send(mail: ReaderMail): Promise<{ messageId: string }>;
  close(): void;
}

/** A nodemailer SMTP transport from PARLEY_SMTP_URL. */
export function createReaderMailer(options: { smtpUrl: string; from?: string | undefined }, transport?: Transporter): ReaderMailer {
  const transporter = transport ?? nodemailer.createTransport(options.smtpUrl);
  const from = options.from ?? 'Parley <parley@localhost>';
  return {
    async send(mail) {
      const headers: Record<string, string> = {};
      if (mail.unsubscribeUrl) {
        headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      }
      const info = await transporter.sendMail({ from, to: mail.to, subject: oneLine(mail.subject, 160), text: mail.text, html: mail.html, headers });
      return { messageId: info.messageId };
    },
    close() {
      transporter.close();
    },
  };
}

function page(title: string, paragraphs: string[], link: { href: string; label: string }, footer?: string): string {
  return [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">',
    `<h1 style="font-size:1.2em">${escapeHtml(title)}</h1>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`,
    ...(footer ? [`<p style="color:#666;font-size:.9em">${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
}

export function privacyConfirmationMail(input: { to: string; site: string; kind: 'export' | 'delete'; confirmUrl: string; validHours: number }): ReaderMail {
  const what = input.kind === 'export' ? 'a copy of your comments' : 'deletion of your comments';
  const subject = `[${oneLine(input.site, 40)}] Confirm ${input.kind === 'export' ? 'your data export' : 'deleting your comments'}`;
  const lines = [
    `Someone (hopefully you) asked for ${what} on the site "${input.site}" for this email address.`,
    `Open the link within ${input.validHours} hours to confirm. If it was not you, ignore this mail: nothing happens.`,
  ];
  return {
    to: input.to,
    subject,
    text: [...lines, '', input.confirmUrl].join('\n'),
    html: page(subject, lines, { href: input.confirmUrl, label: input.kind === 'export' ? 'Download my comments' : 'Delete my comments' }),
  };
}

export function replyOptInMail(input: { to: string; site: string; pageUrl: string; confirmUrl: string }): ReaderMail {
  const subject = `[${oneLine(input.site, 40)}] Confirm reply notifications`;
  const lines = [`You asked to be told by mail when someone replies to your comment on ${input.pageUrl}.`, 'Open the link to confirm. If it was not you, ignore this mail.'];
  return { to: input.to, subject, text: [...lines, '', input.confirmUrl].join('\n'), html: page(subject, lines, { href: input.confirmUrl, label: 'Yes, mail me replies' }) };
}

export function replyNoticeMail(input: { to: string; site: string; pageUrl: string; replyAuthor: string | null; replyBody: string; unsubscribeUrl: string }): ReaderMail {
  const author = input.replyAuthor?.trim() || 'Someone';
  const subject = `[${oneLine(input.site, 40)}] ${oneLine(author, 60)} replied to your comment`;
  const lines = [`${author} replied to your comment on ${input.pageUrl}:`, input.replyBody];
  const footer = 'You get this because you asked for reply notifications.';
  return {
    to: input.to,
    subject,
    text: [...lines, '', `Read it: ${input.pageUrl}`, '', `${footer} Stop them: ${input.unsubscribeUrl}`].join('\n'),
    html: page(subject, lines, { href: input.pageUrl, label: 'Read the discussion' }, `${footer} Stop them: ${input.unsubscribeUrl}`),
    unsubscribeUrl: input.unsubscribeUrl,
  };
}
