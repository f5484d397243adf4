//! Checks HSDS rows and maps them onto the domain: organizations with their services, each
//! service with its location, phones, required documents and schedule. A bad row is
//! rejected with its place and a plain pt-BR message; rows that hang on a rejected row
//! (the services of a rejected organization, the phones of a rejected service) are
//! rejected too, saying so. What is left is a set of patches the plan applies to the store.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Months, NaiveDate, NaiveTime, Weekday};
use esv_shared::domain::{
    weekday_pt, Category, Location, Phone, Schedule, ScheduleException, TimeRange, Uf,
    WeeklyInterval,
};
use esv_shared::hours::interval;

use super::{Place, Rejected, Row, Tables};

/// How long hours stay "confirmed" when a schedule row does not say.
pub(crate) const REVIEW_MONTHS: u32 = 6;

pub(crate) struct Context<'a> {
    /// The office's time zone: the zone of a location that does not name one.
    pub tz: &'a str,
    pub today: NaiveDate,
}

#[derive(Debug, Clone)]
pub(crate) struct OrgPatch {
    pub at: Place,
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
    pub services: Vec<ServicePatch>,
}

/// What the bundle says about one service; `None` fields keep what the store has.
#[derive(Debug, Clone)]
pub(crate) struct ServicePatch {
    pub at: Place,
    pub id: String,
    /// `status = inactive` or `defunct`: the service leaves the catalog.
    pub remove: bool,
    pub name: String,
    pub description: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub audience: Option<String>,
    pub reviewed_on: Option<NaiveDate>,
    pub categories: Vec<Category>,
    pub keywords: Option<Vec<String>>,
    pub required_documents: Option<Vec<String>>,
    pub location: Option<Location>,
    pub phones: Option<Vec<Phone>>,
    pub schedule: Option<Schedule>,
}

#[derive(Debug, Default)]
pub(crate) struct Mapped {
    pub orgs: Vec<OrgPatch>,
    pub rejected: Vec<Rejected>,
    pub notes: Vec<String>,
}

type Checked<T> = Result<T, String>;

