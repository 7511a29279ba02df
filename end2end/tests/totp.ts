import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The secret scripts/test enrols the browser tests' accounts with (base32). */
export const E2E_SECOND_FACTOR = process.env.E2E_SECOND_FACTOR ?? '';

function base32Bytes(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) for the time step `step`. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

/** A code the server has not seen for this account: each code is accepted once, so a second
 * sign-in within the same half minute takes the next step's code (the server accepts one step
 * of clock difference), and a third waits for the next half minute. Used steps are kept in a
 * file per test run. */
export async function freshCode(account: string, secret: string): Promise<string> {
  const file = join(tmpdir(), `keukentafel-e2e-totp-${(process.env.BASE_URL ?? '').replace(/\W/g, '')}.json`);
  const used: Record<string, number> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (used[account] ?? 0) + 1);
  if (step > now + 1) {
    // Wait until the step before it starts, so the server's window (now - 1 .. now + 1) holds it.
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * 30_000 - Date.now() + 500));
  }
  used[account] = step;
  writeFileSync(file, JSON.stringify(used));
  return totpAt(secret, step);
}
