//! Offline search over the catalog: FTS5 with accents folded, the synonyms people actually type
//! (`catalog/data/synonyms.toml`), typo correction against the index's own vocabulary, and
//! ranking by relevance, then open now, then name.
//!
//! Whatever a person types — emoji, quotes, `NEAR`, `OR`, 2,000 characters — becomes a query of
//! quoted terms, so FTS syntax in the input is never interpreted and never errors.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use esv_shared::ipc::{ArticleSummary, SearchRequest, ServiceCard, SortOrder};
use esv_shared::text;
use rusqlite::OptionalExtension;

use crate::bundled;
use crate::error::Result;
use crate::index::Index;
use crate::stem;
use crate::store::Store;
use crate::views;

const MAX_TOKENS: usize = 12;
const MAX_TOKEN_CHARS: usize = 40;
const DEFAULT_LIMIT: u32 = 50;
const MAX_TYPO_FIXES: usize = 3;
/// Articles shown under the services.
const ARTICLES_LIMIT: usize = 20;

/// One alternative a clause accepts: a word (maybe as a prefix) or a phrase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Alt {
    Word { word: String, prefix: bool },
    Phrase(Vec<String>),
}

/// The synonyms, folded: key (words without stopwords) → the groups it belongs to, and each
/// group's phrases (words with stopwords, as indexed).
struct Synonyms {
    by_key: HashMap<String, Vec<usize>>,
    groups: Vec<Vec<Vec<String>>>,
    words: Vec<String>,
    /// One-word keys under their stems: "almoçar" reaches the group of "almoço".
    by_stem: HashMap<String, Vec<String>>,
}

fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut groups = Vec::new();
        let mut words = HashSet::new();
        for (g, group) in bundled::synonyms().iter().enumerate() {
            let mut phrases = Vec::new();
            for word in &group.words {
                let phrase: Vec<String> = text::fold(word)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect();
                let key = text::tokens(word).join(" ");
                if key.is_empty() {
                    continue;
                }
                by_key.entry(key.clone()).or_default().push(g);
                if !key.contains(' ') {
                    words.insert(key);
                }
                phrases.push(phrase);
            }
            groups.push(phrases);
        }
        let words: Vec<String> = words.into_iter().collect();
        Synonyms {
            by_key,
            groups,
            by_stem: stem::groups(&words),
            words,
        }
    })
}

impl Synonyms {
    fn alternatives(&self, key: &str, out: &mut Vec<Alt>) {
        for &g in self.by_key.get(key).into_iter().flatten() {
            for phrase in &self.groups[g] {
                out.push(match phrase.as_slice() {
                    [word] => Alt::Word {
                        word: word.clone(),
                        prefix: false,
                    },
                    _ => Alt::Phrase(phrase.clone()),
                });
            }
        }
    }
}