pub(crate) fn map(tables: &Tables, ctx: &Context<'_>) -> Mapped {
    let mut m = Mapped::default();
    note_unknown_columns(tables, &mut m.notes);
    let mut rejected: Vec<(Place, String)> = Vec::new();

    // Organizations.
    let mut orgs: BTreeMap<String, OrgPatch> = BTreeMap::new();
    let mut org_order: Vec<String> = Vec::new();
    let mut bad_orgs: HashMap<String, Place> = HashMap::new();
    let mut seen: HashMap<String, Place> = HashMap::new();
    for row in &tables.organizations {
        match org(row, &mut seen) {
            Ok(o) => {
                org_order.push(o.id.clone());
                orgs.insert(o.id.clone(), o);
            }
            Err(msg) => {
                if let Some(id) = row.get("id") {
                    bad_orgs.entry(id.to_owned()).or_insert(row.at.clone());
                }
                rejected.push(reject(&row.at, msg));
            }
        }
    }

    // Locations, with their addresses.
    let mut addresses: HashMap<&str, &Row> = HashMap::new();
    for row in &tables.addresses {
        let physical = row
            .get("address_type")
            .is_none_or(|t| t.eq_ignore_ascii_case("physical"));
        match row.get("location_id") {
            Some(id) if physical => {
                addresses.entry(id).or_insert(row);
            }
            Some(_) => {}
            None => rejected.push(reject(&row.at, "falta location_id".into())),
        }
    }
    let mut locations: HashMap<String, Location> = HashMap::new();
    let mut bad_locations: HashMap<String, Place> = HashMap::new();
    let mut seen: HashMap<String, Place> = HashMap::new();
    for row in &tables.locations {
        let address = row.get("id").and_then(|id| addresses.get(id).copied());
        match location(row, address, ctx, &mut seen) {
            Ok((id, loc)) => {
                locations.insert(id, loc);
            }
            Err(msg) => {
                if let Some(id) = row.get("id") {
                    bad_locations.entry(id.to_owned()).or_insert(row.at.clone());
                }
                rejected.push(reject(&row.at, msg));
            }
        }
    }
    for row in &tables.addresses {
        if let Some(id) = row.get("location_id") {
            if !locations.contains_key(id) && !bad_locations.contains_key(id) {
                rejected.push(reject(
                    &row.at,
                    format!("location_id {id:?} não está entre os locais do pacote"),
                ));
            }
        }
    }

    // Services.
    let mut services: BTreeMap<String, ServicePatch> = BTreeMap::new();
    let mut service_org: HashMap<String, String> = HashMap::new();
    let mut bad_services: HashMap<String, Place> = HashMap::new();
    let mut seen: HashMap<String, Place> = HashMap::new();
    for row in &tables.services {
        let result = service(row, &mut seen).and_then(|s| {
            let org_id = row.get("organization_id").ok_or_else(|| {
                "falta organization_id (a organização que oferece o serviço)".to_owned()
            })?;
            if let Some(place) = bad_orgs.get(org_id) {
                return Err(format!("a organização {org_id:?} foi recusada ({place})"));
            }
            if !orgs.contains_key(org_id) {
                return Err(format!(
                    "organization_id {org_id:?} não está entre as organizações do pacote"
                ));
            }
            Ok((s, org_id.to_owned()))
        });
        match result {
            Ok((s, org_id)) => {
                service_org.insert(s.id.clone(), org_id);
                services.insert(s.id.clone(), s);
            }
            Err(msg) => {
                if let Some(id) = row.get("id") {
                    bad_services.entry(id.to_owned()).or_insert(row.at.clone());
                }
                rejected.push(reject(&row.at, msg));
            }
        }
    }
    // A row that names a service: the service, or why it cannot be used.
    let target = |row: &Row| -> Checked<String> {
        let id = row.get("service_id").ok_or("falta service_id")?;
        if let Some(place) = bad_services.get(id) {
            return Err(format!("o serviço {id:?} foi recusado ({place})"));
        }
        if !services.contains_key(id) {
            return Err(format!(
                "service_id {id:?} não está entre os serviços do pacote"
            ));
        }
        Ok(id.to_owned())
    };

    // Where each service is.
    let mut at_location: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut located: BTreeMap<String, Location> = BTreeMap::new();
    for row in &tables.service_at_location {
        let result = target(row).and_then(|service_id| {
            let loc_id = row.get("location_id").ok_or("falta location_id")?;
            if let Some(place) = bad_locations.get(loc_id) {
                return Err(format!("o local {loc_id:?} foi recusado ({place})"));
            }
            let loc = locations.get(loc_id).ok_or_else(|| {
                format!("location_id {loc_id:?} não está entre os locais do pacote")
            })?;
            Ok((service_id, loc_id.to_owned(), loc.clone()))
        });
        match result {
            Ok((service_id, loc_id, loc)) => {
                at_location
                    .entry(loc_id)
                    .or_default()
                    .push(service_id.clone());
                match located.entry(service_id) {
                    std::collections::btree_map::Entry::Occupied(e) => m.notes.push(format!(
                        "{}: o serviço {:?} já tem um local; só o primeiro foi importado",
                        row.at,
                        e.key()
                    )),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(loc);
                    }
                }
            }
            Err(msg) => rejected.push(reject(&row.at, msg)),
        }
    }

    // Phones and required documents.
    let mut phones: BTreeMap<String, Vec<Phone>> = BTreeMap::new();
    let mut ignored_phones = 0;
    for row in &tables.phones {
        if row.get("service_id").is_none() {
            ignored_phones += 1;
            continue;
        }
        match target(row).and_then(|id| Ok((id, phone(row)?))) {
            Ok((id, p)) => phones.entry(id).or_default().push(p),
            Err(msg) => rejected.push(reject(&row.at, msg)),
        }
    }
    if ignored_phones > 0 {
        m.notes.push(format!(
            "{ignored_phones} telefone(s) sem service_id (de organizações ou locais) foram ignorados"
        ));
    }
    let mut documents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &tables.required_documents {
        let result = target(row).and_then(|id| {
            let doc = row.get("document").ok_or("falta o documento (document)")?;
            Ok((id, doc.to_owned()))
        });
        match result {
            Ok((id, doc)) => documents.entry(id).or_default().push(doc),
            Err(msg) => rejected.push(reject(&row.at, msg)),
        }
    }

    // Schedules: rows of a service, or of a location for the services there.
    let mut schedule_rows: BTreeMap<String, Vec<ScheduleRow>> = BTreeMap::new();
    let mut by_location: BTreeMap<String, Vec<ScheduleRow>> = BTreeMap::new();
    let mut broken: BTreeSet<String> = BTreeSet::new();
    for row in &tables.schedules {
        let parsed = schedule_row(row, ctx.today);
        if row.get("service_id").is_some() {
            match target(row) {
                Ok(id) => match parsed {
                    Ok(r) => schedule_rows.entry(id).or_default().push(r),
                    Err(msg) => {
                        broken.insert(id);
                        rejected.push(reject(&row.at, msg));
                    }
                },
                Err(msg) => rejected.push(reject(&row.at, msg)),
            }
        } else if let Some(loc_id) = row.get("location_id") {
            if let Some(place) = bad_locations.get(loc_id) {
                rejected.push(reject(
                    &row.at,
                    format!("o local {loc_id:?} foi recusado ({place})"),
                ));
            } else if !locations.contains_key(loc_id) {
                rejected.push(reject(
                    &row.at,
                    format!("location_id {loc_id:?} não está entre os locais do pacote"),
                ));
            } else {
                match parsed {
                    Ok(r) => by_location.entry(loc_id.to_owned()).or_default().push(r),
                    Err(msg) => {
                        broken.extend(at_location.get(loc_id).into_iter().flatten().cloned());
                        rejected.push(reject(&row.at, msg));
                    }
                }
            }
        } else {
            rejected.push(reject(
                &row.at,
                "diga a que serviço (service_id) ou local (location_id) o horário pertence".into(),
            ));
        }
    }
    for (loc_id, rows) in by_location {
        for service_id in at_location.get(&loc_id).into_iter().flatten() {
            if !schedule_rows.contains_key(service_id) {
                schedule_rows.insert(service_id.clone(), rows.clone());
            }
        }
    }

    // Put it together.
    for (id, mut s) in services {
        s.location = located.remove(&id);
        s.phones = phones.remove(&id);
        s.required_documents = documents.remove(&id);
        if broken.contains(&id) {
            m.notes.push(format!(
                "o horário do serviço {id:?} não foi alterado: há linhas de horário recusadas"
            ));
        } else if let Some(rows) = schedule_rows.remove(&id) {
            let reviewed_on = s.reviewed_on.unwrap_or(ctx.today);
            s.schedule = Some(build_schedule(rows, reviewed_on));
        }
        if let Some(org) = service_org.get(&id).and_then(|o| orgs.get_mut(o)) {
            org.services.push(s);
        }
    }
    for id in org_order {
        if let Some(o) = orgs.remove(&id) {
            m.orgs.push(o);
        }
    }
    rejected.sort();
    m.rejected = rejected
        .into_iter()
        .map(|(at, message)| Rejected { at, message })
        .collect();
    m
}

