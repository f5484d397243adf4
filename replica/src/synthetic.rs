//! Synthetic catalogs for tests and benchmarks: realistic partner organisations and services
//! spread over several states and time zones, generated deterministically from a seed. Only the
//! `synthetic` feature compiles this; it is never shipped to users.

use automerge::ActorId;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use esv_shared::document::{self, Entity, Stamp};
use esv_shared::domain::{
    Category, Location, Organization, Phone, RightsArticle, RightsGroup, Schedule,
    ScheduleException, Service, Source, Uf, WeeklyInterval,
};

use crate::error::Result;
use crate::store::Store;

/// splitmix64: small, fast, good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const PLACES: &[(&str, Uf, u32, &str)] = &[
    ("Vitória", Uf::ES, 3205309, "America/Sao_Paulo"),
    ("Serra", Uf::ES, 3205002, "America/Sao_Paulo"),
    ("Vila Velha", Uf::ES, 3205200, "America/Sao_Paulo"),
    ("Boa Vista", Uf::RR, 1400100, "America/Boa_Vista"),
    ("Manaus", Uf::AM, 1302603, "America/Manaus"),
    ("Rio Branco", Uf::AC, 1200401, "America/Rio_Branco"),
    ("São Paulo", Uf::SP, 3550308, "America/Sao_Paulo"),
    ("Salvador", Uf::BA, 2927408, "America/Bahia"),
    ("Belém", Uf::PA, 1501402, "America/Belem"),
    ("Porto Alegre", Uf::RS, 4314902, "America/Sao_Paulo"),
];

/// Kinds of partner organisation: name, categories, what it offers, words people use.
const KINDS: &[(&str, &[Category], &str, &[&str])] = &[
    (
        "CRAS",
        &[Category::SocialAssistance, Category::Family],
        "Cadastro Único, Bolsa Família e acompanhamento de famílias",
        &[
            "cadunico",
            "bolsa família",
            "benefício",
            "assistente social",
        ],
    ),
    (
        "CREAS",
        &[Category::SocialAssistance],
        "atendimento a pessoas e famílias em situação de violação de direitos",
        &["violência", "medida", "acompanhamento"],
    ),
    (
        "CAPS AD",
        &[Category::Health],
        "cuidado para quem tem problemas com álcool e outras drogas",
        &["droga", "álcool", "dependência", "tratamento"],
    ),
    (
        "UBS",
        &[Category::Health],
        "consultas, vacinas e remédios do SUS",
        &["posto de saúde", "médico", "remédio", "vacina"],
    ),
    (
        "Sine",
        &[Category::WorkIncome],
        "vagas de emprego, seguro-desemprego e carteira de trabalho",
        &["emprego", "vaga", "trabalho", "ctps"],
    ),
    (
        "Restaurante Popular",
        &[Category::Food],
        "refeições a preço baixo no almoço",
        &["comida", "almoço", "marmita", "fome"],
    ),
    (
        "Centro POP",
        &[Category::Housing, Category::SocialAssistance],
        "acolhimento, banho e guarda de pertences para pessoas em situação de rua",
        &["rua", "banho", "dormir", "abrigo"],
    ),
    (
        "Casa de Passagem",
        &[Category::Housing],
        "acolhimento provisório para dormir",
        &["albergue", "abrigo", "dormir", "pernoite"],
    ),
    (
        "Escola EJA",
        &[Category::Education],
        "educação de jovens e adultos, do fundamental ao médio",
        &["estudar", "escola", "supletivo", "eja"],
    ),
    (
        "Núcleo de Prática Jurídica",
        &[Category::Legal],
        "orientação jurídica gratuita com estudantes e professores de Direito",
        &["advogado", "processo", "jurídico", "gratuito"],
    ),
    (
        "Posto de Identificação",
        &[Category::Documents],
        "emissão da carteira de identidade (CIN)",
        &["rg", "identidade", "cin", "documento"],
    ),
    (
        "Cartório de Registro Civil",
        &[Category::Documents, Category::Family],
        "segunda via de certidão de nascimento e casamento",
        &["certidão", "nascimento", "registro"],
    ),
];