/// Turns what a person typed into clauses of alternatives (all clauses must match).
fn plan(query: &str, index: &Index) -> Vec<Vec<Alt>> {
    let tokens: Vec<String> = text::tokens(query)
        .into_iter()
        .take(MAX_TOKENS)
        .map(|t| t.chars().take(MAX_TOKEN_CHARS).collect())
        .collect();
    let syn = synonyms();
    let mut clauses = Vec::new();
    if tokens.is_empty() {
        // Only a short common word so far ("com", on the way to "comida"): take it as the start
        // of a word rather than list everything.
        if let Some(word) = text::fold(query)
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .filter(|w| w.chars().count() >= 2 && !query.ends_with(char::is_whitespace))
        {
            let word: String = word.chars().take(MAX_TOKEN_CHARS).collect();
            clauses.push(vec![Alt::Word { word, prefix: true }]);
        }
        return clauses;
    }
    let mut i = 0;
    'tokens: while i < tokens.len() {
        for len in [3, 2] {
            if i + len <= tokens.len() {
                let key = tokens[i..i + len].join(" ");
                if syn.by_key.contains_key(&key) {
                    let mut alts = vec![Alt::Phrase(tokens[i..i + len].to_vec())];
                    syn.alternatives(&key, &mut alts);
                    clauses.push(dedup(alts));
                    i += len;
                    continue 'tokens;
                }
                // A known phrase with a typo in its last word ("carteira de trabaio"): the phrase
                // around it allows one more letter wrong.
                let last = &tokens[i + len - 1];
                if !index.vocabulary_set.contains(last.as_str()) && !syn.by_key.contains_key(last) {
                    let head = tokens[i..i + len - 1].join(" ");
                    if let Some(fixed) = typo_fixes(last, index, syn, 1)
                        .into_iter()
                        .map(|fix| format!("{head} {fix}"))
                        .find(|k| syn.by_key.contains_key(k))
                    {
                        let mut alts = Vec::new();
                        syn.alternatives(&fixed, &mut alts);
                        clauses.push(dedup(alts));
                        i += len;
                        continue 'tokens;
                    }
                }
            }
        }
        let token = &tokens[i];
        let last = i + 1 == tokens.len();
        let mut alts = vec![Alt::Word {
            word: token.clone(),
            // While a single word is being typed, two letters already narrow it down.
            prefix: last && token.chars().count() >= if tokens.len() == 1 { 2 } else { 3 },
        }];
        syn.alternatives(token, &mut alts);
        // Words sharing its stem come along; they do not stop the typo correction of a word
        // the index does not hold ("albergui" still finds "albergue").
        stem_alternatives(token, index, syn, &mut alts);
        let known = index.vocabulary_set.contains(token.as_str())
            || syn.by_key.contains_key(token.as_str())
            || (last && index.has_prefix(token));
        if !known {
            for fix in typo_fixes(token, index, syn, 0) {
                syn.alternatives(&fix, &mut alts);
                alts.push(Alt::Word {
                    word: fix,
                    prefix: false,
                });
            }
        }
        clauses.push(dedup(alts));
        i += 1;
    }
    clauses
}

/// Adds the words of the index and the synonyms that share the token's stem ("trabalhar" →
/// "trabalho", "trabalhos").
fn stem_alternatives(token: &str, index: &Index, syn: &Synonyms, alts: &mut Vec<Alt>) {
    let Some(s) = stem::stem(token) else {
        return;
    };
    let before = alts.len();
    for word in index.stems.get(&s).into_iter().flatten() {
        if word != token {
            alts.push(Alt::Word {
                word: word.clone(),
                prefix: false,
            });
        }
        if alts.len() - before >= stem::MAX_WORDS_PER_STEM {
            break;
        }
    }
    for key in syn.by_stem.get(&s).into_iter().flatten() {
        if key != token {
            syn.alternatives(key, alts);
        }
    }
}

/// The closest known words within the word's typo budget, best first.
fn typo_fixes(token: &str, index: &Index, syn: &Synonyms, extra: usize) -> Vec<String> {
    let budget = text::typo_budget(token) + usize::from(text::typo_budget(token) > 0) * extra;
    if budget == 0 {
        return Vec::new();
    }
    let mut found: Vec<(usize, &String)> = index
        .vocabulary
        .iter()
        .chain(syn.words.iter())
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter_map(|w| text::edit_distance(token, w, budget).map(|d| (d, w)))
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.1 == b.1);
    found
        .into_iter()
        .take(MAX_TYPO_FIXES)
        .map(|(_, w)| w.clone())
        .collect()
}

fn dedup(alts: Vec<Alt>) -> Vec<Alt> {
    let mut seen = HashSet::new();
    alts.into_iter()
        .filter(|a| seen.insert(a.clone()))
        .collect()
}

