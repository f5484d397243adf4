//! Before the gate: an office's prison units (`PrisonFacility`) and its list of people expected
//! to be released there (`ExpectedRelease`), typed in or read from the unit's list as CSV.
//!
//! An entry is not a person: nobody has consented yet, so it holds the least the gate needs —
//! a name, the unit, the expected date, and optionally a birth date and mother's name to tell
//! two people of the same name apart. Its id is the id the person gets if met at the gate, so
//! erasing that person erases the entry too (`sync::subject`), and an entry nobody met is
//! erased after [`KEEP_UNMET_DAYS`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::text;

/// A prison unit (unidade prisional) the office works with. Public, in the office's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrisonFacility {
    /// Short and stable, made from the name (`cdp-viana`).
    pub id: String,
    /// "Centro de Detenção Provisória de Viana".
    pub name: String,
    #[serde(default)]
    pub municipality: String,
}

/// How an entry came into the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListSource {
    /// Read from the unit's list (CSV).
    UnitList,
    /// Typed by the team.
    Typed,
}

/// A person the unit expects to release, and whether the team met them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectedRelease {
    /// The id the person gets when met at the gate (see the module's note).
    pub id: String,
    pub office_id: String,
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub mother_name: Option<String>,
    /// One of the office's [`PrisonFacility`] ids.
    pub facility_id: String,
    pub release_date: NaiveDate,
    #[serde(default, deserialize_with = "crate::lenient::option")]
    pub source: Option<ListSource>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    /// The person's record, once met (the entry's own id, or a person already known).
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub met_at: Option<DateTime<Utc>>,
}

impl ExpectedRelease {
    /// The same person on the same day at the same unit: typed twice, or a list read again.
    pub fn same_as(&self, line: &ReleaseLine) -> bool {
        self.release_date == line.release_date
            && self.facility_id == line.facility_id
            && text::tokens(&self.name) == text::tokens(&line.name)
            && (self.birth_date.is_none()
                || line.birth_date.is_none()
                || self.birth_date == line.birth_date)
    }
}

/// Days an entry nobody met is kept after its expected date (least data: the list is for the
/// gate, not a register of people in prison).
pub const KEEP_UNMET_DAYS: i64 = 30;
/// Most bytes of a list read at once.
pub const MAX_LIST_BYTES: usize = 1 << 20;
/// Most lines of a list read at once.
pub const MAX_LIST_LINES: usize = 5_000;
/// Longest name or mother's name.
pub const MAX_NAME: usize = 120;

/// One line of a list, checked: what an entry is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseLine {
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub mother_name: Option<String>,
    pub facility_id: String,
    pub release_date: NaiveDate,
}

/// A line that was not read, with why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineProblem {
    /// 1-based, as a spreadsheet numbers it (the header is line 1).
    pub line: usize,
    pub message: String,
}

/// A list as read: the good lines, and each bad one with its problem. A bad line costs only
/// itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadList {
    pub lines: Vec<ReleaseLine>,
    pub problems: Vec<LineProblem>,
}

/// Why a whole list cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("A lista tem mais de {} KiB: divida-a em partes menores.", MAX_LIST_BYTES / 1024)]
    TooBig,
    #[error("A lista tem mais de {MAX_LIST_LINES} linhas: divida-a em partes menores.")]
    TooManyLines,
    #[error(
        "A primeira linha da lista deve dar os nomes das colunas: nome, data_prevista e unidade \
         (e, se houver, data_nascimento e nome_mae). Falta: {0}."
    )]
    Header(String),
}

/// The columns a list may have, by the words a header may give them (compared as
/// `text::tokens` folds them: no accents, case or little words like "de").
const COLUMNS: [(&str, &[&str]); 5] = [
    (
        "nome",
        &["nome", "nome completo", "nome civil", "nome social"],
    ),
    (
        "data_prevista",
        &[
            "data prevista",
            "data prevista soltura",
            "data soltura",
            "soltura",
            "data",
        ],
    ),
    (
        "unidade",
        &["unidade", "unidade prisional", "estabelecimento"],
    ),
    ("data_nascimento", &["data nascimento", "nascimento"]),
    ("nome_mae", &["nome mae", "mae", "filiacao"]),
];

fn column_key(header: &str) -> Option<&'static str> {
    let words = text::tokens(&header.replace(['_', '-'], " ")).join(" ");
    COLUMNS
        .iter()
        .find(|(_, names)| names.contains(&words.as_str()))
        .map(|(key, _)| *key)
}

/// Splits one line at `sep`, honouring double quotes (`"Silva; José"`, `""` for a quote).
fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out.into_iter().map(|f| f.trim().to_owned()).collect()
}

