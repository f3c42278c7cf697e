import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type BrowserType } from 'playwright-core';
import { BASE_CHROMIUM_ARGS, WEBRTC_CHROMIUM_ARGS, WEBRTC_PERMISSIONS, chromiumPath } from '../../scripts/chromium.ts';

export { BASE_CHROMIUM_ARGS, chromiumPath };

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
  if (opts.webrtc) args.push(...WEBRTC_CHROMIUM_ARGS);
  if (opts.args) args.push(...opts.args);

  const permissions = [...(opts.contextOptions?.permissions ?? [])];
  if (opts.webrtc) {
    for (const p of WEBRTC_PERMISSIONS) if (!permissions.includes(p)) permissions.push(p);
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
