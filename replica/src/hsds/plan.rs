//! The store's side of an HSDS import: the plan (what would be added, changed, removed or
//! left as it is, and the rejected rows) and applying it — every good row in one
//! transaction, written as local edits so they sync like any other staff edit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use esv_shared::document::{doc_id, DocKind, Entity};
use esv_shared::domain::{Office, Organization, Service};
use esv_shared::sync::Scope;
use serde::Serialize;

use super::map::{self, Context, OrgPatch, ServicePatch};
use super::{Bundle, Rejected};
use crate::error::{ReplicaError, Result};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Office,
    Organization,
    Service,
}

impl ItemKind {
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Office => "escritório",
            ItemKind::Organization => "organização",
            ItemKind::Service => "serviço",
        }
    }
}

/// One thing the import touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub kind: ItemKind,
    pub id: String,
    pub name: String,
}

/// What an import of a bundle into an office's catalog does (a preview), or did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportPlan {
    pub office: String,
    pub added: Vec<Item>,
    pub changed: Vec<Item>,
    pub removed: Vec<Item>,
    /// Organizations and services the bundle names that are already as it says.
    pub unchanged: usize,
    pub rejected: Vec<Rejected>,
    /// What was read but not imported, and why (ignored columns, a second location).
    pub notes: Vec<String>,
    /// Catalog documents written (after an import; 0 in a preview).
    pub written: usize,
    #[serde(skip)]
    entities: Vec<Entity>,
}

/// The document an organization of the bundle lands in. (Made once per organization and
/// moved at once: boxing the office would only add noise.)
#[allow(clippy::large_enum_variant)]
enum Target {
    Office(Office),
    Organization(Organization),
}

impl Store {
    /// What importing `bundle` into `office`'s catalog would do, without writing anything.
    pub fn hsds_preview(
        &self,
        office: &str,
        bundle: &Bundle,
        now: DateTime<Utc>,
    ) -> Result<ImportPlan> {
        let office_doc = self
            .entities(DocKind::Office)?
            .into_iter()
            .find_map(|e| match e {
                Entity::Office(o) if o.id == office => Some(o),
                _ => None,
            })
            .ok_or_else(|| {
                ReplicaError::NotFound(format!("nenhum escritório com o código {office:?}"))
            })?;
        let ctx = Context {
            tz: &office_doc.location.tz,
            today: now.date_naive(),
        };
        let mapped = map::map(&bundle.tables, &ctx);
        let mut orgs: HashMap<String, Organization> = HashMap::new();
        // Every service id in the store, with the provider that holds it (ids are global).
        let mut owner: HashMap<String, String> = HashMap::new();
        for entity in self
            .entities(DocKind::Office)?
            .into_iter()
            .chain(self.entities(DocKind::Organization)?)
        {
            match entity {
                Entity::Office(o) => {
                    owner.extend(o.services.iter().map(|s| (s.id.clone(), o.id.clone())))
                }
                Entity::Organization(o) => {
                    owner.extend(o.services.iter().map(|s| (s.id.clone(), o.id.clone())));
                    orgs.insert(o.id.clone(), o);
                }
                _ => {}
            }
        }
        let mut plan = ImportPlan {
            office: office.to_owned(),
            rejected: mapped.rejected,
            notes: mapped.notes,
            ..ImportPlan::default()
        };
        for mut patch in mapped.orgs {
            patch.id = owned_id(office, &patch.id, &orgs);
            let is_new = patch.id != office && !orgs.contains_key(&patch.id);
            let target = if patch.id == office {
                Target::Office(office_doc.clone())
            } else if let Some(existing) = orgs.get(&patch.id) {
                if existing.office_id.as_deref() != Some(office) {
                    let whose = existing.office_id.as_deref().unwrap_or("nacional");
                    plan.reject(&patch, format!(
                        "a organização {:?} já existe e pertence a outro catálogo ({whose}); este escritório não pode alterá-la",
                        patch.id
                    ));
                    continue;
                }
                Target::Organization(existing.clone())
            } else {
                Target::Organization(Organization {
                    id: patch.id.clone(),
                    name: patch.name.clone(),
                    description: String::new(),
                    office_id: Some(office.to_owned()),
                    website: None,
                    services: Vec::new(),
                    reviewed_on: patch.reviewed_on.unwrap_or(ctx.today),
                    es: None,
                })
            };
            plan.apply(target, is_new, patch, &owner, &ctx);
        }
        plan.rejected.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(plan)
    }