/// A date as units write it: 03/05/2027, 2027-05-03 or 03-05-2027.
fn date(text: &str) -> Option<NaiveDate> {
    ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// The facility a line names, by id or by name (without accents or case).
pub fn find_facility<'a>(facilities: &'a [PrisonFacility], named: &str) -> Option<&'a str> {
    let words = text::tokens(named);
    facilities
        .iter()
        .find(|f| f.id == named.trim() || text::tokens(&f.name) == words)
        .map(|f| f.id.as_str())
}

/// A name as stored: trimmed, inner spaces single; refused when empty, too long or holding
/// control characters.
pub fn clean_name(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("falta o nome".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("o nome passa de {MAX_NAME} letras"));
    }
    if name.chars().any(char::is_control) {
        return Err("o nome tem caracteres que não são letras".into());
    }
    Ok(name)
}

/// Reads a unit's list: a header naming the columns, then one person per line, `;`, `,` or tab
/// between fields (a spreadsheet's "salvar como CSV").
pub fn read_list(list: &str, facilities: &[PrisonFacility]) -> Result<ReadList, ListError> {
    if list.len() > MAX_LIST_BYTES {
        return Err(ListError::TooBig);
    }
    let list = list.strip_prefix('\u{feff}').unwrap_or(list);
    let mut lines = list
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(ListError::Header("nome, data_prevista, unidade".into()));
    };
    let sep = [';', '\t', ',']
        .into_iter()
        .max_by_key(|s| header.matches(*s).count())
        .unwrap_or(';');
    let keys: Vec<Option<&str>> = fields(header, sep).iter().map(|h| column_key(h)).collect();
    let at = |key: &str| keys.iter().position(|k| *k == Some(key));
    let missing: Vec<&str> = ["nome", "data_prevista", "unidade"]
        .into_iter()
        .filter(|k| at(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ListError::Header(missing.join(", ")));
    }
    let mut read = ReadList::default();
    for (count, (index, line)) in lines.enumerate() {
        if count >= MAX_LIST_LINES {
            return Err(ListError::TooManyLines);
        }
        let values = fields(line, sep);
        let get = |key: &str| {
            at(key)
                .and_then(|i| values.get(i))
                .map_or("", String::as_str)
        };
        let line_no = index + 1;
        match read_line(get, facilities) {
            Ok(l) => read.lines.push(l),
            Err(why) => read.problems.push(LineProblem {
                line: line_no,
                message: format!("Linha {line_no}: {why}."),
            }),
        }
    }
    Ok(read)
}

fn read_line<'a>(
    get: impl Fn(&str) -> &'a str,
    facilities: &[PrisonFacility],
) -> Result<ReleaseLine, String> {
    let name = clean_name(get("nome"))?;
    let release = get("data_prevista");
    let release_date = date(release).ok_or_else(|| {
        if release.is_empty() {
            "falta a data prevista de soltura".to_owned()
        } else {
            format!("a data prevista “{release}” não é uma data (use dia/mês/ano)")
        }
    })?;
    let unit = get("unidade");
    let facility_id = find_facility(facilities, unit)
        .ok_or_else(|| {
            if unit.is_empty() {
                "falta a unidade prisional".to_owned()
            } else {
                format!("a unidade “{unit}” não está na lista de unidades do escritório")
            }
        })?
        .to_owned();
    let born = get("data_nascimento");
    let birth_date = match born {
        "" => None,
        b => Some(date(b).ok_or_else(|| {
            format!("a data de nascimento “{b}” não é uma data (use dia/mês/ano)")
        })?),
    };
    let mother_name = match get("nome_mae") {
        "" => None,
        m => Some(clean_name(m).map_err(|why| format!("nome da mãe: {why}"))?),
    };
    Ok(ReleaseLine {
        name,
        birth_date,
        mother_name,
        facility_id,
        release_date,
    })
}

