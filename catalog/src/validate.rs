//! Checks a data file and turns it into domain types; every error names the file and line.

use std::path::Path;

use chrono::{Months, NaiveDate};
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::{
    weekday_pt, Location, MunicipalHoliday, Office, Organization, Phone, RightsArticle, Schedule,
    ScheduleException, Service, TimeRange, WeeklyInterval,
};
use serde::de::DeserializeOwned;
use toml::value::Datetime;
use toml::Spanned;

use crate::raw::{
    ArticleFile, HoursRaw, OfficeFile, OrganizationFile, RangeRaw, ServiceRaw, SynonymGroup,
    SynonymsFile,
};
use crate::CatalogError;

mod spanish;

/// How long hours stay "confirmed" when a file does not say.
const DEFAULT_REVIEW_MONTHS: u32 = 6;

pub struct Parsed {
    pub entity: Entity,
    /// Every id the file defines, with its line.
    pub ids: Vec<(String, usize)>,
    /// Services a rights article points to, with their lines.
    pub help_services: Vec<(String, usize)>,
}

/// Reads a file's text as a place to point errors at.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .map_or(0, |before| before.matches('\n').count())
            + 1
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> CatalogError {
        CatalogError {
            file: self.path.to_owned(),
            line: self.line(offset),
            message: message.into(),
        }
    }

    fn parse<T: DeserializeOwned>(&self) -> Result<T, CatalogError> {
        toml::from_str(self.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            self.error(offset, e.message().trim().to_owned())
        })
    }

    fn date(&self, value: &Spanned<Datetime>) -> Result<NaiveDate, CatalogError> {
        self.plain_date(value.get_ref(), value.span().start)
    }

    fn plain_date(&self, value: &Datetime, offset: usize) -> Result<NaiveDate, CatalogError> {
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| self.error(offset, format!("{value} is not a date")))
            }
            _ => Err(self.error(
                offset,
                format!("expected a date like 2026-11-24, found {value}"),
            )),
        }
    }

    fn id(
        &self,
        id: &Spanned<String>,
        prefix: Option<&str>,
    ) -> Result<(String, usize), CatalogError> {
        let value = id.get_ref();
        let offset = id.span().start;
        let well_formed = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            return Err(self.error(
                offset,
                format!("id {value:?} must use only a-z, 0-9 and '-'"),
            ));
        }
        if let Some(prefix) = prefix {
            if !value.starts_with(&format!("{prefix}-")) {
                return Err(self.error(
                    offset,
                    format!("service id {value:?} must start with \"{prefix}-\""),
                ));
            }
        }
        Ok((value.clone(), self.line(offset)))
    }
}

pub fn parse(kind: DocKind, path: &Path, text: &str) -> Result<Parsed, CatalogError> {
    let src = Source { path, text };
    match kind {
        DocKind::Office => office(&src),
        DocKind::Organization => organization(&src),
        DocKind::RightsArticle => article(&src),
        DocKind::Opportunity => {
            Err(src.error(0, "opportunities are not part of the bundled catalog"))
        }
        kind if kind.is_personal() => Err(src.error(
            0,
            format!(
                "{} documents hold personal data and never ship in the catalog",
                kind.as_str()
            ),
        )),
        _ => Err(src.error(0, "this kind of document is not part of the catalog")),
    }
}

