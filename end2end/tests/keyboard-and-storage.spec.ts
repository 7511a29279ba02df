import { test, expect } from '@playwright/test';
import { emptyFill, fillStorage, reloadApp, signIn, tabTo, uniqueName } from './helpers';
import { startContact } from './journeys';

test('a quick scan can be done with the keyboard alone', async ({ page }) => {
  await signIn(page, 'noor');
  const key = (k: string) => page.keyboard.press(k);

  await tabTo(page, page.getByRole('link', { name: 'Nieuw contact' }).first());
  await key('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuw contact' })).toBeVisible();
  await tabTo(page, page.getByLabel('Telefoon'));
  await key('Space');
  await expect(page.getByLabel('Telefoon')).toBeChecked();
  await tabTo(page, page.getByLabel('Jouw naam'));
  await page.keyboard.type('Sanne');
  await tabTo(page, page.getByRole('button', { name: 'Nieuwe inwoner registreren' }));
  await key('Enter');
  await tabTo(page, page.getByLabel('Voornaam'));
  await page.keyboard.type('Jan');
  await key('Tab');
  await expect(page.getByLabel('Achternaam')).toBeFocused();
  await page.keyboard.type('de Vries');
  await tabTo(page, page.getByRole('button', { name: 'Vraagverkenning starten' }));
  await key('Enter');

  // Each step moves focus to its heading, so Tab continues in the step.
  await expect(page.getByRole('heading', { level: 2, name: 'De vraag' })).toBeFocused();
  await key('Tab');
  await page.keyboard.type('Hulp bij het invullen van formulieren.');
  await tabTo(page, page.getByRole('button', { name: 'Volgende' }));
  await key('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Leefgebieden' })).toBeFocused();
  await tabTo(page, page.getByLabel('Financiën'));
  await key('Space');
  await tabTo(page, page.getByRole('button', { name: 'Volgende' }));
  await key('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Is er meer aan de hand?' })).toBeFocused();
  // Arrow keys move within a radio group.
  await tabTo(page, page.getByRole('group', { name: /Is er meer/ }).getByLabel('Ja'));
  await key('ArrowRight');
  await expect(page.getByRole('group', { name: /Is er meer/ }).getByLabel('Nee')).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Volgende' }));
  await key('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Volgende' }));
  await key('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Juiste plek' })).toBeFocused();
  for (const group of [/goede adres/, /beantwoord/]) {
    await tabTo(page, page.getByRole('group', { name: group }).getByLabel('Ja'));
    await key('Space');
  }
  await tabTo(page, page.getByRole('group', { name: /melding/ }).getByLabel('Ja'));
  await key('ArrowRight');
  await tabTo(page, page.getByRole('button', { name: 'Volgende' }));
  await key('Enter');
  await expect(page.getByTestId('suggestion')).toContainText('Voorstel: Afgehandeld');
  await tabTo(page, page.getByRole('button', { name: 'Uitkomst bevestigen' }));
  await key('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
  await expect(page.getByTestId('today-contacts')).toContainText('Jan de Vries');
});

test('a full device says so in Dutch, and the typed text stays on screen', async ({ page }) => {
  await signIn(page, 'noor');
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Nieuw contact' }).click();
  await page.getByLabel('Balie').check();
  await page.getByLabel('Jouw naam').fill('Anne');
  await page.getByRole('button', { name: 'Nieuwe inwoner registreren' }).click();
  await page.getByLabel('Voornaam').fill('Els');
  await page.getByLabel('Achternaam').fill('Smit');
  await page.getByRole('button', { name: 'Vraagverkenning starten' }).click();
  const ownWords = page.getByLabel('Wat is de vraag, in de woorden van de inwoner?');
  await ownWords.fill('Eerste zin.');
  // Fill the rest of the device's storage.
  await fillStorage(page);
  await ownWords.pressSequentially(' En dan nog een hele lange tweede zin die niet meer past.');
  await expect(page.getByTestId('store-error')).toContainText('Het geheugen van dit apparaat is vol');
  await expect(ownWords).toHaveValue(/tweede zin die niet meer past\.$/);
  // What was stored before is still there (sealed: read back through the app once there is room).
  await emptyFill(page);
  await reloadApp(page);
  await expect(page.getByLabel('Wat is de vraag, in de woorden van de inwoner?')).toHaveValue(/^Eerste zin\./);
});

test('words typed just before the tablet hides or leaves the page are stored then, not a frame later', async ({ page }) => {
  await signIn(page, 'noor');
  await startContact(page, { channel: 'Balie', worker: 'noor', register: { givenName: 'Kees', familyName: uniqueName('Verborgen') } });
  const question = page.getByLabel('Wat is de vraag, in de woorden van de inwoner?');
  await expect(question).toBeVisible();
  const scanId = new URL(page.url()).pathname.split('/').pop()!;
  // The input and the event in one task, with only microtasks between (where the autosave's
  // effect runs): no frame can come, so only the event can have made the write.
  const typeThen = (event: 'visibilitychange' | 'pagehide', words: string) =>
    question.evaluate(async (el, [id, event, words]) => {
      const key = `kt/rec/quick_scan/${id}`;
      const before = localStorage.getItem(key);
      const field = el as HTMLTextAreaElement;
      field.value = words;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      for (let i = 0; i < 20; i++) await Promise.resolve();
      const waiting = localStorage.getItem(key) === before;
      if (event === 'visibilitychange') {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        delete (document as { hidden?: boolean }).hidden;
      } else {
        window.dispatchEvent(new PageTransitionEvent('pagehide'));
      }
      return { waiting, written: localStorage.getItem(key) !== before };
    }, [scanId, event, words] as const);
  expect(await typeThen('visibilitychange', 'Hulp bij de administratie.')).toEqual({ waiting: true, written: true });
  expect(await typeThen('pagehide', 'Hulp bij de administratie en de post.')).toEqual({ waiting: true, written: true });
  await reloadApp(page);
  await expect(question).toHaveValue('Hulp bij de administratie en de post.');
});
