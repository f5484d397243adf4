//! The views the app and the CLI show (types from `shared::ipc`), made from the index and the
//! open-now answers at a given instant.

use chrono::{DateTime, NaiveDate, Utc};
use esv_shared::document::DocKind;
use esv_shared::domain::{Category, Location, RightsArticle};
use esv_shared::geo;
use esv_shared::hours::{self, label, OpenState};
use esv_shared::ipc::{
    AddressView, ArticleSummary, ArticleView, CategoryCount, ClosureView, GeoPoint, HomeView,
    HoursRow, OpenBadge, OpenKind, PhoneView, ServiceCard, ServiceDetail, StoreStatus,
};
use esv_shared::locale::{Locale, Named};
use esv_shared::translation::marked;
use esv_shared::{share, words};

use crate::error::{ReplicaError, Result};
use crate::index::{Entry, Index, Provider};
use crate::store::Store;

/// How many days ahead "próximos fechamentos" looks.
const CLOSURES_AHEAD_DAYS: u32 = 60;

impl Store {
    /// The index, loaded on first use after a change.
    pub fn index(&mut self) -> Result<&Index> {
        // Another connection (the app's background sync) may have written since.
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.data_version != version {
            self.data_version = version;
            self.index = None;
        }
        if self.index.is_none() {
            self.index = Some(Index::load(self)?);
            self.generation += 1;
        }
        match &self.index {
            Some(index) => Ok(index),
            None => Err(ReplicaError::NotFound("índice".into())),
        }
    }

    pub fn status(&mut self) -> Result<StoreStatus> {
        let updated_at = self
            .meta("updated_at")?
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| d.with_timezone(&Utc));
        let catalog_version = self.meta("catalog_version")?.unwrap_or_default();
        let articles: u32 = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))?;
        let services = u32::try_from(self.index()?.entries.len()).unwrap_or(u32::MAX);
        let updated_label =
            words::data_of(self.locale, updated_at.as_ref().map(DateTime::date_naive));
        Ok(StoreStatus {
            catalog_version,
            updated_at,
            updated_label,
            services,
            articles,
        })
    }

    /// The first screen.
    pub fn home(&mut self, now: DateTime<Utc>) -> Result<HomeView> {
        self.home_near(None, now)
    }

    /// The first screen, with distances from `near` (a position or a chosen city).
    pub fn home_near(&mut self, near: Option<GeoPoint>, now: DateTime<Utc>) -> Result<HomeView> {
        let status = self.status()?;
        let locale = self.locale;
        let index = self.index()?;
        let ctx = Ctx {
            index,
            locale,
            now,
            near: near.filter(|p| geo::is_valid(*p)),
        };
        let mut categories: Vec<CategoryCount> = Category::ALL
            .iter()
            .map(|&category| CategoryCount {
                category,
                label: category.name_in(locale).to_owned(),
                count: 0,
            })
            .collect();
        for entry in &index.entries {
            for c in &entry.service.categories {
                if let Some(count) = categories.iter_mut().find(|x| x.category == *c) {
                    count.count += 1;
                }
            }
        }
        let offices = index
            .providers
            .iter()
            .filter_map(|(id, p)| match p {
                Provider::Office(o) => Some((id, o)),
                Provider::Organization(_) => None,
            })
            .map(|(_, o)| office_card(&ctx, o))
            .collect();
        let mut services: Vec<ServiceCard> = index.entries.iter().map(|e| card(&ctx, e)).collect();
        if ctx.near.is_some() {
            services.sort_by(by_distance);
        }
        Ok(HomeView {
            offices,
            categories,
            services,
            status,
        })
    }

    pub fn service_detail(&mut self, id: &str, now: DateTime<Utc>) -> Result<ServiceDetail> {
        let favourite = self.is_favourite(id)?;
        let locale = self.locale;
        let index = self.index()?;
        let ctx = Ctx {
            index,
            locale,
            now,
            near: None,
        };
        let found = if let Some(entry) = index.get(id) {
            Some(detail(&ctx, entry))
        } else if let Some(Provider::Office(office)) = index.providers.get(id) {
            Some(office_detail(&ctx, office))
        } else {
            None
        };
        if let Some(mut view) = found {
            view.favourite = favourite;
            view.share_text = share::share_text(locale, &view);
            view.speech_text = share::speech_text(locale, &view);
            return Ok(view);
        }
        Err(ReplicaError::NotFound(format!(
            "nenhum serviço com o código {id:?}; confira o código ou busque pelo nome"
        )))
    }

    pub fn rights_list(&mut self) -> Result<Vec<ArticleSummary>> {
        let mut list: Vec<ArticleSummary> = self
            .entities(DocKind::RightsArticle)?
            .into_iter()
            .filter_map(|e| match e {
                esv_shared::document::Entity::RightsArticle(a) => Some(summary(&a, self.locale)),
                _ => None,
            })
            .collect();
        list.sort_by(|a, b| {
            (a.group_label.as_str(), a.title.as_str())
                .cmp(&(b.group_label.as_str(), b.title.as_str()))
        });
        Ok(list)
    }

    pub fn rights_article(&mut self, id: &str, now: DateTime<Utc>) -> Result<ArticleView> {
        let data: Option<String> = rusqlite::OptionalExtension::optional(self.conn.query_row(
            "SELECT data FROM articles WHERE id = ?1",
            [id],
            |r| r.get(0),
        ))?;
        let article: RightsArticle = data
            .and_then(|d| serde_json::from_str(&d).ok())
            .ok_or_else(|| ReplicaError::NotFound(format!("nenhum artigo com o código {id:?}")))?;
        let locale = self.locale;
        let index = self.index()?;
        let ctx = Ctx {
            index,
            locale,
            now,
            near: None,
        };
        let help_services = article
            .help_services
            .iter()
            .filter_map(|s| index.get(s))
            .map(|e| card(&ctx, e))
            .collect();
        let text = article.words(locale);
        let mut reviewed_label = words::reviewed_on(locale, article.reviewed_on);
        if let (Locale::Es, Some(es)) = (text.language, &article.es) {
            let translation = words::translation_reviewed(locale, es.reviewed_on);
            reviewed_label = format!("{reviewed_label} · {translation}");
        }
        Ok(ArticleView {
            id: article.id.clone(),
            title: marked(text.title, text.language, locale),
            group_label: article.group.name_in(locale).to_owned(),
            summary: text.summary.to_owned(),
            body: text.body.to_vec(),
            sources: article.sources.clone(),
            reviewed_label,
            help_services,
            disclaimer: words::legal_disclaimer(locale).to_owned(),
            language: text.language,
        })
    }
}

