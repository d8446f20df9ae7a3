// Service worker registration, the "Update available" banner, and install.

import { h, clear } from './ui.js';

let reloadWanted = false;

function showUpdate(worker) {
  const banner = document.getElementById('banner');
  clear(banner).append(
    h('span', { text: 'Update available — ' }),
    h('button', { type: 'button', class: 'link-button', onclick: () => {
      reloadWanted = true;
      worker.postMessage({ type: 'skip-waiting' });
    } }, 'Reload'),
  );
  banner.hidden = false;
}

export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only reload when the person asked for the new version.
    if (reloadWanted) location.reload();
  });
  try {
    const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    // A new worker may already wait, or already be installing: the browser
    // checks for updates on every navigation, and `updatefound` can fire
    // before this listener exists.
    const watch = (worker) => worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) showUpdate(worker);
    });
    if (reg.waiting && navigator.serviceWorker.controller) showUpdate(reg.waiting);
    watch(reg.installing);
    reg.addEventListener('updatefound', () => watch(reg.installing));
    setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
  } catch {
    // Without a service worker the app still works online.
  }
}

// A session started: the worker adds the signed-in screens to this version's
// cache (it installed with what a signed-out start needs), so every screen
// opens offline from now on. Nothing happens without a worker.
export async function cacheWholeShell() {
  try {
    (await navigator.serviceWorker?.ready)?.active?.postMessage({ type: 'cache-all' });
  } catch {
    // No worker: the app works online.
  }
}

// Install -----------------------------------------------------------------

let deferred = null;
const installEvents = new EventTarget();

addEventListener('beforeinstallprompt', (e) => {
  e.preventDefault();
  deferred = e;
  installEvents.dispatchEvent(new Event('change'));
});
addEventListener('appinstalled', () => {
  deferred = null;
  installEvents.dispatchEvent(new Event('change'));
});

export const isIOS = () => /iPad|iPhone|iPod/.test(navigator.userAgent)
  || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
export const isStandalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;

// A small block that offers the right way to install on this browser.
export function installBlock({ quiet = false } = {}) {
  const box = h('div', { class: 'install' });
  const draw = () => {
    clear(box);
    if (isStandalone()) {
      if (!quiet) box.append(h('p', { class: 'muted', text: 'Rebound is installed on this device.' }));
    } else if (deferred) {
      box.append(h('button', { type: 'button', class: 'secondary', onclick: async () => {
        const prompt = deferred;
        deferred = null;
        await prompt.prompt();
        await prompt.userChoice;
        draw();
      } }, 'Install Rebound'));
    } else if (isIOS()) {
      box.append(h('p', { text: 'To install on iPhone or iPad: tap the Share button, then “Add to Home Screen”.' }));
    } else if (!quiet) {
      box.append(h('p', { class: 'muted', text: 'You can add Rebound to your home screen from your browser’s menu.' }));
    }
  };
  installEvents.addEventListener('change', draw);
  draw();
  return box;
}