    /// Imports the good rows of `bundle` into `office`'s catalog, all in one transaction:
    /// every good row or, on a store error, nothing. Bad rows are reported in the plan and
    /// not imported. Only a Staff or Coordinator account of the office may do it.
    pub fn hsds_import(
        &mut self,
        office: &str,
        bundle: &Bundle,
        now: DateTime<Utc>,
    ) -> Result<ImportPlan> {
        self.check_catalog_editor(office)?;
        let mut plan = self.hsds_preview(office, bundle, now)?;
        plan.written = self.import_all_as(&plan.entities, now, "importação HSDS")?;
        plan.entities.clear();
        Ok(plan)
    }

    /// Refuses, in plain words, a device whose account may not edit `office`'s catalog.
    pub fn check_catalog_editor(&self, office: &str) -> Result<()> {
        let principal = self.account()?.map(|a| a.principal());
        let scope = Scope::Catalog {
            office: office.to_owned(),
        };
        if esv_shared::sync::may_write(principal.as_ref(), &scope) {
            return Ok(());
        }
        Err(ReplicaError::NotAllowed(match principal {
            None => "só a equipe do escritório pode alterar o catálogo; entre com a sua conta (esv login)".to_owned(),
            Some(p) if p.office != office => format!(
                "esta conta é do escritório {:?}; ela não pode alterar o catálogo de {office:?}",
                p.office
            ),
            Some(_) => "esta conta não pode alterar o catálogo: só a equipe técnica e a coordenação podem".to_owned(),
        }))
    }
}

/// The id an imported organisation is kept under: its office first (`es-vitoria/cras-centro`),
/// so two offices' files that both say `cras-centro` never meet (`sync::ownership`). An
/// organisation this office already holds under an id from before that rule keeps it.
fn owned_id(office: &str, id: &str, orgs: &HashMap<String, Organization>) -> String {
    let ours = |o: &Organization| o.office_id.as_deref() == Some(office);
    if id == office || id.starts_with(&format!("{office}/")) || orgs.get(id).is_some_and(ours) {
        return id.to_owned();
    }
    format!("{office}/{id}")
}

impl ImportPlan {
    fn reject(&mut self, patch: &OrgPatch, message: String) {
        self.rejected.push(Rejected {
            at: patch.at.clone(),
            message,
        });
        for s in &patch.services {
            self.rejected.push(Rejected {
                at: s.at.clone(),
                message: format!("a organização {:?} foi recusada ({})", patch.id, patch.at),
            });
        }
    }

    fn apply(
        &mut self,
        target: Target,
        is_new: bool,
        patch: OrgPatch,
        owner: &HashMap<String, String>,
        ctx: &Context<'_>,
    ) {
        let (before, kind) = match &target {
            Target::Office(o) => (Entity::Office(o.clone()), ItemKind::Office),
            Target::Organization(o) => (Entity::Organization(o.clone()), ItemKind::Organization),
        };
        let (mut services, provider) = match target {
            Target::Office(mut o) => {
                o.name = patch.name.clone();
                if let Some(d) = &patch.description {
                    o.description = d.clone();
                }
                if patch.email.is_some() {
                    o.email = patch.email.clone();
                }
                if let Some(r) = patch.reviewed_on {
                    o.reviewed_on = r;
                }
                let services = std::mem::take(&mut o.services);
                (services, Entity::Office(o))
            }
            Target::Organization(mut o) => {
                o.name = patch.name.clone();
                if let Some(d) = &patch.description {
                    o.description = d.clone();
                }
                if patch.website.is_some() {
                    o.website = patch.website.clone();
                }
                if let Some(r) = patch.reviewed_on {
                    o.reviewed_on = r;
                }
                let services = std::mem::take(&mut o.services);
                (services, Entity::Organization(o))
            }
        };
        let provider_id = provider.id().to_owned();
        for s in patch.services {
            if let Some(other) = owner.get(&s.id).filter(|p| **p != provider_id) {
                self.rejected.push(Rejected {
                    at: s.at.clone(),
                    message: format!(
                        "o código {:?} já é de um serviço de {other:?}; use outro código",
                        s.id
                    ),
                });
                continue;
            }
            let existing = services.iter().position(|e| e.id == s.id);
            if s.remove {
                match existing {
                    Some(i) => {
                        let gone = services.remove(i);
                        self.removed
                            .push(item(ItemKind::Service, &gone.id, &gone.name));
                    }
                    None => self.notes.push(format!(
                        "{}: o serviço {:?} está inativo e não foi importado",
                        s.at, s.id
                    )),
                }
                continue;
            }
            match existing {
                Some(i) => {
                    let updated = patched(services[i].clone(), s);
                    if updated == services[i] {
                        self.unchanged += 1;
                    } else {
                        self.changed
                            .push(item(ItemKind::Service, &updated.id, &updated.name));
                        services[i] = updated;
                    }
                }
                None => {
                    if s.categories.is_empty() {
                        self.rejected.push(Rejected {
                            at: s.at.clone(),
                            message: "um serviço novo precisa de ao menos uma categoria (coluna categories: documents, health, work-income, social-assistance, food, housing, legal, education, family)".into(),
                        });
                        continue;
                    }
                    let new = patched(new_service(&s, ctx), s);
                    self.added.push(item(ItemKind::Service, &new.id, &new.name));
                    services.push(new);
                }
            }
        }
        // Documents keep services in a map keyed by id, so they read back in id order.
        services.sort_by(|a, b| a.id.cmp(&b.id));
        let after = match provider {
            Entity::Office(mut o) => {
                o.services = services;
                Entity::Office(o)
            }
            Entity::Organization(mut o) => {
                o.services = services;
                Entity::Organization(o)
            }
            other => other,
        };
        let own = |e: &Entity| match e {
            Entity::Office(o) => {
                let mut o = o.clone();
                o.services.clear();
                Entity::Office(o)
            }
            Entity::Organization(o) => {
                let mut o = o.clone();
                o.services.clear();
                Entity::Organization(o)
            }
            other => other.clone(),
        };
        let name = match &after {
            Entity::Office(o) => o.name.clone(),
            Entity::Organization(o) => o.name.clone(),
            _ => String::new(),
        };
        if is_new {
            self.added.push(item(kind, &provider_id, &name));
        } else if own(&after) != own(&before) {
            self.changed.push(item(kind, &provider_id, &name));
        } else {
            self.unchanged += 1;
        }
        if after != before {
            self.entities.push(after);
        }
    }

