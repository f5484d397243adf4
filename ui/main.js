// Loads the wasm UI. Kept out of index.html so the page needs no inline script (CSP).
import init from "./esv_ui.js";
init();