const NEIGHBOURHOODS: &[&str] = &[
    "Centro",
    "Jardim América",
    "Santa Luzia",
    "Bela Vista",
    "São Pedro",
    "Vila Nova",
    "Industrial",
    "Esperança",
];
const STREETS: &[&str] = &[
    "Rua das Flores",
    "Avenida Brasil",
    "Rua São José",
    "Avenida Central",
    "Rua da Paz",
    "Travessa Santos",
];

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn schedule(rng: &mut Rng, reviewed_on: NaiveDate) -> Schedule {
    use Weekday::*;
    let workdays = [Mon, Tue, Wed, Thu, Fri];
    let mut intervals = Vec::new();
    let mut always_open = false;
    match rng.below(10) {
        0 => always_open = true,
        1 => {
            // Night shelter, every day 19h–7h.
            for day in [Mon, Tue, Wed, Thu, Fri, Sat, Sun] {
                intervals.push(WeeklyInterval {
                    weekday: day,
                    opens: t(19, 0),
                    closes: t(7, 0),
                });
            }
        }
        2..=4 => {
            for day in workdays {
                intervals.push(WeeklyInterval {
                    weekday: day,
                    opens: t(8, 0),
                    closes: t(12, 0),
                });
                intervals.push(WeeklyInterval {
                    weekday: day,
                    opens: t(13, 0),
                    closes: t(17, 0),
                });
            }
        }
        5 => {
            for day in [Mon, Tue, Wed, Thu, Fri, Sat] {
                intervals.push(WeeklyInterval {
                    weekday: day,
                    opens: t(10, 30),
                    closes: t(14, 0),
                });
            }
        }
        _ => {
            let opens = 7 + rng.below(3) as u32;
            for day in workdays {
                intervals.push(WeeklyInterval {
                    weekday: day,
                    opens: t(opens, 0),
                    closes: t(opens + 9, 0),
                });
            }
        }
    }
    let exceptions = (0..rng.below(3))
        .map(|i| ScheduleException {
            date: reviewed_on + Duration::days(3 + 11 * i as i64 + rng.below(7) as i64),
            intervals: Vec::new(),
            reason: "Fechado para manutenção".to_owned(),
        })
        .collect();
    Schedule {
        always_open,
        intervals,
        valid_from: None,
        valid_until: None,
        exceptions,
        closes_on_holidays: !always_open,
        observed_optional_days: Vec::new(),
        reviewed_on,
        review_due: reviewed_on + Duration::days(365),
    }
}

/// Organisations holding `services` services in all, about 25 each, from `seed`.
pub fn organizations(services: usize, seed: u64) -> Vec<Organization> {
    let mut rng = Rng(seed);
    let reviewed_on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let per_org = 25;
    let count = services.div_ceil(per_org);
    (0..count)
        .map(|o| {
            let (city, uf, ibge, tz) = *rng.pick(PLACES);
            let centre = esv_shared::geo::city_by_ibge(ibge).map(|c| c.centre);
            let (kind, categories, offer, keywords) = *rng.pick(KINDS);
            let hood = *rng.pick(NEIGHBOURHOODS);
            let id = format!("sint-{o:05}");
            let name = format!("{kind} {hood} — {city}");
            let n = per_org.min(services - o * per_org);
            let services = (0..n)
                .map(|s| {
                    let street = *rng.pick(STREETS);
                    Service {
                        id: format!("{id}-{s:03}"),
                        name: format!("{kind} {hood}: {}", offer.split(',').next().unwrap_or(offer)),
                        description: format!(
                            "O {kind} do bairro {hood}, em {city}, oferece {offer}. Atendimento gratuito; leve um documento com foto se tiver."
                        ),
                        categories: categories.to_vec(),
                        audience: "Qualquer pessoa que precise, inclusive pessoas egressas e familiares.".to_owned(),
                        required_documents: vec!["Documento com foto, se tiver".to_owned()],
                        location: Some(Location {
                            address: format!("{street}, {}, {hood}", 10 + rng.below(990)),
                            directions: None,
                            municipality: city.to_owned(),
                            municipality_ibge: Some(ibge),
                            uf,
                            tz: tz.to_owned(),
                            lat: centre.map(|c| c.lat + jitter(&mut rng)),
                            lon: centre.map(|c| c.lon + jitter(&mut rng)),
                        }),
                        phones: vec![Phone {
                            number: format!("2799{:07}", rng.below(10_000_000)),
                            display: "telefone de teste".to_owned(),
                            label: None,
                        }],
                        email: None,
                        website: None,
                        schedule: Some(schedule(&mut rng, reviewed_on)),
                        keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
                        sources: Vec::new(),
                        reviewed_on,
                        es: None,
                    }
                })
                .collect();
            Organization {
                id,
                name,
                description: format!("{kind} de {city}/{}.", uf.code()),
                office_id: None,
                website: None,
                services,
                reviewed_on,
                es: None,
            }
        })
        .collect()
}

