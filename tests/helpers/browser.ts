import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type BrowserType } from 'playwright-core';

/** Chromium flags every test browser gets (see /work/shared/reference/browser-stack.md). */
export const BASE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  // Without these Chromium keeps trying to reach the internet.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

type PersistentContextOptions = NonNullable<Parameters<BrowserType['launchPersistentContext']>[1]>;

export interface LaunchBrowserOptions {
  /** Adds `--enable-unsafe-webgpu` (SwiftShader here: correct but slow). */
  webgpu?: boolean;
  /**
   * Adds `--allow-loopback-in-peer-connection` and grants camera/microphone, without which
   * Chromium gathers no ICE candidates in a loopback-only network namespace.
   */
  webrtc?: boolean;
  /** Extra Chromium flags, appended after the base ones. */
  args?: string[];
  /** Any other Playwright context options (permissions are merged with the WebRTC ones). */
  contextOptions?: Omit<PersistentContextOptions, 'executablePath' | 'headless' | 'args'>;
}

export interface LaunchedBrowser {
  context: BrowserContext;
  /** The fresh profile directory; removed by close(). */
  userDataDir: string;
  /** Closes the browser and removes its profile directory. Safe to call more than once. */
  close(): Promise<void>;
}

/** Path of the Chromium binary: $CHROMIUM_PATH, else /usr/bin/chromium. */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : '/usr/bin/chromium';
}

/** Launches headless Chromium with a fresh, throwaway profile. */
export async function launchBrowser(opts: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Run 'node scripts/ensure-chromium.mjs' ` +
        `(or 'sudo apt-get install -y chromium'), or set CHROMIUM_PATH.`,
    );
  }

  const args = [...BASE_CHROMIUM_ARGS];
  if (opts.webgpu) args.push('--enable-unsafe-webgpu');
  if (opts.webrtc) args.push('--allow-loopback-in-peer-connection');
  if (opts.args) args.push(...opts.args);

  const permissions = [...(opts.contextOptions?.permissions ?? [])];
  if (opts.webrtc) {
    for (const p of ['camera', 'microphone']) if (!permissions.includes(p)) permissions.push(p);
  }

  const userDataDir = await mkdtemp(join(tmpdir(), 'tabtensor-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      ...opts.contextOptions,
      executablePath,
      headless: true,
      args,
      permissions,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    })();
    return closing;
  };

  return { context, userDataDir, close };
}
