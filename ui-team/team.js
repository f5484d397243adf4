// Loads the team's and office's wasm module (team.html). Kept out of the page so it needs no
// inline script (CSP).
import init from "./esv_ui_team.js";
init();