fn office(src: &Source<'_>) -> Result<Parsed, CatalogError> {
    let raw: OfficeFile = src.parse()?;
    let (id, line) = src.id(&raw.id, None)?;
    let mut ids = vec![(id.clone(), line)];
    location(src, &raw.location, raw.id.span().start)?;
    phones(src, &raw.phones, raw.id.span().start)?;
    let reviewed_on = src.date(&raw.reviewed_on)?;
    let schedule = hours(src, &raw.hours, reviewed_on)?;
    let municipal_holidays = raw
        .municipal_holidays
        .iter()
        .map(|h| {
            let value = h.get_ref();
            let at = h.span().start;
            let (month, day) = match (value.month, value.day, value.easter_offset) {
                (Some(month), Some(day), None) => {
                    if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                        return Err(
                            src.error(at, format!("{day}/{month} is not a day of the year"))
                        );
                    }
                    (month, day)
                }
                // Ash Wednesday is Easter − 46, Corpus Christi Easter + 60: a wider offset is a typo.
                (None, None, Some(offset)) if (-100..=100).contains(&offset) => (0, 0),
                (None, None, Some(offset)) => {
                    return Err(src.error(
                        at,
                        format!("easter_offset {offset} is more than 100 days from Easter"),
                    ))
                }
                _ => {
                    return Err(src.error(
                        at,
                        "a municipal holiday needs month and day, or easter_offset alone"
                            .to_owned(),
                    ))
                }
            };
            Ok(MunicipalHoliday {
                month,
                day,
                name: value.name.clone(),
                source: value.source.clone(),
                easter_offset: value.easter_offset,
            })
        })
        .collect::<Result<_, _>>()?;
    let services = services(src, raw.services, &id, Some(&raw.location), &mut ids)?;
    let es = raw
        .es
        .map(|es| spanish::provider(src, es, reviewed_on))
        .transpose()?;
    let data_protection = match raw.data_protection {
        Some(dp) => {
            let at = dp.span().start;
            let dp = dp.into_inner();
            if let Some(problem) = dp.problems().first() {
                return Err(src.error(at, format!("[data_protection]: {problem}")));
            }
            Some(dp)
        }
        None => None,
    };
    let mut prison_facilities: Vec<esv_shared::release::PrisonFacility> = Vec::new();
    for unit in raw.prison_facilities {
        let at = unit.span().start;
        let unit = unit.into_inner();
        let named = esv_shared::release::clean_name(&unit.name);
        let problem = match &named {
            Err(why) => Some(format!("[[prison_facilities]]: {why}")),
            Ok(_)
                if unit.id.is_empty()
                    || unit.id.len() > 60
                    || !unit
                        .id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                Some(format!(
                    "[[prison_facilities]]: o id {:?} deve ter só letras minúsculas, números e \
                     hífens",
                    unit.id
                ))
            }
            Ok(_) if prison_facilities.iter().any(|f| f.id == unit.id) => Some(format!(
                "[[prison_facilities]]: o id {:?} se repete",
                unit.id
            )),
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            return Err(src.error(at, problem));
        }
        prison_facilities.push(unit);
    }
    Ok(Parsed {
        entity: Entity::Office(Office {
            id,
            name: raw.name,
            description: raw.description,
            location: raw.location,
            phones: raw.phones,
            email: raw.email,
            schedule,
            municipal_holidays,
            services,
            sources: raw.sources,
            reviewed_on,
            es,
            data_protection,
            prison_facilities,
        }),
        ids,
        help_services: Vec::new(),
    })
}

fn organization(src: &Source<'_>) -> Result<Parsed, CatalogError> {
    let raw: OrganizationFile = src.parse()?;
    let (id, line) = src.id(&raw.id, None)?;
    let mut ids = vec![(id.clone(), line)];
    let reviewed_on = src.date(&raw.reviewed_on)?;
    let services = services(src, raw.services, &id, None, &mut ids)?;
    let es = raw
        .es
        .map(|es| spanish::provider(src, es, reviewed_on))
        .transpose()?;
    Ok(Parsed {
        entity: Entity::Organization(Organization {
            id,
            name: raw.name,
            description: raw.description,
            office_id: raw.office_id,
            website: raw.website,
            services,
            reviewed_on,
            es,
        }),
        ids,
        help_services: Vec::new(),
    })
}

