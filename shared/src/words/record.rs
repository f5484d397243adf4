//! The words of a person's copy of their own record (LGPD art. 18) and of a withdrawn consent,
//! in the language of the team's screen, which is the one the person reads.

use chrono::NaiveDate;

use crate::locale::Locale;

fn d(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// One word or phrase of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Title,
    PersonalData,
    SocialName,
    CivilName,
    BirthDate,
    MotherName,
    Contact,
    Stage,
    Race,
    GenderIdentity,
    MissingDocuments,
    Consents,
    Encounters,
    Needs,
    FollowUp,
    Notes,
    Referrals,
    Service,
    Status,
    Outcome,
    Plan,
    Nothing,
    Withdrawn,
    YourRights,
}

/// `word` in `locale`.
pub fn word(locale: Locale, word: Word) -> &'static str {
    use Word::*;
    match (locale, word) {
        (Locale::PtBr, Title) => "Cópia dos seus dados",
        (Locale::PtBr, PersonalData) => "Seus dados",
        (Locale::PtBr, SocialName) => "Nome social",
        (Locale::PtBr, CivilName) => "Nome civil",
        (Locale::PtBr, BirthDate) => "Data de nascimento",
        (Locale::PtBr, MotherName) => "Nome da mãe",
        (Locale::PtBr, Contact) => "Contato",
        (Locale::PtBr, Stage) => "Situação",
        (Locale::PtBr, Race) => "Raça/cor",
        (Locale::PtBr, GenderIdentity) => "Identidade de gênero",
        (Locale::PtBr, MissingDocuments) => "Documentos que faltam",
        (Locale::PtBr, Consents) => "Consentimentos",
        (Locale::PtBr, Encounters) => "Atendimentos",
        (Locale::PtBr, Needs) => "Necessidades",
        (Locale::PtBr, FollowUp) => "Retorno",
        (Locale::PtBr, Notes) => "Anotações",
        (Locale::PtBr, Referrals) => "Encaminhamentos",
        (Locale::PtBr, Service) => "Serviço",
        (Locale::PtBr, Status) => "Situação",
        (Locale::PtBr, Outcome) => "Resposta",
        (Locale::PtBr, Plan) => "Plano de atendimento",
        (Locale::PtBr, Nothing) => "(não informado)",
        (Locale::PtBr, Withdrawn) => "retirado",
        (Locale::PtBr, YourRights) => {
            "Você pode pedir para corrigir qualquer dado, retirar seu \
            consentimento ou apagar tudo. Peça no Escritório Social. Para ajuda jurídica, \
            procure a Defensoria Pública."
        }
        (Locale::Es, Title) => "Copia de sus datos",
        (Locale::Es, PersonalData) => "Sus datos",
        (Locale::Es, SocialName) => "Nombre social",
        (Locale::Es, CivilName) => "Nombre civil",
        (Locale::Es, BirthDate) => "Fecha de nacimiento",
        (Locale::Es, MotherName) => "Nombre de la madre",
        (Locale::Es, Contact) => "Contacto",
        (Locale::Es, Stage) => "Situación",
        (Locale::Es, Race) => "Raza/color",
        (Locale::Es, GenderIdentity) => "Identidad de género",
        (Locale::Es, MissingDocuments) => "Documentos que faltan",
        (Locale::Es, Consents) => "Consentimientos",
        (Locale::Es, Encounters) => "Atenciones",
        (Locale::Es, Needs) => "Necesidades",
        (Locale::Es, FollowUp) => "Regreso",
        (Locale::Es, Notes) => "Notas",
        (Locale::Es, Referrals) => "Derivaciones",
        (Locale::Es, Service) => "Servicio",
        (Locale::Es, Status) => "Situación",
        (Locale::Es, Outcome) => "Respuesta",
        (Locale::Es, Plan) => "Plan de atención",
        (Locale::Es, Nothing) => "(no informado)",
        (Locale::Es, Withdrawn) => "retirado",
        (Locale::Es, YourRights) => {
            "Usted puede pedir corregir cualquier dato, retirar su \
            consentimiento o borrar todo. Pídalo en el Escritório Social. Para ayuda jurídica, \
            busque la Defensoria Pública (defensa pública gratuita)."
        }
    }
}

/// "Feita em 07/12/2026 por Ana, do Escritório Social de Vitória."
pub fn made(locale: Locale, on: NaiveDate, by: &str, office: &str) -> String {
    match locale {
        Locale::PtBr => format!("Feita em {} por {by}, do {office}.", d(on)),
        Locale::Es => format!("Hecha el {} por {by}, del {office}.", d(on)),
    }
}

/// What a record whose consent was withdrawn says: "Consentimento retirado em 07/12/2026: nada
/// novo é guardado; o que já foi registrado fica."
pub fn consent_withdrawn(locale: Locale, on: NaiveDate) -> String {
    match locale {
        Locale::PtBr => format!(
            "Consentimento retirado em {}: nada novo é guardado, e o que já foi registrado fica.",
            d(on)
        ),
        Locale::Es => format!(
            "Consentimiento retirado el {}: no se guarda nada nuevo, y lo ya registrado queda.",
            d(on)
        ),
    }
}

/// A date as the copy writes it.
pub fn date(date: NaiveDate) -> String {
    d(date)
}
