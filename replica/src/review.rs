//! The catalog's "needs review" list: services, their hours and rights articles that nobody
//! confirmed in the last six months (or whose hours were never given, or are past their
//! review date), oldest first, so staff know what to check next.

use chrono::{DateTime, Months, NaiveDate, Utc};
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::Service;
use serde::Serialize;

use crate::error::Result;
use crate::store::Store;

/// Six months without a review puts an item on the list.
pub const REVIEW_MONTHS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    Service,
    /// A service's (or the office's) opening hours.
    Schedule,
    Article,
}

impl ReviewKind {
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::Service => "serviço",
            ReviewKind::Schedule => "horário",
            ReviewKind::Article => "direito",
        }
    }
}

/// One thing to review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewItem {
    pub kind: ReviewKind,
    /// The service's, office's or article's id (a schedule goes by its service's id).
    pub id: String,
    pub name: String,
    /// `None`: never reviewed (hours never given).
    pub reviewed_on: Option<NaiveDate>,
    /// Why it is on the list, in pt-BR.
    pub reason: String,
}

impl Store {
    /// What in `office`'s catalog (its own services, its organizations' services, their
    /// hours) and in the rights articles was not reviewed for six months, oldest first —
    /// never-reviewed first of all.
    pub fn needs_review(&self, office: &str, now: DateTime<Utc>) -> Result<Vec<ReviewItem>> {
        let today = now.date_naive();
        let limit = today
            .checked_sub_months(Months::new(REVIEW_MONTHS))
            .unwrap_or(today);
        let mut items = Vec::new();
        let check_service = |s: &Service, inherits_hours: bool, items: &mut Vec<ReviewItem>| {
            if s.reviewed_on < limit {
                items.push(old(ReviewKind::Service, &s.id, &s.name, s.reviewed_on));
            }
            match &s.schedule {
                Some(h) => schedule(items, &s.id, &s.name, h, limit, today),
                None if !inherits_hours => items.push(ReviewItem {
                    kind: ReviewKind::Schedule,
                    id: s.id.clone(),
                    name: s.name.clone(),
                    reviewed_on: None,
                    reason: "horário nunca informado".to_owned(),
                }),
                None => {}
            }
        };
        for entity in self.entities(DocKind::Office)? {
            if let Entity::Office(o) = entity {
                if o.id == office {
                    schedule(&mut items, &o.id, &o.name, &o.schedule, limit, today);
                    for s in &o.services {
                        check_service(s, true, &mut items);
                    }
                }
            }
        }
        for entity in self.entities(DocKind::Organization)? {
            if let Entity::Organization(o) = entity {
                if o.office_id.as_deref() == Some(office) {
                    for s in &o.services {
                        check_service(s, false, &mut items);
                    }
                }
            }
        }
        for entity in self.entities(DocKind::RightsArticle)? {
            if let Entity::RightsArticle(a) = entity {
                if a.reviewed_on < limit {
                    items.push(old(ReviewKind::Article, &a.id, &a.title, a.reviewed_on));
                }
            }
        }
        items.sort_by(|a, b| {
            (a.reviewed_on, a.kind as u8, &a.id).cmp(&(b.reviewed_on, b.kind as u8, &b.id))
        });
        Ok(items)
    }
}

fn old(kind: ReviewKind, id: &str, name: &str, reviewed_on: NaiveDate) -> ReviewItem {
    ReviewItem {
        kind,
        id: id.to_owned(),
        name: name.to_owned(),
        reviewed_on: Some(reviewed_on),
        reason: format!("revisado em {}", reviewed_on.format("%d/%m/%Y")),
    }
}

fn schedule(
    items: &mut Vec<ReviewItem>,
    id: &str,
    name: &str,
    h: &esv_shared::domain::Schedule,
    limit: NaiveDate,
    today: NaiveDate,
) {
    if h.reviewed_on < limit {
        items.push(old(ReviewKind::Schedule, id, name, h.reviewed_on));
    } else if h.review_due < today {
        items.push(ReviewItem {
            kind: ReviewKind::Schedule,
            id: id.to_owned(),
            name: name.to_owned(),
            reviewed_on: Some(h.reviewed_on),
            reason: format!(
                "a confirmação do horário venceu em {}",
                h.review_due.format("%d/%m/%Y")
            ),
        });
    }
}