fn reject(at: &Place, message: String) -> (Place, String) {
    (at.clone(), message)
}

fn id(row: &Row, column: &str, seen: &mut HashMap<String, Place>) -> Checked<String> {
    let id = row
        .get(column)
        .ok_or_else(|| format!("falta o código ({column})"))?;
    let well_formed = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(format!(
            "o código {id:?} deve usar só letras minúsculas, números e '-'"
        ));
    }
    if let Some(first) = seen.get(id) {
        return Err(format!("o código {id:?} já apareceu em {first}"));
    }
    seen.insert(id.to_owned(), row.at.clone());
    Ok(id.to_owned())
}

fn name(row: &Row) -> Checked<String> {
    row.get("name")
        .map(str::to_owned)
        .ok_or_else(|| "falta o nome (name)".to_owned())
}

fn email(row: &Row) -> Checked<Option<String>> {
    match row.get("email") {
        None => Ok(None),
        Some(e)
            if e.contains('@') && !e.contains(' ') && !e.starts_with('@') && !e.ends_with('@') =>
        {
            Ok(Some(e.to_owned()))
        }
        Some(e) => Err(format!("o e-mail {e:?} não parece um e-mail")),
    }
}

fn url(row: &Row) -> Checked<Option<String>> {
    match row.get("url") {
        None => Ok(None),
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Ok(Some(u.to_owned())),
        Some(u) => Err(format!("o endereço {u:?} (url) deve começar com https://")),
    }
}

