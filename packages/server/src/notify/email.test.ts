import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { smtpSink, type SmtpSink } from '../test/smtp-sink.ts';
import { createMailer, escapeHtml, moderatorMessage, oneLine, type ModeratorNotice } from './email.ts';

const hostile: ModeratorNotice = {
  site: 'news',
  event: 'comment.pending',
  authorName: '<script>alert("name")</script>\r\nBcc: victim@example.org',
  authorEmail: 'x"><img src=x onerror=alert(1)>@evil.example',
  pageUrl: 'javascript:alert(document.cookie)//"><b>',
  body: 'Hi </blockquote><script>steal()</script> & <a href="http://spam.example">click</a>',
  reason: "first_time' onmouseover='x",
  consoleUrl: 'http://127.0.0.1:8787/admin#/comments/01J0000000000000000000000A',
};

describe('moderator mail content', () => {
  test('escapeHtml and oneLine', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&#60;a href&#61;&#34;x&#34; onclick&#61;&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    assert.equal(oneLine('a\r\nBcc: b\u2028c'), 'a Bcc: b c');
  });

  test('every reader field is escaped in the HTML, and no header can be injected', () => {
    const { subject, text, html } = moderatorMessage(hostile);
    assert.doesNotMatch(subject, /[\r\n]/);
    assert.match(subject, /^\[news\] Comment waiting for approval by <script>/);
    for (const needle of ['<script', '<img', '<b>', '</blockquote><', '<a href="http://spam', "' onmouseover='"]) {
      assert.ok(!html.includes(needle), `HTML contains raw ${needle}`);
    }
    assert.match(html, /&#60;script&#62;steal\(\)&#60;\/script&#62;/);
    assert.equal((html.match(/<blockquote/g) ?? []).length, 1);
    assert.equal((html.match(/<a /g) ?? []).length, 1, 'only the console link is a link');
    assert.match(text, /Moderate: http:\/\/127\.0\.0\.1:8787\/admin/);
    assert.match(text, /Hi <\/blockquote><script>steal\(\)<\/script>/, 'the text part carries the body verbatim');
  });
});

describe('SMTP delivery to a local server', () => {
  let sink: SmtpSink;
  let port: number;
  let messages: SmtpSink['messages'];

  before(async () => {
    sink = await smtpSink();
    ({ port, messages } = sink);
  });
  after(() => sink.close());

  test('the moderator mail arrives with both parts, escaped, and only the intended recipients', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Parley <parley@news.example>' });
    try {
      const { messageId } = await mailer.notifyModerators(['mod1@news.example', 'mod2@news.example'], hostile);
      assert.ok(messageId);
    } finally {
      mailer.close();
    }
    assert.equal(messages.length, 1);
    const [message] = messages;
    assert.equal(message!.from, 'parley@news.example');
    assert.deepEqual(message!.to.sort(), ['mod1@news.example', 'mod2@news.example'], 'no injected Bcc');
    const headers = message!.raw.split(/\r?\n\r?\n/)[0]!;
    assert.doesNotMatch(headers, /^Bcc:/im, 'no Bcc header');
    assert.match(message!.raw, /Content-Type: text\/plain/i);
    assert.match(message!.raw, /Content-Type: text\/html/i);
    // Decode the parts to check the escaping survived the transfer encoding.
    const unfolded = message!.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    assert.match(unfolded, /&#60;script&#62;steal\(\)&#60;\/script&#62;/);
    assert.ok(!/<blockquote[^>]*>[^<]*<\/blockquote><script>/.test(unfolded));
  });

  test('no recipients is an error, not a silent drop', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}` });
    await assert.rejects(mailer.notifyModerators([], hostile), /No moderator addresses/);
    mailer.close();
  });
});
