//! Screens as URL hashes (`#/servico/<id>`), so the back button of a phone or a browser works
//! and a screen can be linked; and which of the two pages serves each (`index.html`, the
//! citizen's, or `team.html`, the team's and office's): a hash of the other page is a plain
//! page load of it with the same hash.

use esv_shared::domain::Category;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Search(String),
    Category(Category),
    Service(String),
    Rights,
    Article(String),
    /// "Preciso de…", by the need's slug.
    Need(String),
    /// Favourites and recently viewed.
    Saved,
    Opportunities,
    /// "Pedir ajuda": the request form, from a service or office page or from the home screen.
    Ask(Option<String>),
    /// "Meus pedidos".
    Requests,
    /// One request, by id.
    Request(String),
    /// The team's entry: sign-in, PIN, then outreaches and "Buscar pessoa".
    Team,
    /// The encounter form, in an outreach and/or for a known person.
    Encounter {
        outreach: Option<String>,
        person: Option<String>,
    },
    /// An encounter at the gate, started from an entry of the list of expected releases.
    Gate(String),
    /// A person's record, by id.
    Person(String),
    /// A referral's slip (guia de encaminhamento), by referral id.
    Slip(String),
    /// The office console's entry (staff): requests, catalog, reports, access log, accounts.
    Office,
    /// The office's requests queue (staff).
    Queue,
    /// One request as the office answers it.
    QueueRequest(String),
    /// The catalog editor's entry: what needs review, and a place to edit by name.
    Catalog,
    /// A place's weekly hours and closures, by id.
    Hours(String),
    /// The monthly report; `None`: the last whole month.
    Reports(Option<String>),
    /// Who saw which person's data (Coordinator): the first page, or the one after a cursor.
    Audit(Option<String>),
    /// The office's accounts and devices (Coordinator).
    Accounts,
    /// The office's prison units and its list of people expected to be released (staff).
    Releases,
}

/// One of the two pages, each with its own wasm module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `index.html`, loaded first: everything a citizen sees.
    Citizen,
    /// `team.html`: busca ativa and the office console, behind the PIN.
    Team,
}

impl Page {
    /// The page's file, beside the other in `ui/dist`.
    pub fn file(self) -> &'static str {
        match self {
            Page::Citizen => "index.html",
            Page::Team => "team.html",
        }
    }
}

impl Route {
    /// The page whose module shows this screen: `#/equipe…` and `#/escritorio…` are the
    /// team's, everything else the citizen's.
    pub fn page(&self) -> Page {
        match self {
            Route::Team
            | Route::Encounter { .. }
            | Route::Gate(_)
            | Route::Person(_)
            | Route::Slip(_)
            | Route::Office
            | Route::Queue
            | Route::QueueRequest(_)
            | Route::Catalog
            | Route::Hours(_)
            | Route::Reports(_)
            | Route::Audit(_)
            | Route::Accounts
            | Route::Releases => Page::Team,
            Route::Home
            | Route::Search(_)
            | Route::Category(_)
            | Route::Service(_)
            | Route::Rights
            | Route::Article(_)
            | Route::Need(_)
            | Route::Saved
            | Route::Opportunities
            | Route::Ask(_)
            | Route::Requests
            | Route::Request(_) => Page::Citizen,
        }
    }

    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("busca", _) => Route::Search(query_param(query, "q")),
            ("categoria", Some(slug)) => {
                Category::from_slug(slug).map_or(Route::Home, Route::Category)
            }
            ("servico", Some(id)) if !id.is_empty() => Route::Service(decode(id)),
            ("direitos", Some(id)) if !id.is_empty() => Route::Article(decode(id)),
            ("direitos", _) => Route::Rights,
            ("preciso", Some(slug)) if !slug.is_empty() => Route::Need(decode(slug)),
            ("salvos", _) => Route::Saved,
            ("oportunidades", _) => Route::Opportunities,
            ("pedir", Some(id)) if !id.is_empty() => Route::Ask(Some(decode(id))),
            ("pedir", _) => Route::Ask(None),
            ("pedidos", Some(id)) if !id.is_empty() => Route::Request(decode(id)),
            ("pedidos", _) => Route::Requests,
            ("escritorio", Some(rest)) => office_route(rest, query),
            ("escritorio", None) => Route::Office,
            ("equipe", Some(rest)) => team_route(rest, query),
            ("equipe", None) => Route::Team,
            _ => Route::Home,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::Search(q) => format!("#/busca?q={}", encode(q)),
            Route::Category(c) => format!("#/categoria/{}", c.slug()),
            Route::Service(id) => format!("#/servico/{}", encode(id)),
            Route::Rights => "#/direitos".to_owned(),
            Route::Article(id) => format!("#/direitos/{}", encode(id)),
            Route::Need(slug) => format!("#/preciso/{}", encode(slug)),
            Route::Saved => "#/salvos".to_owned(),
            Route::Opportunities => "#/oportunidades".to_owned(),
            Route::Ask(None) => "#/pedir".to_owned(),
            Route::Ask(Some(id)) => format!("#/pedir/{}", encode(id)),
            Route::Requests => "#/pedidos".to_owned(),
            Route::Request(id) => format!("#/pedidos/{}", encode(id)),
            Route::Team => "#/equipe".to_owned(),
            Route::Encounter { outreach, person } => {
                let mut query = Vec::new();
                if let Some(o) = outreach {
                    query.push(format!("busca={}", encode(o)));
                }
                if let Some(p) = person {
                    query.push(format!("pessoa={}", encode(p)));
                }
                if query.is_empty() {
                    "#/equipe/atendimento".to_owned()
                } else {
                    format!("#/equipe/atendimento?{}", query.join("&"))
                }
            }
            Route::Gate(id) => format!("#/equipe/porta/{}", encode(id)),
            Route::Person(id) => format!("#/equipe/pessoa/{}", encode(id)),
            Route::Slip(id) => format!("#/equipe/guia/{}", encode(id)),
            Route::Office => "#/escritorio".to_owned(),
            Route::Queue => "#/escritorio/pedidos".to_owned(),
            Route::QueueRequest(id) => format!("#/escritorio/pedidos/{}", encode(id)),
            Route::Catalog => "#/escritorio/catalogo".to_owned(),
            Route::Hours(id) => format!("#/escritorio/horario/{}", encode(id)),
            Route::Reports(None) => "#/escritorio/relatorios".to_owned(),
            Route::Reports(Some(p)) => format!("#/escritorio/relatorios?mes={}", encode(p)),
            Route::Audit(None) => "#/escritorio/acessos".to_owned(),
            Route::Audit(Some(before)) => format!("#/escritorio/acessos?antes={}", encode(before)),
            Route::Accounts => "#/escritorio/contas".to_owned(),
            Route::Releases => "#/escritorio/soltura".to_owned(),
        }
    }
}

