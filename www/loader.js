// Starts the lab. Trunk's own loader is an inline <script>, which the page's Content-Security-
// Policy refuses (no 'unsafe-inline'; a hash of it would change with every build): Trunk.toml's
// `pattern_script` puts this external module in its place, with the hashed file names of the
// wasm-bindgen module and the wasm in its data-js and data-wasm attributes. Instantiating the
// wasm runs its start function, which mounts the App into #app and exposes it as
// window.lyapunovLens. Then the service worker is registered, which caches the bundle so that the
// page also opens offline.
const tag = document.getElementById('lyapunov-lens-loader');
const bindings = await import(tag.dataset.js);
const wasm = await bindings.default({ module_or_path: tag.dataset.wasm });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));

if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker
    .register(new URL('service-worker.js', import.meta.url), { type: 'classic' })
    .catch((err) => console.warn(`lyapunov-lens works, but not offline: ${err}`));
}
