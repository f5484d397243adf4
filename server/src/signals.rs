//! The signals that stop the server gracefully: SIGTERM (what systemd and Docker send) and
//! SIGINT (Ctrl-C).

use std::future::Future;

/// Starts listening for SIGTERM and SIGINT now; the future completes at the first one, with
/// its name.
pub fn stop() -> std::io::Result<impl Future<Output = &'static str> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}
