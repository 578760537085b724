import nodemailer, { type Transporter } from 'nodemailer';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * Header-safe single line: no CR/LF (header injection), no other control characters, bounded.
 * nodemailer encodes headers itself; this keeps a hostile name from reshaping the subject.
 */
export function oneLine(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (PARLEY_SMTP_URL). */
  smtpUrl: string;
  /** From address (PARLEY_MAIL_FROM); default `Parley <parley@localhost>`. */
  from?: string;
}

/** What moderators are told about a comment. Every field is reader-supplied except `consoleUrl`. */
export interface ModeratorNotice {
  site: string;
  event: 'comment.created' | 'comment.pending' | 'comment.flagged';
  authorName: string | null;
  authorEmail: string | null;
  pageUrl: string;
  body: string;
  /** Why it waits (reason code or flag reason). */
  reason?: string;
  /** Link to the comment in the console (built by the server). */
  consoleUrl: string;
}

export interface Mailer {
  notifyModerators(to: readonly string[], notice: ModeratorNotice): Promise<{ messageId: string }>;
  close(): void;
}

const SUBJECTS: Record<ModeratorNotice['event'], string> = {
  'comment.created': 'New comment',
  'comment.pending': 'Comment waiting for approval',
  'comment.flagged': 'Comment flagged by readers',
};

/** The moderator mail as text and HTML; in the HTML every reader field is escaped. */
export function moderatorMessage(notice: ModeratorNotice): { subject: string; text: string; html: string } {
  const author = notice.authorName?.trim() || 'Anonymous';
  const subject = `[${oneLine(notice.site, 40)}] ${SUBJECTS[notice.event]} by ${oneLine(author, 60)}`;
  const rows: Array<[string, string]> = [
    ['Site', notice.site],
    ['Page', notice.pageUrl],
    ['Author', notice.authorEmail ? `${author} <${notice.authorEmail}>` : author],
    ...(notice.reason ? ([['Reason', notice.reason]] as Array<[string, string]>) : []),
  ];
  const text = [
    SUBJECTS[notice.event],
    '',
    ...rows.map(([label, value]) => `${label}: ${oneLine(value, 500)}`),
    '',
    notice.body,
    '',
    `Moderate: ${notice.consoleUrl}`,
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">',
    `<h1 style="font-size:1.2em">${escapeHtml(SUBJECTS[notice.event])}</h1>`,
    '<table>',
    ...rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`),
    '</table>',
    `<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;margin:1em 0;padding-left:1em">${escapeHtml(notice.body)}</blockquote>`,
    `<p><a href="${escapeHtml(notice.consoleUrl)}">Moderate this comment</a></p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** A nodemailer SMTP transport from PARLEY_SMTP_URL. */
export function createMailer(options: MailerOptions, transport?: Transporter): Mailer {
  const transporter = transport ?? nodemailer.createTransport(options.smtpUrl);
  const from = options.from ?? 'Parley <parley@localhost>';
  return {
    async notifyModerators(to, notice) {
      if (to.length === 0) throw new Error('No moderator addresses configured for this site');
      const message = moderatorMessage(notice);
      const info = await transporter.sendMail({ from, to: [...to], ...message });
      return { messageId: info.messageId };
    },
    close() {
      transporter.close();
    },
  };
}