    /// The catalog documents the import writes (their ids).
    pub fn documents(&self) -> Vec<String> {
        self.entities
            .iter()
            .map(|e| doc_id(e.kind(), e.id()))
            .collect()
    }
}

fn item(kind: ItemKind, id: &str, name: &str) -> Item {
    Item {
        kind,
        id: id.to_owned(),
        name: name.to_owned(),
    }
}

fn new_service(s: &ServicePatch, ctx: &Context<'_>) -> Service {
    Service {
        id: s.id.clone(),
        name: s.name.clone(),
        description: String::new(),
        categories: Vec::new(),
        audience: String::new(),
        required_documents: Vec::new(),
        location: None,
        phones: Vec::new(),
        email: None,
        website: None,
        schedule: None,
        keywords: Vec::new(),
        sources: Vec::new(),
        reviewed_on: s.reviewed_on.unwrap_or(ctx.today),
        es: None,
    }
}

/// A service with what the bundle says about it; what it does not say stays.
fn patched(mut service: Service, s: ServicePatch) -> Service {
    let words = (
        service.name.clone(),
        service.description.clone(),
        service.audience.clone(),
        service.required_documents.clone(),
    );
    service = patched_fields(service, s);
    // A Spanish text translated the words the bundle changed: it goes, and the Portuguese is
    // shown marked "(em português)" until someone translates the new words.
    if words
        != (
            service.name.clone(),
            service.description.clone(),
            service.audience.clone(),
            service.required_documents.clone(),
        )
    {
        service.es = None;
    }
    service
}

fn patched_fields(mut service: Service, s: ServicePatch) -> Service {
    service.name = s.name;
    if let Some(v) = s.description {
        service.description = v;
    }
    if s.email.is_some() {
        service.email = s.email;
    }
    if s.website.is_some() {
        service.website = s.website;
    }
    if let Some(v) = s.audience {
        service.audience = v;
    }
    if let Some(v) = s.reviewed_on {
        service.reviewed_on = v;
    }
    if !s.categories.is_empty() {
        service.categories = s.categories;
    }
    if let Some(v) = s.keywords {
        service.keywords = v;
    }
    if let Some(v) = s.required_documents {
        service.required_documents = v;
    }
    if s.location.is_some() {
        service.location = s.location;
    }
    if let Some(v) = s.phones {
        service.phones = v;
    }
    if let Some(mut schedule) = s.schedule {
        // HSDS has no field for these: they stay as staff set them.
        if let Some(old) = &service.schedule {
            schedule.closes_on_holidays = old.closes_on_holidays;
            schedule.observed_optional_days = old.observed_optional_days.clone();
        }
        service.schedule = Some(schedule);
    }
    service
}