fn services(
    src: &Source<'_>,
    raw: Vec<ServiceRaw>,
    parent: &str,
    at: Option<&Location>,
    ids: &mut Vec<(String, usize)>,
) -> Result<Vec<Service>, CatalogError> {
    let mut services = raw
        .into_iter()
        .map(|s| {
            let (id, line) = src.id(&s.id, Some(parent))?;
            ids.push((id.clone(), line));
            let offset = s.id.span().start;
            if s.categories.is_empty() {
                return Err(src.error(
                    offset,
                    format!("service {id:?} needs at least one category"),
                ));
            }
            phones(src, &s.phones, offset)?;
            if let Some(loc) = &s.location {
                location(src, loc, offset)?;
            }
            let reviewed_on = src.date(&s.reviewed_on)?;
            let schedule = s
                .hours
                .as_ref()
                .map(|h| hours(src, h, reviewed_on))
                .transpose()?;
            let es =
                s.es.map(|es| {
                    let pt = spanish::ServicePt {
                        id: &id,
                        at: offset,
                        required_documents: &s.required_documents,
                        reviewed_on,
                    };
                    spanish::service(src, es, pt)
                })
                .transpose()?;
            Ok(Service {
                id,
                name: s.name,
                description: s.description,
                categories: s.categories,
                audience: s.audience,
                required_documents: s.required_documents,
                location: s.location.or_else(|| at.cloned()),
                phones: s.phones,
                email: s.email,
                website: s.website,
                schedule,
                keywords: s.keywords,
                sources: s.sources,
                reviewed_on,
                es,
            })
        })
        .collect::<Result<Vec<_>, CatalogError>>()?;
    // Documents keep services in a map keyed by id, so they read back in id order.
    services.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(services)
}

fn hours(
    src: &Source<'_>,
    raw: &Spanned<HoursRaw>,
    reviewed_on: NaiveDate,
) -> Result<Schedule, CatalogError> {
    let at = raw.span().start;
    let h = raw.get_ref();
    let mut intervals = Vec::new();
    for w in &h.weekly {
        let offset = w.span().start;
        let w = w.get_ref();
        let range = range(
            src,
            &RangeRaw {
                opens: w.opens.clone(),
                closes: w.closes.clone(),
                overnight: w.overnight,
            },
            offset,
        )?;
        if w.days.is_empty() {
            return Err(src.error(offset, "an interval needs at least one day"));
        }
        for day in &w.days {
            let weekday = weekday_pt::parse(day).ok_or_else(|| {
                src.error(
                    offset,
                    format!("unknown day {day:?} (use seg, ter, qua, qui, sex, sab, dom)"),
                )
            })?;
            intervals.push(WeeklyInterval {
                weekday,
                opens: range.opens,
                closes: range.closes,
            });
        }
    }
    let mut exceptions = Vec::new();
    for e in &h.exceptions {
        let offset = e.span().start;
        let e = e.get_ref();
        exceptions.push(ScheduleException {
            date: src.plain_date(&e.date, offset)?,
            intervals: e
                .intervals
                .iter()
                .map(|r| range(src, r, offset))
                .collect::<Result<_, _>>()?,
            reason: e.reason.clone(),
        });
    }
    let review_due = match &h.review_due {
        Some(d) => src.plain_date(d, at)?,
        None => reviewed_on
            .checked_add_months(Months::new(DEFAULT_REVIEW_MONTHS))
            .unwrap_or(reviewed_on),
    };
    let valid_from = h
        .valid_from
        .as_ref()
        .map(|d| src.plain_date(d, at))
        .transpose()?;
    let valid_until = h
        .valid_until
        .as_ref()
        .map(|d| src.plain_date(d, at))
        .transpose()?;
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until < from {
            return Err(src.error(at, "valid_until is before valid_from"));
        }
    }
    if !h.always_open && intervals.is_empty() && exceptions.is_empty() {
        return Err(src.error(at, "hours need weekly intervals, exceptions or always_open = true (leave [hours] out when unknown)"));
    }
    Ok(Schedule {
        always_open: h.always_open,
        intervals,
        valid_from,
        valid_until,
        exceptions,
        closes_on_holidays: h.closes_on_holidays,
        observed_optional_days: h.observed_optional_days.clone(),
        reviewed_on,
        review_due,
    })
}