fn team_route(rest: &str, query: &str) -> Route {
    let optional = |name| Some(query_param(query, name)).filter(|v| !v.is_empty());
    match rest.split_once('/') {
        Some(("pessoa", id)) if !id.is_empty() => Route::Person(decode(id)),
        Some(("porta", id)) if !id.is_empty() => Route::Gate(decode(id)),
        Some(("guia", id)) if !id.is_empty() => Route::Slip(decode(id)),
        _ if rest == "atendimento" => Route::Encounter {
            outreach: optional("busca"),
            person: optional("pessoa"),
        },
        _ => Route::Team,
    }
}

fn office_route(rest: &str, query: &str) -> Route {
    match rest.split_once('/') {
        Some(("pedidos", id)) if !id.is_empty() => Route::QueueRequest(decode(id)),
        Some(("horario", id)) if !id.is_empty() => Route::Hours(decode(id)),
        _ => match rest {
            "pedidos" => Route::Queue,
            "catalogo" => Route::Catalog,
            "relatorios" => {
                Route::Reports(Some(query_param(query, "mes")).filter(|m| !m.is_empty()))
            }
            "acessos" => Route::Audit(Some(query_param(query, "antes")).filter(|b| !b.is_empty())),
            "contas" => Route::Accounts,
            "soltura" => Route::Releases,
            _ => Route::Office,
        },
    }
}

fn query_param(query: &str, name: &str) -> String {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(v))
        .unwrap_or_default()
}

/// Percent-encodes everything but unreserved ASCII.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        let routes = [
            Route::Home,
            Route::Search("carteira de identidade".into()),
            Route::Search("ação & reação?".into()),
            Route::Category(Category::WorkIncome),
            Route::Service("es-vitoria-escuta".into()),
            Route::Rights,
            Route::Article("direitos-cpf".into()),
            Route::Need("comida-hoje".into()),
            Route::Saved,
            Route::Opportunities,
            Route::Ask(None),
            Route::Ask(Some("es-vitoria-documentos".into())),
            Route::Requests,
            Route::Request("d-4f2a/r-9c1b".into()),
            Route::Team,
            Route::Encounter {
                outreach: None,
                person: None,
            },
            Route::Encounter {
                outreach: Some("o-1".into()),
                person: Some("p-9/x".into()),
            },
            Route::Gate("p-7".into()),
            Route::Person("p-9".into()),
            Route::Slip("p-9/r-2".into()),
            Route::Queue,
            Route::QueueRequest("dev-1/r-2".into()),
            Route::Office,
            Route::Catalog,
            Route::Hours("es-vitoria-documentos".into()),
            Route::Reports(None),
            Route::Reports(Some("2026-11".into())),
            Route::Audit(None),
            Route::Audit(Some("[\"2026-12-01T13:00:00Z\",\"dev-1\",\"e 1\"]".into())),
            Route::Accounts,
            Route::Releases,
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/categoria/jardinagem"), Route::Home);
        assert_eq!(Route::parse("#/qualquer"), Route::Home);
    }

    #[test]
    fn team_and_office_hashes_belong_to_the_team_page() {
        let check = |hash: &str, page: Page| assert_eq!(Route::parse(hash).page(), page, "{hash}");
        check("", Page::Citizen);
        check("#/", Page::Citizen);
        check("#/busca?q=rg", Page::Citizen);
        check("#/pedidos/d-1/r-2", Page::Citizen);
        check("#/equipe", Page::Team);
        check("#/equipe/atendimento?busca=o-1", Page::Team);
        check("#/equipe/pessoa/p-9", Page::Team);
        check("#/escritorio", Page::Team);
        check("#/escritorio/relatorios?mes=2026-10", Page::Team);
        check("#/escritorio/contas", Page::Team);
    }
}