fn date(row: &Row, column: &str) -> Checked<Option<NaiveDate>> {
    let Some(text) = row.get(column) else {
        return Ok(None);
    };
    // A full date-time ("2026-11-24T10:00:00Z") counts by its day.
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("a data {text:?} ({column}) não é uma data; use AAAA-MM-DD"))
}

fn list(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.split([';', '|'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn org(row: &Row, seen: &mut HashMap<String, Place>) -> Checked<OrgPatch> {
    Ok(OrgPatch {
        id: id(row, "id", seen)?,
        name: name(row)?,
        description: row.get("description").map(str::to_owned),
        website: url(row)?,
        email: email(row)?,
        reviewed_on: date(row, "assured_date")?,
        services: Vec::new(),
        at: row.at.clone(),
    })
}

fn service(row: &Row, seen: &mut HashMap<String, Place>) -> Checked<ServicePatch> {
    let id = id(row, "id", seen)?;
    let remove = match row.get("status").map(str::to_ascii_lowercase).as_deref() {
        None | Some("active") | Some("temporarily closed") => false,
        Some("inactive") | Some("defunct") => true,
        Some(other) => {
            return Err(format!(
                "situação (status) {other:?} desconhecida; use active, inactive ou defunct"
            ))
        }
    };
    let categories = list(row.get("categories"))
        .iter()
        .map(|c| category(c))
        .collect::<Checked<Vec<_>>>()?;
    Ok(ServicePatch {
        at: row.at.clone(),
        id,
        remove,
        name: if remove {
            row.get("name").unwrap_or_default().to_owned()
        } else {
            name(row)?
        },
        description: row.get("description").map(str::to_owned),
        email: email(row)?,
        website: url(row)?,
        audience: row.get("eligibility_description").map(str::to_owned),
        reviewed_on: date(row, "assured_date")?,
        categories,
        keywords: row.get("alternate_name").map(|k| list(Some(k))),
        required_documents: None,
        location: None,
        phones: None,
        schedule: None,
    })
}

fn category(text: &str) -> Checked<Category> {
    let folded = esv_shared::text::fold(text);
    Category::from_slug(text.trim())
        .or_else(|| {
            Category::ALL
                .into_iter()
                .find(|c| esv_shared::text::fold(c.label()) == folded)
        })
        .ok_or_else(|| {
            let known: Vec<&str> = Category::ALL.iter().map(|c| c.slug()).collect();
            format!(
                "categoria desconhecida {text:?} (use: {})",
                known.join(", ")
            )
        })
}

fn location(
    row: &Row,
    address: Option<&Row>,
    ctx: &Context<'_>,
    seen: &mut HashMap<String, Place>,
) -> Checked<(String, Location)> {
    let id = id(row, "id", seen)?;
    let field = |column: &str| {
        row.get(column)
            .or_else(|| address.and_then(|a| a.get(column)))
    };
    let street = field("address_1").ok_or("falta o endereço (address_1)")?;
    let address_text = match field("address_2") {
        Some(more) => format!("{street}, {more}"),
        None => street.to_owned(),
    };
    let municipality = field("city").ok_or("falta a cidade (city)")?;
    let uf_text = field("state_province").ok_or("falta o estado (state_province)")?;
    let uf = Uf::from_code(uf_text)
        .ok_or_else(|| format!("o estado {uf_text:?} não é uma UF (use a sigla: ES, SP, RR…)"))?;
    let tz = row.get("timezone").unwrap_or(ctx.tz);
    if esv_shared::hours::parse_tz(tz).is_none() {
        return Err(format!(
            "fuso horário {tz:?} desconhecido (use um nome IANA, como America/Sao_Paulo)"
        ));
    }
    let coordinate = |column: &str, limit: f64| -> Checked<Option<f64>> {
        row.get(column)
            .map(|t| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && v.abs() <= limit)
                    .ok_or_else(|| format!("{column} {t:?} não é uma coordenada"))
            })
            .transpose()
    };
    let lat = coordinate("latitude", 90.0)?;
    let lon = coordinate("longitude", 180.0)?;
    let ibge = match (
        row.get("external_identifier_type"),
        row.get("external_identifier"),
    ) {
        (Some(kind), Some(code)) if kind.eq_ignore_ascii_case("ibge") => {
            let code: u32 = code
                .parse()
                .ok()
                .filter(|c| (1_000_000..10_000_000).contains(c))
                .ok_or_else(|| format!("o código IBGE {code:?} deve ter 7 dígitos"))?;
            Some(code)
        }
        _ => None,
    };
    Ok((
        id,
        Location {
            address: address_text,
            directions: row.get("description").map(str::to_owned),
            municipality: municipality.to_owned(),
            municipality_ibge: ibge,
            uf,
            tz: tz.to_owned(),
            lat,
            lon,
        },
    ))
}

/// Checks a phone number as written ("(27) 3132-5137", "+55 27 3132-5137", "100") and keeps
/// the digits to dial.
pub(crate) fn phone(row: &Row) -> Checked<Phone> {
    let number = row.get("number").ok_or("falta o número (number)")?;
    let display = row.get("display").unwrap_or(number);
    let mut digits = String::new();
    for (i, c) in number.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => digits.push(c),
            ' ' | '(' | ')' | '-' | '.' => {}
            _ => {
                return Err(format!(
                    "o telefone {number:?} não parece um número de telefone"
                ))
            }
        }
    }
    let count = digits.trim_start_matches('+').len();
    if !(3..=13).contains(&count) {
        return Err(format!(
            "o telefone {number:?} não parece um número de telefone (tem {count} dígitos)"
        ));
    }
    Ok(Phone {
        number: digits,
        display: display.to_owned(),
        label: row.get("description").map(str::to_owned),
    })
}