/// What every view of one request needs: the index, the language, the instant, and where
/// the person is (if they said).
pub struct Ctx<'a> {
    pub index: &'a Index,
    pub locale: Locale,
    pub now: DateTime<Utc>,
    pub near: Option<GeoPoint>,
}

pub fn summary(a: &RightsArticle, locale: Locale) -> ArticleSummary {
    let text = a.words(locale);
    ArticleSummary {
        id: a.id.clone(),
        title: marked(text.title, text.language, locale),
        group: a.group,
        group_label: a.group.name_in(locale).to_owned(),
        summary: text.summary.to_owned(),
        language: text.language,
    }
}

/// The name of the office or organisation offering a service, in the person's language.
fn provider_name(ctx: &Ctx<'_>, entry: &Entry) -> String {
    match ctx.index.providers.get(&entry.provider_id) {
        Some(provider) => provider.words(ctx.locale).name.to_owned(),
        None => entry.provider_name.clone(),
    }
}

/// "Informações conferidas em …", and in Spanish whether the translation was checked too.
fn checked_label(locale: Locale, reviewed_on: NaiveDate, es: Option<Option<NaiveDate>>) -> String {
    let checked = words::checked_on(locale, reviewed_on);
    match (locale, es) {
        (Locale::Es, Some(es_reviewed)) => {
            format!(
                "{checked} · {}",
                words::translation_reviewed(locale, es_reviewed)
            )
        }
        _ => checked,
    }
}