/// A time range of a data file, by the one rule of `esv_shared::hours::interval` (a night
/// interval says `overnight = true`; `24:00` is midnight); the words are for the file's author.
fn range(src: &Source<'_>, r: &RangeRaw, offset: usize) -> Result<TimeRange, CatalogError> {
    use esv_shared::hours::interval::{self, Closing, IntervalError};
    let bad_time = |text: &str| {
        src.error(
            offset,
            format!("expected a time like \"08:00\", found {text:?}"),
        )
    };
    // Data files keep one spelling, `HH:MM`, so they read and diff the same everywhere.
    let canonical = |text: &str| {
        let b = text.as_bytes();
        b.len() == 5 && b[2] == b':' && text.bytes().filter(u8::is_ascii_digit).count() == 4
    };
    for text in [&r.opens, &r.closes] {
        if !canonical(text) {
            return Err(bad_time(text));
        }
    }
    let opens = interval::opening(&r.opens).map_err(|_| bad_time(&r.opens))?;
    let closes = interval::closing(&r.closes).map_err(|_| bad_time(&r.closes))?;
    let closes = Closing {
        next_day: r.overnight,
        ..closes
    };
    match interval::check(opens, closes) {
        Ok((opens, closes)) => Ok(TimeRange { opens, closes }),
        Err(IntervalError::NotOvernight { .. }) => Err(src.error(
            offset,
            format!(
                "marked overnight but closes ({}) after it opens ({})",
                r.closes, r.opens
            ),
        )),
        Err(_) => Err(src.error(
            offset,
            format!(
                "closes ({}) is not after opens ({}); if it ends the next day, say overnight = true",
                r.closes, r.opens
            ),
        )),
    }
}

fn location(src: &Source<'_>, loc: &Location, offset: usize) -> Result<(), CatalogError> {
    if esv_shared::hours::parse_tz(&loc.tz).is_none() {
        return Err(src.error(
            offset,
            format!(
                "unknown time zone {:?} (use an IANA name like America/Sao_Paulo)",
                loc.tz
            ),
        ));
    }
    if let Some(code) = loc.municipality_ibge {
        if !(1_000_000..10_000_000).contains(&code) {
            return Err(src.error(offset, format!("IBGE code {code} must have 7 digits")));
        }
    }
    Ok(())
}

fn phones(src: &Source<'_>, phones: &[Phone], offset: usize) -> Result<(), CatalogError> {
    for p in phones {
        let digits = p.number.strip_prefix('+').unwrap_or(&p.number);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(src.error(
                offset,
                format!(
                    "phone number {:?} must be digits only (the display form goes in display)",
                    p.number
                ),
            ));
        }
    }
    Ok(())
}

fn article(src: &Source<'_>) -> Result<Parsed, CatalogError> {
    let raw: ArticleFile = src.parse()?;
    let (id, line) = src.id(&raw.id, None)?;
    if raw.body.get_ref().iter().all(|p| p.trim().is_empty()) {
        return Err(src.error(
            raw.body.span().start,
            "an article needs at least one paragraph",
        ));
    }
    if raw.sources.get_ref().is_empty() {
        return Err(src.error(
            raw.sources.span().start,
            "an article needs at least one source (law and article)",
        ));
    }
    let reviewed_on = src.date(&raw.reviewed_on)?;
    let help_services = raw
        .help_services
        .iter()
        .map(|s| (s.get_ref().clone(), src.line(s.span().start)))
        .collect();
    let es = raw
        .es
        .map(|es| {
            let pt = spanish::ArticlePt {
                body: raw.body.get_ref(),
                reviewed_on,
            };
            spanish::article(src, es, pt)
        })
        .transpose()?;
    Ok(Parsed {
        entity: Entity::RightsArticle(RightsArticle {
            id: id.clone(),
            title: raw.title,
            group: raw.group,
            summary: raw.summary,
            body: raw.body.into_inner(),
            sources: raw.sources.into_inner(),
            reviewed_on,
            help_services: raw
                .help_services
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            keywords: raw.keywords,
            es,
        }),
        ids: vec![(id, line)],
        help_services,
    })
}

pub fn synonyms(path: &Path) -> Result<Vec<SynonymGroup>, CatalogError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(CatalogError {
                file: path.to_owned(),
                line: 0,
                message: format!("cannot read: {e}"),
            })
        }
    };
    let src = Source { path, text: &text };
    let file: SynonymsFile = src.parse()?;
    for group in &file.group {
        if group.words.len() < 2 {
            return Err(src.error(
                0,
                format!("a synonym group needs two or more words: {:?}", group.words),
            ));
        }
    }
    Ok(file.group)
}