/// One checked schedule row.
#[derive(Debug, Clone)]
pub(crate) enum ScheduleRow {
    Weekly {
        days: Vec<Weekday>,
        opens: NaiveTime,
        closes: NaiveTime,
        valid_from: Option<NaiveDate>,
        valid_until: Option<NaiveDate>,
        reviewed_on: Option<NaiveDate>,
        review_due: Option<NaiveDate>,
    },
    Exception(ScheduleException),
}

/// Checks one schedule row. A closure on a date already past is kept as it is (it is
/// history, and an export holds it); a weekly schedule whose validity ended is refused.
fn schedule_row(row: &Row, today: NaiveDate) -> Checked<ScheduleRow> {
    if let Some(freq) = row.get("freq") {
        if !freq.eq_ignore_ascii_case("weekly") {
            return Err(format!(
                "só horários semanais são importados (freq {freq:?}; use WEEKLY)"
            ));
        }
    }
    let days = match (row.get("byday"), row.get("weekday")) {
        (Some(byday), _) => byday
            .split([',', ';', ' '])
            .filter(|d| !d.trim().is_empty())
            .map(weekday)
            .collect::<Checked<Vec<_>>>()?,
        (None, Some(day)) => vec![weekday(day)?],
        (None, None) => Vec::new(),
    };
    let times = || -> Checked<Option<(NaiveTime, NaiveTime)>> {
        match (row.get("opens_at"), row.get("closes_at")) {
            (None, None) => Ok(None),
            (Some(_), None) => Err("falta a hora de fechar (closes_at)".into()),
            (None, Some(_)) => Err("falta a hora de abrir (opens_at)".into()),
            (Some(o), Some(c)) => {
                // The one rule (`hours::interval`); HSDS marks a night by two rows split at
                // midnight (22:00–24:00, then 00:00–02:00), joined in `build_schedule`.
                let opens = interval::opening(o).map_err(|e| hsds_words(&e))?;
                let closes = interval::closing(c).map_err(|e| hsds_words(&e))?;
                let closes = interval::Closing {
                    next_day: false,
                    ..closes
                };
                interval::check(opens, closes)
                    .map(Some)
                    .map_err(|e| hsds_words(&e))
            }
        }
    };
    if days.is_empty() {
        let Some(date) = date(row, "dtstart")? else {
            return Err("diga os dias (byday, como MO,TU,WE) ou a data (dtstart)".into());
        };
        let intervals = times()?
            .map(|(opens, closes)| vec![TimeRange { opens, closes }])
            .unwrap_or_default();
        let reason = row
            .get("description")
            .or_else(|| row.get("notes"))
            .unwrap_or(if intervals.is_empty() {
                "fechado"
            } else {
                "horário especial"
            });
        return Ok(ScheduleRow::Exception(ScheduleException {
            date,
            intervals,
            reason: reason.to_owned(),
        }));
    }
    let (opens, closes) = times()?.ok_or("falta o horário (opens_at e closes_at)")?;
    let valid_from = date(row, "valid_from")?;
    let valid_until = date(row, "valid_to")?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until < from {
            return Err(format!(
                "a validade termina ({until}) antes de começar ({from})"
            ));
        }
    }
    if let Some(until) = valid_until {
        if until < today {
            return Err(format!(
                "a validade do horário (valid_to) terminou em {until}"
            ));
        }
    }
    Ok(ScheduleRow::Weekly {
        days,
        opens,
        closes,
        valid_from,
        valid_until,
        reviewed_on: date(row, "reviewed_on")?,
        review_due: date(row, "review_due")?,
    })
}

