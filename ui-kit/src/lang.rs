//! The two names of a language: the app's (`esv_shared::ipc::Locale`, what the store and the
//! shell speak) and the translations' (`crate::i18n::Locale`), and the way between them.

use esv_shared::ipc;

use crate::i18n::Locale;

pub fn to_ipc(locale: Locale) -> ipc::Locale {
    match locale {
        Locale::pt_BR => ipc::Locale::PtBr,
        Locale::es => ipc::Locale::Es,
    }
}

pub fn from_ipc(locale: ipc::Locale) -> Locale {
    match locale {
        ipc::Locale::PtBr => Locale::pt_BR,
        ipc::Locale::Es => Locale::es,
    }
}
