//! The termo de consentimento read to a person before anything about them is saved: what for,
//! who answers for the data (the controlador and its encarregado, LGPD arts. 5 and 41) and where
//! to complain (the ANPD, art. 18 §1), in the language it is read in. The consent records this
//! text as read, so what the person agreed to is kept word for word.

use crate::domain::DataProtection;
use crate::locale::Locale;

/// What the office does with the data, in pt-BR (kept as `people::CONSENT_PURPOSE`).
const PURPOSE_PT: &str = "O Escritório Social vai guardar seu nome e o que você contar hoje só \
    para te atender, te encaminhar a serviços e te procurar de novo. Ninguém fora do Escritório \
    vê esses dados. Você pode pedir para ver, corrigir ou apagar tudo quando quiser.";

const PURPOSE_ES: &str = "El Escritório Social va a guardar su nombre y lo que usted cuente hoy \
    solo para atenderle, derivarle a servicios y volver a buscarle. Nadie fuera del Escritório \
    ve estos datos. Usted puede pedir ver, corregir o borrar todo cuando quiera.";

/// The whole term for `office` (its name) in `locale`.
pub fn term(office: &str, protection: Option<&DataProtection>, locale: Locale) -> String {
    match locale {
        Locale::PtBr => {
            let who = match protection {
                Some(p) => format!(
                    "Quem responde por esses dados é {}. Para falar sobre eles, procure {}: {}.",
                    p.controller, p.dpo, p.dpo_contact
                ),
                None => format!(
                    "Quem responde por esses dados é o {office}. Peça aqui o contato do \
                     encarregado de dados, a pessoa que cuida desses pedidos."
                ),
            };
            format!(
                "{PURPOSE_PT} {who} Se algo der errado, você pode reclamar na ANPD, a \
                 Autoridade Nacional de Proteção de Dados (gov.br/anpd)."
            )
        }
        Locale::Es => {
            let who = match protection {
                Some(p) => format!(
                    "Quien responde por estos datos es {}. Para hablar de ellos, busque a {}: {}.",
                    p.controller, p.dpo, p.dpo_contact
                ),
                None => format!(
                    "Quien responde por estos datos es el {office}. Pida aquí el contacto del \
                     encargado de datos, la persona que atiende estos pedidos."
                ),
            };
            format!(
                "{PURPOSE_ES} {who} Si algo sale mal, usted puede reclamar ante la ANPD, la \
                 Autoridad Nacional de Protección de Datos de Brasil (gov.br/anpd)."
            )
        }
    }
}

/// The first part alone, in pt-BR: what consents recorded before the term named anyone hold.
pub const PURPOSE: &str = PURPOSE_PT;

#[cfg(test)]
mod tests {
    use super::*;

    fn sejus() -> DataProtection {
        DataProtection {
            controller: "a Secretaria de Justiça".into(),
            dpo: "o Encarregado de Dados".into(),
            dpo_contact: "dados@exemplo.gov.br".into(),
        }
    }

    #[test]
    fn the_term_names_who_answers_and_the_anpd_in_each_language() {
        let pt = term("Escritório Social de Vitória", Some(&sejus()), Locale::PtBr);
        assert!(pt.starts_with(PURPOSE));
        assert!(pt.contains("a Secretaria de Justiça"));
        assert!(pt.contains("dados@exemplo.gov.br"));
        assert!(pt.contains("ANPD"));
        let es = term("Escritório Social de Vitória", Some(&sejus()), Locale::Es);
        assert!(es.starts_with("El Escritório Social"));
        assert!(es.contains("dados@exemplo.gov.br"));
        assert!(es.contains("Autoridad Nacional de Protección de Datos"));
    }

    #[test]
    fn without_an_encarregado_on_record_the_term_says_where_to_ask() {
        let pt = term("Escritório Social de Vitória", None, Locale::PtBr);
        assert!(pt.contains("é o Escritório Social de Vitória"));
        assert!(pt.contains("Peça aqui o contato do encarregado"));
        let es = term("Escritório Social de Vitória", None, Locale::Es);
        assert!(es.contains("Pida aquí el contacto del encargado"));
    }

    #[test]
    fn every_sentence_is_short() {
        for locale in [Locale::PtBr, Locale::Es] {
            for text in [
                term("Escritório Social de Vitória", Some(&sejus()), locale),
                term("Escritório Social de Vitória", None, locale),
            ] {
                for sentence in text.split(". ") {
                    let words = sentence.split_whitespace().count();
                    assert!(words <= 30, "{words} words: {sentence}");
                }
            }
        }
    }
}
