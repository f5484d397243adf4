// Stands in for Tauri in browser tests (served by tests/src/ui_bridge.rs): invoke(cmd, args)
// is a POST to /ipc/<cmd>; an error answer rejects with the IpcError JSON, as Tauri does.
// window.__esvBridge keeps every call with its timing (log) and every script error (errors).
(() => {
  "use strict";
  const log = [];
  const errors = [];
  window.__esvBridge = { log, errors };
  window.addEventListener("error", (e) => errors.push("error: " + (e.message || String(e))));
  window.addEventListener("unhandledrejection", (e) =>
    errors.push("unhandled rejection: " + JSON.stringify(e.reason)));
  const consoleError = console.error.bind(console);
  console.error = (...parts) => {
    errors.push("console.error: " + parts.map(String).join(" "));
    consoleError(...parts);
  };
  async function invoke(cmd, args) {
    const entry = { cmd, args: args === undefined ? {} : args, start: performance.now(), end: null, ok: null };
    log.push(entry);
    const response = await fetch("/ipc/" + encodeURIComponent(cmd), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(entry.args),
    });
    let body;
    try {
      body = await response.json();
    } catch (e) {
      body = { kind: "internal", message: "resposta inválida do bridge de teste: " + e };
    }
    entry.end = performance.now();
    entry.ok = response.ok;
    if (!response.ok) throw body;
    return body;
  }
  window.__TAURI__ = { core: { invoke } };
})();
