//! `esv pin set`, `esv pin change` and `esv wipe`: protect this device's store with a PIN,
//! change it, or erase the store; and opening a store with the PIN from `--pin` or `$ESV_PIN`.

use std::path::Path;

use esv_replica::{OpenNotice, Pin, ReplicaError, Store};

/// The PIN given with `--pin`, else `$ESV_PIN`.
pub fn given_pin(flag: Option<&str>) -> Result<Option<Pin>, String> {
    let text = match flag {
        Some(t) => Some(t.to_owned()),
        None => std::env::var("ESV_PIN").ok().filter(|t| !t.is_empty()),
    };
    text.map(|t| Pin::new(&t).map_err(|e| e.to_string()))
        .transpose()
}

/// Opens the store, with the PIN if one was given.
pub fn open(path: &Path, pin: Option<&Pin>) -> Result<(Store, Option<OpenNotice>), String> {
    let opened = match pin {
        Some(pin) => Store::open_with_pin(path, pin, crate::now()),
        None => Store::open(path),
    };
    opened.map_err(|e| match e {
        ReplicaError::Locked => format!("{e} (use --pin ou a variável ESV_PIN)"),
        e => e.to_string(),
    })
}

pub fn set(path: &Path, pin: Option<&Pin>) -> Result<String, String> {
    let pin = pin.ok_or("diga o PIN novo com --pin ou a variável ESV_PIN (6 números ou mais, ou uma frase secreta de 12 caracteres ou mais)")?;
    Store::encrypt_with_pin(path, pin).map_err(|e| e.to_string())?;
    Ok(format!(
        "Dados protegidos por PIN em {}. Sem o PIN eles não podem ser lidos; guarde-o bem.\n",
        path.display()
    ))
}

pub fn change(path: &Path, old: Option<&Pin>, new: &str) -> Result<String, String> {
    let old = old.ok_or("diga o PIN atual com --pin ou a variável ESV_PIN")?;
    let new = Pin::new(new).map_err(|e| e.to_string())?;
    Store::change_pin(path, old, &new, crate::now()).map_err(|e| e.to_string())?;
    Ok("PIN trocado.\n".to_owned())
}

pub fn wipe(path: &Path, yes: bool) -> Result<String, String> {
    if !yes {
        return Err("isto apaga todos os dados deste aparelho; confirme com --yes".to_owned());
    }
    Store::wipe(path).map_err(|e| e.to_string())?;
    Ok(format!("Dados apagados de {}.\n", path.display()))
}