/// Up to about 5 km from a city's centre.
fn jitter(rng: &mut Rng) -> f64 {
    (rng.below(1001) as f64 - 500.0) / 10_000.0
}

const TOPICS: &[(&str, RightsGroup, &str)] = &[
    (
        "Segunda via de documentos",
        RightsGroup::Documents,
        "documento certidão identidade",
    ),
    (
        "Trabalho com carteira assinada",
        RightsGroup::WorkIncome,
        "emprego trabalho carteira",
    ),
    (
        "Benefícios da assistência social",
        RightsGroup::Benefits,
        "benefício cras auxílio",
    ),
    (
        "Condições do regime aberto",
        RightsGroup::Sentence,
        "pena regime juiz",
    ),
    (
        "Atendimento no SUS",
        RightsGroup::Health,
        "saúde posto remédio",
    ),
    (
        "Visitas e contato com a família",
        RightsGroup::Family,
        "família filhos visita",
    ),
    (
        "Conselhos e participação",
        RightsGroup::Participation,
        "conselho participação voto",
    ),
    (
        "Onde pedir ajuda jurídica",
        RightsGroup::LegalHelp,
        "advogado defensoria processo",
    ),
];

/// `count` generated rights articles (for the search benchmark's 200 articles).
pub fn articles(count: usize, seed: u64) -> Vec<RightsArticle> {
    let mut rng = Rng(seed);
    let reviewed_on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    (0..count)
        .map(|i| {
            let (topic, group, words) = *rng.pick(TOPICS);
            let city = rng.pick(PLACES).0;
            RightsArticle {
                id: format!("sint-artigo-{i:04}"),
                title: format!("{topic} em {city} ({i})"),
                group,
                summary: format!("O que saber sobre {} em {city}.", topic.to_lowercase()),
                body: (0..4)
                    .map(|p| format!("Parágrafo {p} sobre {words}: frases curtas, palavras simples, o que fazer e onde ir em {city}."))
                    .collect(),
                sources: vec![Source {
                    citation: "Fonte de teste (catálogo sintético)".to_owned(),
                    url: None,
                }],
                reviewed_on,
                help_services: Vec::new(),
                keywords: words.split(' ').map(str::to_owned).collect(),
                es: None,
            }
        })
        .collect()
}

/// Writes `count` generated rights articles into the store, in one transaction.
pub fn load_articles(
    store: &mut Store,
    count: usize,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<usize> {
    let entities = articles(count, seed).into_iter().map(Entity::RightsArticle);
    put(store, entities, now)
}

/// Creates one document per entity (fixed actor) and stores them together.
fn put(
    store: &mut Store,
    entities: impl Iterator<Item = Entity>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let stamp = Stamp {
        message: "synthetic".to_owned(),
        time: now.timestamp(),
    };
    let docs = entities
        .map(|entity| {
            let doc_id = entity.doc_id();
            document::create(&entity, ActorId::from(*b"esv-synthetic-01"), &stamp)
                .map(|doc| (doc_id.clone(), doc))
                .map_err(|e| crate::error::ReplicaError::document(&doc_id, e))
        })
        .collect::<Result<Vec<_>>>()?;
    store.put_documents(docs, now)
}

/// Writes a synthetic catalog of `services` services into the store, in one transaction.
pub fn load(store: &mut Store, services: usize, seed: u64, now: DateTime<Utc>) -> Result<usize> {
    let entities = organizations(services, seed)
        .into_iter()
        .map(Entity::Organization);
    put(store, entities, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use esv_shared::ipc::SearchRequest;

    #[test]
    fn the_same_seed_gives_the_same_catalog_and_another_seed_a_different_one() {
        let a = organizations(120, 7);
        assert_eq!(a, organizations(120, 7));
        assert_ne!(a, organizations(120, 8));
        assert_eq!(a.iter().map(|o| o.services.len()).sum::<usize>(), 120);
        assert_eq!(a.len(), 5);
    }

    #[test]
    fn a_loaded_synthetic_catalog_is_searchable_alongside_the_bundled_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
            .expect("date")
            .with_timezone(&Utc);
        let (mut store, _) = Store::open(&dir.path().join("s.db")).expect("open");
        let before = store.home(now).expect("home").services.len();
        assert_eq!(load(&mut store, 300, 1, now).expect("load"), 12);
        assert_eq!(store.home(now).expect("home").services.len(), before + 300);
        let found = store
            .search(
                &SearchRequest {
                    text: "emprgo".into(),
                    ..Default::default()
                },
                now,
            )
            .expect("search");
        assert!(!found.is_empty(), "a typo still finds work services");
    }
}