fn weekday(text: &str) -> Checked<Weekday> {
    let t = esv_shared::text::fold(text.trim());
    let day = match t.as_str() {
        "mo" | "monday" | "1" => Some(Weekday::Mon),
        "tu" | "tuesday" | "2" => Some(Weekday::Tue),
        "we" | "wednesday" | "3" => Some(Weekday::Wed),
        "th" | "thursday" | "4" => Some(Weekday::Thu),
        "fr" | "friday" | "5" => Some(Weekday::Fri),
        "sa" | "saturday" | "6" => Some(Weekday::Sat),
        "su" | "sunday" | "7" => Some(Weekday::Sun),
        other => weekday_pt::parse(other.get(..3).unwrap_or(other)),
    };
    day.ok_or_else(|| {
        format!("dia da semana {text:?} desconhecido (use MO, TU, WE, TH, FR, SA, SU)")
    })
}

/// The rule's words, with HSDS's way of marking a night.
fn hsds_words(e: &interval::IntervalError) -> String {
    match e {
        interval::IntervalError::BeforeOpening { .. } => format!(
            "{e}; se passa da meia-noite, divida em duas linhas: até 24:00 e, no dia seguinte, \
             a partir de 00:00"
        ),
        _ => e.to_string(),
    }
}

/// The schedule a service's rows describe. An interval that ends at midnight followed by
/// one that starts at midnight the next day is one interval that passes midnight; every
/// day open 00:00–24:00 is "always open".
fn build_schedule(rows: Vec<ScheduleRow>, service_reviewed_on: NaiveDate) -> Schedule {
    let mut schedule = Schedule {
        closes_on_holidays: true,
        reviewed_on: service_reviewed_on,
        review_due: service_reviewed_on,
        ..Schedule::default()
    };
    let mut reviewed = None;
    let mut due = None;
    let mut exceptions: BTreeMap<NaiveDate, ScheduleException> = BTreeMap::new();
    for row in rows {
        match row {
            ScheduleRow::Weekly {
                days,
                opens,
                closes,
                valid_from,
                valid_until,
                reviewed_on,
                review_due,
            } => {
                for weekday in days {
                    schedule.intervals.push(WeeklyInterval {
                        weekday,
                        opens,
                        closes,
                    });
                }
                schedule.valid_from = schedule.valid_from.or(valid_from);
                schedule.valid_until = schedule.valid_until.or(valid_until);
                reviewed = reviewed.max(reviewed_on);
                due = due.max(review_due);
            }
            ScheduleRow::Exception(e) => match exceptions.get_mut(&e.date) {
                // Special hours in two ranges are two rows of the same date.
                Some(same_day) => same_day.intervals.extend(e.intervals),
                None => {
                    exceptions.insert(e.date, e);
                }
            },
        }
    }
    schedule.exceptions = exceptions.into_values().collect();
    join_overnight(&mut schedule.intervals);
    let all_day = |i: &WeeklyInterval| i.opens == NaiveTime::MIN && i.closes == NaiveTime::MIN;
    let days: BTreeSet<u32> = schedule
        .intervals
        .iter()
        .map(|i| i.weekday.num_days_from_monday())
        .collect();
    if schedule.intervals.len() == 7 && days.len() == 7 && schedule.intervals.iter().all(all_day) {
        schedule.always_open = true;
        schedule.intervals.clear();
    }
    schedule.reviewed_on = reviewed.unwrap_or(service_reviewed_on);
    schedule.review_due = due.unwrap_or_else(|| {
        schedule
            .reviewed_on
            .checked_add_months(Months::new(REVIEW_MONTHS))
            .unwrap_or(schedule.reviewed_on)
    });
    schedule
}