pub fn badge(
    locale: Locale,
    state: &OpenState,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> OpenBadge {
    let kind = match state {
        OpenState::Open { .. } => OpenKind::Open,
        OpenState::Closed { .. } => OpenKind::Closed,
        OpenState::Unknown { .. } => OpenKind::Unknown,
    };
    OpenBadge {
        kind,
        text: label::open_text(locale, state, tz, now),
        tz: tz.name().to_owned(),
        tz_note: label::tz_note(locale, tz.name()),
    }
}

pub fn card(ctx: &Ctx<'_>, entry: &Entry) -> ServiceCard {
    let state = ctx.index.open_state(entry, ctx.now);
    let location = entry.service.location.as_ref();
    let (distance_km, distance_label) = distance(ctx, location);
    let text = entry.service.words(ctx.locale);
    ServiceCard {
        id: entry.service.id.clone(),
        name: marked(text.name, text.language, ctx.locale),
        provider: provider_name(ctx, entry),
        categories: entry.service.categories.clone(),
        summary: first_sentence(text.description),
        open: badge(ctx.locale, &state, entry.tz, ctx.now),
        place: place(ctx.locale, location),
        distance_km,
        distance_label,
        language: text.language,
    }
}

pub fn office_card(ctx: &Ctx<'_>, office: &esv_shared::domain::Office) -> ServiceCard {
    let (state, tz) = office_state(ctx.index, office, ctx.now);
    let (distance_km, distance_label) = distance(ctx, Some(&office.location));
    let text = office.words(ctx.locale);
    ServiceCard {
        id: office.id.clone(),
        name: marked(text.name, text.language, ctx.locale),
        provider: text.name.to_owned(),
        categories: Vec::new(),
        summary: first_sentence(text.description),
        open: badge(ctx.locale, &state, tz, ctx.now),
        place: place(ctx.locale, Some(&office.location)),
        distance_km,
        distance_label,
        language: text.language,
    }
}

/// Where a place is: its own coordinates, or else the centre of its city (with the city's name,
/// so the label can say so). Remote services are nowhere.
fn position(location: &Location) -> Option<(GeoPoint, Option<&'static str>)> {
    match (location.lat, location.lon) {
        (Some(lat), Some(lon)) => Some((GeoPoint { lat, lon }, None)),
        _ => location
            .municipality_ibge
            .and_then(geo::city_by_ibge)
            .map(|city| (city.centre, Some(city.name))),
    }
}

/// Straight-line km from `near` to a place, when both are known.
pub fn distance_km(near: Option<GeoPoint>, location: Option<&Location>) -> Option<f64> {
    let (point, _) = position(location?)?;
    Some(geo::distance_km(near?, point))
}

/// How far a place is from the person, with the words for it.
fn distance(ctx: &Ctx<'_>, location: Option<&Location>) -> (Option<f64>, Option<String>) {
    let (Some(near), Some((point, approximate))) = (ctx.near, location.and_then(position)) else {
        return (None, None);
    };
    let km = geo::distance_km(near, point);
    (Some(km), Some(words::distance(ctx.locale, km, approximate)))
}

/// Nearest first; places with no distance (remote services) after every place.
pub fn by_km(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// Nearest first; places with no distance (remote services) after every place.
pub fn by_distance(a: &ServiceCard, b: &ServiceCard) -> std::cmp::Ordering {
    by_km(a.distance_km, b.distance_km)
}

fn office_state(
    index: &Index,
    office: &esv_shared::domain::Office,
    now: DateTime<Utc>,
) -> (OpenState, chrono_tz::Tz) {
    let tz = hours::parse_tz(&office.location.tz).unwrap_or(chrono_tz::America::Sao_Paulo);
    // An office's own services share its place; use one of them for the calendar.
    let state = match office.services.first().and_then(|s| index.get(&s.id)) {
        Some(entry) => hours::open_state(&office.schedule, tz, &index.calendar(entry, now), now),
        None => hours::open_state(&office.schedule, tz, &Default::default(), now),
    };
    (state, tz)
}

fn place(locale: Locale, location: Option<&Location>) -> String {
    match location {
        Some(l) => format!("{}/{}", l.municipality, l.uf.code()),
        None => words::remote(locale).to_owned(),
    }
}

fn first_sentence(text: &str) -> String {
    let end = text
        .char_indices()
        .find(|&(i, c)| c == '.' && text[i + 1..].starts_with(' '))
        .map_or(text.len(), |(i, _)| i + 1);
    text[..end].trim().to_owned()
}

fn address(location: &Location) -> AddressView {
    let mut lines = vec![location.address.clone()];
    lines.push(format!("{}/{}", location.municipality, location.uf.code()));
    if let Some(d) = &location.directions {
        lines.push(d.clone());
    }
    let maps_url = match (location.lat, location.lon) {
        (Some(lat), Some(lon)) => format!("geo:{lat},{lon}"),
        _ => format!(
            "https://www.openstreetmap.org/search?query={}",
            url_encode(&format!(
                "{}, {}, {}",
                location.address,
                location.municipality,
                location.uf.code()
            ))
        ),
    };
    AddressView { lines, maps_url }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn phones(phones: &[esv_shared::domain::Phone]) -> Vec<PhoneView> {
    phones
        .iter()
        .map(|p| PhoneView {
            display: p.display.clone(),
            tel_url: format!("tel:{}", p.number),
            label: p.label.clone(),
        })
        .collect()
}

fn hours_rows(locale: Locale, schedule: Option<&esv_shared::domain::Schedule>) -> Vec<HoursRow> {
    schedule
        .map(|s| {
            label::weekly_rows(locale, s)
                .into_iter()
                .map(|(day, hours)| HoursRow { day, hours })
                .collect()
        })
        .unwrap_or_default()
}

fn closures(
    ctx: &Ctx<'_>,
    entry: &Entry,
    schedule: Option<&esv_shared::domain::Schedule>,
) -> Vec<ClosureView> {
    let (index, now, locale) = (ctx.index, ctx.now, ctx.locale);
    let Some(schedule) = schedule else {
        return Vec::new();
    };
    let today: NaiveDate = now.with_timezone(&entry.tz).date_naive();
    hours::upcoming_changes(
        schedule,
        &index.calendar(entry, now),
        today,
        CLOSURES_AHEAD_DAYS,
    )
    .into_iter()
    .map(|c| ClosureView {
        date: c.date,
        date_label: label::date_long(locale, c.date),
        reason: if c.intervals.is_empty() {
            words::closed_because(locale, &c.reason)
        } else {
            words::special_hours(locale, &label::ranges(locale, &c.intervals), &c.reason)
        },
    })
    .collect()
}

fn detail(ctx: &Ctx<'_>, entry: &Entry) -> ServiceDetail {
    let (index, now, locale) = (ctx.index, ctx.now, ctx.locale);
    let s = &entry.service;
    let state = index.open_state(entry, now);
    let (phones_, email, website) = match index.providers.get(&entry.provider_id) {
        // A service with no contact of its own is reached through its office.
        Some(Provider::Office(o)) if s.phones.is_empty() => (
            phones(&o.phones),
            s.email.clone().or_else(|| o.email.clone()),
            s.website.clone(),
        ),
        _ => (phones(&s.phones), s.email.clone(), s.website.clone()),
    };
    let tz_name = entry.tz.name();
    let text = s.words(locale);
    ServiceDetail {
        id: s.id.clone(),
        name: marked(text.name, text.language, locale),
        description: text.description.to_owned(),
        provider: provider_name(ctx, entry),
        categories: s.categories.clone(),
        audience: text.audience.to_owned(),
        required_documents: text.required_documents.to_vec(),
        address: s.location.as_ref().map(address),
        phones: phones_,
        email,
        website,
        open: badge(locale, &state, entry.tz, now),
        hours: hours_rows(locale, entry.schedule.as_ref()),
        hours_tz_label: label::tz_label(locale, tz_name),
        next_closures: closures(ctx, entry, entry.schedule.as_ref()),
        sources: s.sources.clone(),
        reviewed_label: checked_label(
            locale,
            s.reviewed_on,
            s.es.as_ref().map(|es| es.reviewed_on),
        ),
        favourite: false,
        share_text: String::new(),
        speech_text: String::new(),
        language: text.language,
    }
}

fn office_detail(ctx: &Ctx<'_>, office: &esv_shared::domain::Office) -> ServiceDetail {
    let (index, now, locale) = (ctx.index, ctx.now, ctx.locale);
    let (state, tz) = office_state(index, office, now);
    let anchor = office.services.first().and_then(|s| index.get(&s.id));
    let next_closures = anchor
        .map(|e| closures(ctx, e, Some(&office.schedule)))
        .unwrap_or_default();
    let mut categories: Vec<Category> = office
        .services
        .iter()
        .flat_map(|s| s.categories.clone())
        .collect();
    categories.sort();
    categories.dedup();
    let text = office.words(locale);
    ServiceDetail {
        id: office.id.clone(),
        name: marked(text.name, text.language, locale),
        description: text.description.to_owned(),
        provider: text.name.to_owned(),
        categories,
        audience: words::office_audience(locale).to_owned(),
        required_documents: Vec::new(),
        address: Some(address(&office.location)),
        phones: phones(&office.phones),
        email: office.email.clone(),
        website: None,
        open: badge(locale, &state, tz, now),
        hours: hours_rows(locale, Some(&office.schedule)),
        hours_tz_label: label::tz_label(locale, tz.name()),
        next_closures,
        sources: office.sources.clone(),
        reviewed_label: checked_label(
            locale,
            office.reviewed_on,
            office.es.as_ref().map(|es| es.reviewed_on),
        ),
        favourite: false,
        share_text: String::new(),
        speech_text: String::new(),
        language: text.language,
    }
}
