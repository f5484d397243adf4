//! Random identifiers made on the device: document ids for what people write offline, and the
//! citizen device's own id and token (registered with the office's server later).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::{ReplicaError, Result};
use crate::store::Store;

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        ReplicaError::BadInput(format!(
            "o aparelho não conseguiu gerar um número aleatório: {e}"
        ))
    })?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh id for a document: 16 hex digits (64 random bits), unique enough for one office.
pub fn new_id() -> Result<String> {
    Ok(hex(&random::<8>()?))
}

impl Store {
    /// This device's citizen id and token, made on first use and kept: `dev-` + 20 hex digits
    /// and 32 random bytes in base64url, the shapes the server hands out.
    pub fn citizen_identity(&self) -> Result<(String, String)> {
        if let (Some(device), Some(token)) =
            (self.meta("citizen.device")?, self.meta("citizen.token")?)
        {
            if esv_shared::sync::is_device_id(&device) && !token.is_empty() {
                return Ok((device, token));
            }
        }
        let device = format!("dev-{}", hex(&random::<10>()?));
        let token = URL_SAFE_NO_PAD.encode(random::<32>()?);
        self.set_meta("citizen.device", &device)?;
        self.set_meta("citizen.token", &token)?;
        Ok((device, token))
    }
}
