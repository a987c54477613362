/**
 * Asks the service worker to cache one asset the app fetched at run time (the WebAssembly binary this device uses):
 * the worker precaches everything else at install but not the wasm variants, of which a device needs only one.
 */
export function keepForOffline(url: string): void {
  if (!('serviceWorker' in navigator) || import.meta.hot) return;
  const absolute = new URL(url, location.href).href;
  void navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ type: 'keep', url: absolute })).catch(() => {
    /* offline support is a bonus */
  });
}