/// A facility's id made from its name: `Centro de Detenção Provisória de Viana` →
/// `centro-detencao-provisoria-viana`, at most 60 letters.
pub fn facility_id(name: &str) -> String {
    let id = text::tokens(name).join("-");
    id.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<PrisonFacility> {
        vec![
            PrisonFacility {
                id: "cdp-viana".into(),
                name: "Centro de Detenção Provisória de Viana".into(),
                municipality: "Viana".into(),
            },
            PrisonFacility {
                id: "pfc".into(),
                name: "Penitenciária Feminina de Cariacica".into(),
                municipality: "Cariacica".into(),
            },
        ]
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test")
    }

    #[test]
    fn a_spreadsheet_list_is_read_and_each_bad_line_costs_only_itself() {
        let list = "\u{feff}Nome;Data prevista de soltura;Unidade prisional;Nome da mãe\n\
                    José  da Silva;10/01/2027;cdp-viana;Maria da Silva\n\
                    \n\
                    ;11/01/2027;cdp-viana;\n\
                    \"Souza; Ana\";2027-01-12;PENITENCIARIA FEMININA DE CARIACICA;\n\
                    Carlos;31/02/2027;cdp-viana;\n\
                    Pedro;12/01/2027;Casa de Custódia;\n";
        let read = read_list(list, &units()).expect("test");
        assert_eq!(read.lines.len(), 2, "{read:?}");
        assert_eq!(read.lines[0].name, "José da Silva");
        assert_eq!(read.lines[0].release_date, d(2027, 1, 10));
        assert_eq!(read.lines[0].mother_name.as_deref(), Some("Maria da Silva"));
        assert_eq!(read.lines[1].name, "Souza; Ana");
        assert_eq!(read.lines[1].facility_id, "pfc");
        let lines: Vec<usize> = read.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![4, 6, 7]);
        assert!(read.problems[0].message.contains("falta o nome"));
        assert!(read.problems[1].message.contains("31/02/2027"));
        assert!(read.problems[2].message.contains("Casa de Custódia"));
    }

    #[test]
    fn commas_and_tabs_work_too_and_a_header_must_name_the_columns() {
        let read = read_list("nome,data,unidade\nAna,03/05/2027,pfc\n", &units()).expect("test");
        assert_eq!(read.lines.len(), 1);
        let read =
            read_list("nome\tdata\tunidade\nAna\t03/05/2027\tpfc\n", &units()).expect("test");
        assert_eq!(read.lines.len(), 1);
        let err = read_list("Ana;03/05/2027;pfc\n", &units()).expect_err("test");
        assert!(
            err.to_string().contains("nome, data_prevista, unidade"),
            "{err}"
        );
    }

    #[test]
    fn a_list_too_big_is_refused_whole() {
        let mut list = String::from("nome;data;unidade\n");
        for i in 0..=MAX_LIST_LINES {
            list.push_str(&format!("P{i};03/05/2027;pfc\n"));
        }
        assert_eq!(read_list(&list, &units()), Err(ListError::TooManyLines));
        let huge = "x".repeat(MAX_LIST_BYTES + 1);
        assert_eq!(read_list(&huge, &units()), Err(ListError::TooBig));
    }

    #[test]
    fn the_same_person_is_recognised_without_accents_or_case() {
        let line = ReleaseLine {
            name: "JOSE DA SILVA".into(),
            birth_date: None,
            mother_name: None,
            facility_id: "cdp-viana".into(),
            release_date: d(2027, 1, 10),
        };
        let entry = ExpectedRelease {
            id: "p1".into(),
            office_id: "es-vitoria".into(),
            name: "José da Silva".into(),
            birth_date: Some(d(1990, 1, 1)),
            mother_name: None,
            facility_id: "cdp-viana".into(),
            release_date: d(2027, 1, 10),
            source: Some(ListSource::UnitList),
            added_by: "Ana".into(),
            added_at: DateTime::UNIX_EPOCH,
            person_id: None,
            met_at: None,
        };
        assert!(entry.same_as(&line));
        assert!(!entry.same_as(&ReleaseLine {
            release_date: d(2027, 1, 11),
            ..line.clone()
        }));
        assert!(!entry.same_as(&ReleaseLine {
            birth_date: Some(d(1991, 1, 1)),
            ..line
        }));
        // An entry is an office's private document named after its (future) person, written
        // at the schema that brought it: an older app holds it instead of calling it damaged.
        use crate::document::{self, DocumentError, Entity};
        use crate::sync::{ownership, subject, Ownership, Scope};
        let doc_id = Entity::ExpectedRelease(entry.clone()).doc_id();
        assert_eq!(doc_id, "expected-release:p1");
        assert_eq!(subject(&doc_id), Some("p1"));
        let office = Scope::Office {
            office: "es-vitoria".into(),
        };
        assert_eq!(ownership(&doc_id, &office), Ownership::Fits);
        let catalog = Scope::Catalog {
            office: "es-vitoria".into(),
        };
        assert_eq!(ownership(&doc_id, &catalog), Ownership::Wrong);
        let stamp = document::Stamp {
            message: "lista".into(),
            time: 0,
        };
        let doc = document::create(
            &Entity::ExpectedRelease(entry.clone()),
            automerge::ActorId::random(),
            &stamp,
        )
        .expect("document");
        assert!(matches!(
            document::read_up_to(&doc, 1),
            Err(DocumentError::NewerSchema(2))
        ));
        assert_eq!(
            document::read(&doc).expect("read"),
            Entity::ExpectedRelease(entry.clone())
        );
        assert_eq!(
            facility_id("Centro de Detenção Provisória de Viana"),
            "centro-detencao-provisoria-viana"
        );
    }
}
