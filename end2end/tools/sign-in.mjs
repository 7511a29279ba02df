// Signs a bench browser in as the account bench/browser-figures made: password, the code from
// its second factor (RFC 6238, computed from the secret the bench enrolled), and a new PIN.
import { createHmac } from 'node:crypto';

export const BENCH_EMAIL = 'bench@keukentafel.local';
export const PIN = '246813';

/** The code of the current time step plus `ahead` (the server accepts one step ahead; a code
 * is accepted once, so a second sign-in within the same half minute takes the next one). */
function totp(secret, ahead = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + ahead));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export async function signIn(page, base, ahead = 0, email = BENCH_EMAIL) {
  await page.goto(base + '/inloggen');
  await page.waitForFunction(() => performance.getEntriesByName('hydrated').length > 0);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(process.env.BENCH_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Code uit je authenticator-app').fill(totp(process.env.BENCH_SECOND_FACTOR ?? '', ahead));
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Pincode', { exact: true }).fill(PIN);
  await page.getByLabel('Herhaal de pincode').fill(PIN);
}
