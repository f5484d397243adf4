//! Tauri's build step: reads tauri.conf.json (a link to the one at the repository root) and
//! prepares the embedded UI from ui/dist, which scripts/build-ui.sh must have built first.

fn main() {
    tauri_build::build();
}
