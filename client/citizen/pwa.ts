/**
 * The installable app: registers the service worker (built from ./sw.ts), notices when a new
 * version has taken over, and offers "install" where the browser allows it.
 */
import { emit } from './events';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let updated = false;
let installPrompt: InstallPromptEvent | null = null;

/** True once a new version has taken over this page (the service worker activates at once). */
export const updateReady = () => updated;
export const canInstall = () => installPrompt !== null;

export async function install(): Promise<void> {
  const prompt = installPrompt;
  if (!prompt) return;
  installPrompt = null;
  await prompt.prompt();
  await prompt.userChoice;
  emit({ type: 'installable' });
}

export function startPwa(): void {
  window.addEventListener('beforeinstallprompt', (e) => {
    // Our own button instead of the browser's banner, which covers the send button.
    e.preventDefault();
    installPrompt = e as InstallPromptEvent;
    emit({ type: 'installable' });
  });
  window.addEventListener('appinstalled', () => {
    installPrompt = null;
    emit({ type: 'installable' });
  });

  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install also "changes" the controller; only a replacement is an update.
    if (!hadController || updated) return;
    updated = true;
    emit({ type: 'update' });
  });
  const register = () => {
    navigator.serviceWorker.register('/sw.js').catch((err: unknown) => {
      console.warn('The offline app could not be installed:', err);
    });
  };
  // After the page has loaded, so caching the app never competes with the first report.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
