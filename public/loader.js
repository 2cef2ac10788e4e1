// Starts Layerlab's wasm without an inline script, so the Content-Security-Policy in index.html
// needs neither 'unsafe-inline' nor a hash that changes with every build. Trunk writes the
// hashed file names into this script tag's data attributes (Trunk.toml, pattern_script).
window.layerlabCspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.layerlabCspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
const me = document.querySelector("script[data-layerlab-loader]");
const { default: init } = await import(me.dataset.js);
await init({ module_or_path: me.dataset.wasm });