fn join_overnight(intervals: &mut Vec<WeeklyInterval>) {
    let mut i = 0;
    while i < intervals.len() {
        let first = intervals[i];
        let ends_at_midnight = first.closes == NaiveTime::MIN && first.opens != NaiveTime::MIN;
        let next = ends_at_midnight
            .then(|| {
                intervals.iter().position(|n| {
                    n.weekday == first.weekday.succ()
                        && n.opens == NaiveTime::MIN
                        && n.closes != NaiveTime::MIN
                })
            })
            .flatten();
        if let Some(j) = next {
            intervals[i].closes = intervals[j].closes;
            intervals.remove(j);
            if j < i {
                i -= 1;
            }
        }
        i += 1;
    }
}

/// Columns this module reads, per table; the others are noted as ignored.
const KNOWN: &[(&str, &[&str])] = &[
    (
        "organizations",
        &["id", "name", "description", "url", "email", "assured_date"],
    ),
    (
        "services",
        &[
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "eligibility_description",
            "assured_date",
            "categories",
        ],
    ),
    (
        "locations",
        &[
            "id",
            "name",
            "description",
            "latitude",
            "longitude",
            "timezone",
            "external_identifier",
            "external_identifier_type",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "organization_id",
            "location_type",
        ],
    ),
    (
        "addresses",
        &[
            "id",
            "location_id",
            "address_1",
            "address_2",
            "city",
            "state_province",
            "address_type",
            "country",
        ],
    ),
    ("service_at_location", &["id", "service_id", "location_id"]),
    (
        "schedules",
        &[
            "id",
            "service_id",
            "location_id",
            "byday",
            "weekday",
            "opens_at",
            "closes_at",
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "freq",
            "description",
            "notes",
            "reviewed_on",
            "review_due",
            "wkst",
            "interval",
        ],
    ),
    (
        "phones",
        &[
            "id",
            "service_id",
            "organization_id",
            "location_id",
            "number",
            "display",
            "description",
            "type",
        ],
    ),
    ("required_documents", &["id", "service_id", "document"]),
];

fn note_unknown_columns(tables: &Tables, notes: &mut Vec<String>) {
    let all = [
        &tables.organizations,
        &tables.services,
        &tables.locations,
        &tables.addresses,
        &tables.service_at_location,
        &tables.schedules,
        &tables.phones,
        &tables.required_documents,
    ];
    for ((_, known), rows) in KNOWN.iter().zip(all) {
        let mut unknown: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for row in rows {
            for column in row.fields.keys() {
                if !known.contains(&column.as_str()) {
                    unknown.entry(&row.at.file).or_default().insert(column);
                }
            }
        }
        for (file, columns) in unknown {
            let columns: Vec<&str> = columns.into_iter().collect();
            notes.push(format!(
                "colunas ignoradas em {file}: {}",
                columns.join(", ")
            ));
        }
    }
}
