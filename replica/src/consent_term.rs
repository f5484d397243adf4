//! The consent term the team reads to a person: the office's own (who answers for the data, from
//! the office's document), in the team's language. The consent records this very text.

use chrono::{DateTime, Utc};
use esv_shared::consent;
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::DataProtection;
use esv_shared::ipc::team::ConsentTermView;
use esv_shared::locale::Locale;

use crate::error::{ReplicaError, Result};
use crate::index::Provider;
use crate::store::Store;

impl Store {
    /// The term for `office` in this store's language.
    pub(crate) fn consent_text(&mut self, office: &str) -> String {
        self.consent_text_in(office, self.locale)
    }

    fn consent_text_in(&mut self, office: &str, locale: Locale) -> String {
        match self.index().ok().and_then(|i| i.providers.get(office)) {
            Some(Provider::Office(o)) => consent::term(&o.name, o.data_protection.as_ref(), locale),
            _ => consent::term("Escritório Social", None, locale),
        }
    }

    /// The term for the office of the one signed in, in `locale`, as the encounter form
    /// shows it.
    pub fn consent_term(&mut self, locale: Locale) -> Result<ConsentTermView> {
        let who = self.recorder()?;
        Ok(ConsentTermView {
            text: self.consent_text_in(&who.office, locale),
            language: locale,
        })
    }

    /// Sets (or, with `None`, clears) who answers for the office's data: a change to the
    /// office's document, pushed at the next sync like any catalog edit.
    pub fn set_data_protection(
        &mut self,
        office: &str,
        protection: Option<DataProtection>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        if let Some(problem) = protection
            .as_ref()
            .and_then(|p| p.problems().first().copied())
        {
            return Err(ReplicaError::BadInput(problem.to_owned()));
        }
        let protection = protection.map(|p| DataProtection {
            controller: p.controller.trim().to_owned(),
            dpo: p.dpo.trim().to_owned(),
            dpo_contact: p.dpo_contact.trim().to_owned(),
        });
        for entity in self.entities(DocKind::Office)? {
            if let Entity::Office(mut o) = entity {
                if o.id == office {
                    o.data_protection = protection;
                    return self.edit(&Entity::Office(o), now);
                }
            }
        }
        Err(ReplicaError::NotFound(format!(
            "nenhum escritório com o código {office:?}"
        )))
    }
}
