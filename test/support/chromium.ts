// The browser the browser tests drive: Debian's Chromium through playwright-core (which never downloads one). A
// file skips when it is absent, unless SSMGUARD_REQUIRE_CHROMIUM is set (CI sets it), where the file fails instead.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SSMGUARD_CHROMIUM || '/usr/bin/chromium';

/** Without the background-networking flags Chromium phones home at every start. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when the browser tests should not run here: no Chromium, and nothing asks for it. */
export const skipWithoutChromium = !existsSync(CHROMIUM) && !process.env.SSMGUARD_REQUIRE_CHROMIUM;

/** Launches the browser, or fails saying how to install it (reached only when it is required or present). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing and SSMGUARD_REQUIRE_CHROMIUM is set: install Debian's chromium package (apt-get install -y chromium)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
