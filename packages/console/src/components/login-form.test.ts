import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyConsole } from './console-app.ts';
import { admin, deep, logOut, until } from '../test/support.ts';
import './console-app.ts';

async function loggedOutConsole(theme: 'light' | 'dark' = 'light') {
  await logOut();
  const el = await fixture<ParleyConsole>(html`<parley-console theme=${theme}></parley-console>`);
  const login = await until(() => deep(el, 'parley-console-login'), 5_000, 'the login form');
  await (login as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return { el, login };
}

async function submit(login: Element, email: string, password: string) {
  const emailInput = deep<HTMLInputElement>(login, '#email')!;
  const passwordInput = deep<HTMLInputElement>(login, '#password')!;
  emailInput.value = email;
  passwordInput.value = password;
  deep<HTMLButtonElement>(login, 'button[type="submit"]')!.click();
}

describe('<parley-console> login', () => {
  afterEach(() => logOut());

  describe('accessibility', () => {
    it('the login form is labelled and axe-clean, light and dark', async () => {
      for (const theme of ['light', 'dark'] as const) {
        fixtureCleanup();
        const { login } = await loggedOutConsole(theme);
        expect(deep<HTMLLabelElement>(login, 'label[for="email"]')!.textContent).to.equal('Email');
        expect(deep<HTMLLabelElement>(login, 'label[for="password"]')!.textContent).to.equal('Password');
        expect(deep(login, '[role="alert"]')).to.exist;
        await expect(login).to.be.accessible();
      }
    });
  });

  describe('errors', () => {
    it('a wrong password is announced and the console stays locked', async () => {
      const { el, login } = await loggedOutConsole();
      await submit(login, admin.email, 'not the password at all');
      const alert = await until(() => deep(login, '[role="alert"]')?.textContent?.trim(), 5_000, 'the error');
      expect(alert).to.equal('Wrong email or password.');
      expect(deep(el, 'nav')).to.equal(null);
      expect((await fetch('/api/admin/me')).status).to.equal(401);
    });

    it('empty fields are refused before any request', async () => {
      const { login } = await loggedOutConsole();
      await submit(login, '', '');
      expect(deep(login, '[role="alert"]')!.textContent).to.equal('Enter your email and password.');
    });

    it('after too many failures the throttling is explained, with the wait', async () => {
      const { login } = await loggedOutConsole();
      const email = `nobody-${Math.random().toString(36).slice(2)}@parley.test`;
      let message = '';
      for (let attempt = 0; attempt < 8 && !message.startsWith('Too many'); attempt++) {
        await submit(login, email, 'wrong password');
        await until(() => !deep<HTMLButtonElement>(login, 'button[type="submit"]')!.disabled && deep(login, '[role="alert"]')!.textContent, 5_000, 'an answer');
        message = deep(login, '[role="alert"]')!.textContent ?? '';
        // Clear it so the next answer is a fresh one.
        (login as unknown as { error: string }).error = '';
      }
      expect(message).to.match(/^Too many failed login attempts\. Try again in \d+ minutes?\.$/);
    });
  });

  describe('success', () => {
    it('the right password opens the console, and Log out closes it', async () => {
      const { el, login } = await loggedOutConsole();
      deep<HTMLInputElement>(login, '#email')!.focus();
      await sendKeys({ type: admin.email });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: admin.password });
      await sendKeys({ press: 'Enter' });
      await until(() => deep(el, 'nav'), 5_000, 'the console shell');
      expect(deep(el, '.who')!.textContent).to.contain(admin.email);
      const me = await (await fetch('/api/admin/me')).json();
      expect(me.via).to.equal('session');

      deep<HTMLButtonElement>(el, '.who .button')!.click();
      await until(() => deep(el, 'parley-console-login'), 5_000, 'the login form again');
      expect((await fetch('/api/admin/me')).status).to.equal(401);
    });
  });
});