/// The FTS5 MATCH expression: every term quoted, so input is never read as syntax.
fn fts_query(clauses: &[Vec<Alt>], joiner: &str) -> String {
    clauses
        .iter()
        .map(|alts| {
            let parts: Vec<String> = alts
                .iter()
                .map(|a| match a {
                    Alt::Word { word, prefix } => {
                        format!(
                            "\"{}\"{}",
                            word.replace('"', ""),
                            if *prefix { "*" } else { "" }
                        )
                    }
                    Alt::Phrase(words) => format!("\"{}\"", words.join(" ").replace('"', "")),
                })
                .collect();
            format!("({})", parts.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// Most rows of one kind a search considers.
const MAX_MATCHES: usize = 500;
/// Full-text answers remembered (a keystroke asks for services and articles, maybe twice).
const REMEMBERED_MATCHES: usize = 4;

/// Rows of `kind` matching a plan, best first: (ref, bm25 score; lower is better). Every term
/// must match; if nothing does, any may.
fn matches(
    store: &Store,
    index: &Index,
    clauses: &[Vec<Alt>],
    kind: &str,
) -> Result<Vec<(String, f64)>> {
    // A word found nowhere in the index ("or" in "rg or cpf") cannot be required: leave it out
    // rather than fall back to "any word", which would list everything.
    let live: Vec<Vec<Alt>> = clauses
        .iter()
        .filter(|alts| alts.iter().any(|a| known(index, a)))
        .cloned()
        .collect();
    let clauses = if live.is_empty() { clauses } else { &live[..] };
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    let of_kind = |rows: &[(String, String, f64)]| -> Vec<(String, f64)> {
        rows.iter()
            .filter(|(k, _, _)| k == kind)
            .take(MAX_MATCHES)
            .map(|(_, r, score)| (r.clone(), *score))
            .collect()
    };
    for joiner in [" AND ", " OR "] {
        let rows = of_kind(&all_matches(
            store,
            index,
            clauses,
            &fts_query(clauses, joiner),
        )?);
        if !rows.is_empty() || clauses.len() == 1 {
            return Ok(rows);
        }
    }
    Ok(Vec::new())
}

/// Whether an alternative can match anything in the index at all.
fn known(index: &Index, alt: &Alt) -> bool {
    let word_known = |w: &str| index.vocabulary_set.contains(w);
    match alt {
        Alt::Word {
            word,
            prefix: false,
        } => word_known(word),
        Alt::Word { word, prefix: true } => word_known(word) || index.has_prefix(word),
        Alt::Phrase(words) => words.iter().all(|w| word_known(w)),
    }
}

/// Past this many rows, bm25 (about 2 µs a row on a 2-core machine) costs more than all the
/// rest of a search: a broad search ("documento", "família", "de…") ranks rows by the columns
/// its words appear in instead — the same column weights, without term statistics, which
/// hardly tell apart rows that nearly all contain the word.
const BM25_ROWS: usize = 600;

/// Column weights of the ranking: name, keywords, categories, body (the bm25 call's too).
const WEIGHTS: [f64; 4] = [10.0, 6.0, 3.0, 1.0];

/// Every row matching an FTS expression, best first, remembered for the next call.
fn all_matches(
    store: &Store,
    index: &Index,
    clauses: &[Vec<Alt>],
    query: &str,
) -> Result<crate::index::Matches> {
    if let Some((_, rows)) = index.last_match.borrow().iter().find(|(q, _)| q == query) {
        return Ok(rows.clone());
    }
    let rowids: Vec<i64> = {
        let mut stmt = store
            .conn
            .prepare_cached("SELECT rowid FROM search_fts WHERE search_fts MATCH ?1")?;
        let rows = stmt
            .query_map([query], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        rows
    };
    let scored: Vec<(i64, f64)> = if rowids.len() <= BM25_ROWS {
        let mut stmt = store.conn.prepare_cached(
            "SELECT rowid, bm25(search_fts, 0.0, 0.0, 10.0, 6.0, 3.0, 1.0) AS score
             FROM search_fts WHERE search_fts MATCH ?1 ORDER BY score",
        )?;
        let rows = stmt
            .query_map([query], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(i64, f64)>, _>>()?;
        rows
    } else {
        let mut scored: Vec<(i64, f64)> = rowids
            .into_iter()
            .map(|rowid| {
                let score = index
                    .fts_rows
                    .get(&rowid)
                    .map_or(0.0, |row| -presence(&row.strong, clauses));
                (rowid, score)
            })
            .collect();
        scored.sort_by(|a, b| a.1.total_cmp(&b.1));
        scored
    };
    let rows: Vec<(String, String, f64)> = scored
        .into_iter()
        .filter_map(|(rowid, score)| {
            let row = index.fts_rows.get(&rowid)?;
            Some((row.kind.clone(), row.reference.clone(), score))
        })
        .collect();
    let rows = std::sync::Arc::new(rows);
    let mut remembered = index.last_match.borrow_mut();
    if remembered.len() == REMEMBERED_MATCHES {
        remembered.remove(0);
    }
    remembered.push((query.to_owned(), rows.clone()));
    Ok(rows)
}

/// How strongly a row matches: for each clause, the weight of the strongest column one of its
/// alternatives appears in (the body's when none of the strong ones holds it).
fn presence(strong: &[Vec<String>; 3], clauses: &[Vec<Alt>]) -> f64 {
    clauses
        .iter()
        .map(|alts| {
            strong
                .iter()
                .zip(WEIGHTS)
                .find(|(words, _)| alts.iter().any(|alt| appears(alt, words)))
                .map_or(WEIGHTS[3], |(_, weight)| weight)
        })
        .sum()
}

fn appears(alt: &Alt, words: &[String]) -> bool {
    match alt {
        Alt::Word { word, prefix } => words
            .iter()
            .any(|w| w == word || (*prefix && w.starts_with(word.as_str()))),
        Alt::Phrase(phrase) => {
            !phrase.is_empty() && words.windows(phrase.len()).any(|window| window == phrase)
        }
    }
}

impl Store {
    /// Services matching a request, best first.
    pub fn search(
        &mut self,
        request: &SearchRequest,
        now: DateTime<Utc>,
    ) -> Result<Vec<ServiceCard>> {
        self.index()?;
        let Some(index) = self.index.as_ref() else {
            return Ok(Vec::new());
        };
        let clauses = plan(&request.text, index);
        let scored: Vec<(usize, f64)> = if clauses.is_empty() {
            (0..index.entries.len()).map(|i| (i, 0.0)).collect()
        } else {
            matches(self, index, &clauses, "service")?
                .into_iter()
                .filter_map(|(id, score)| index.by_id.get(&id).map(|&i| (i, score)))
                .collect()
        };
        let near = request.near.filter(|p| esv_shared::geo::is_valid(*p));
        let ctx = views::Ctx {
            index,
            locale: self.locale,
            now,
            near,
        };
        // Rank on cheap keys; make cards only for what is shown.
        let mut ranked: Vec<(i64, bool, Option<f64>, usize)> = Vec::with_capacity(scored.len());
        for (i, score) in scored {
            let entry = &index.entries[i];
            if let Some(category) = request.category {
                if !entry.service.categories.contains(&category) {
                    continue;
                }
            }
            let open = index.is_open(entry, now);
            if request.open_now_only && !open {
                continue;
            }
            let km = views::distance_km(near, entry.service.location.as_ref());
            // Relevance in steps of a quarter point, so near-equal matches fall back to open-now.
            ranked.push(((score * 4.0).round() as i64, !open, km, i));
        }
        let name = |i: usize| &index.entries[i].service.name;
        match request.sort {
            SortOrder::Relevance => ranked.sort_by(|a, b| {
                (a.0, a.1)
                    .cmp(&(b.0, b.1))
                    .then_with(|| views::by_km(a.2, b.2))
                    .then_with(|| name(a.3).cmp(name(b.3)))
            }),
            SortOrder::Distance => ranked.sort_by(|a, b| {
                views::by_km(a.2, b.2)
                    .then_with(|| (a.0, a.1).cmp(&(b.0, b.1)))
                    .then_with(|| name(a.3).cmp(name(b.3)))
            }),
        }
        let limit = request.limit.unwrap_or(DEFAULT_LIMIT) as usize;
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(_, _, _, i)| views::card(&ctx, &index.entries[i]))
            .collect())
    }

    /// Rights articles matching a text, best first (from the projection, not the documents).
    pub fn search_articles(&mut self, query: &str) -> Result<Vec<ArticleSummary>> {
        self.index()?;
        let Some(index) = self.index.as_ref() else {
            return Ok(Vec::new());
        };
        let clauses = plan(query, index);
        let ids = matches(self, index, &clauses, "article")?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM articles WHERE id = ?1")?;
        let mut found = Vec::new();
        for (id, _) in ids.into_iter().take(ARTICLES_LIMIT) {
            let data: Option<String> = stmt.query_row([&id], |r| r.get(0)).optional()?;
            if let Some(article) = data.and_then(|d| serde_json::from_str(&d).ok()) {
                found.push(views::summary(&article, self.locale));
            }
        }
        Ok(found)
    }
}
