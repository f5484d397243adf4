//! "Search before create": does what a field worker types match a person the office already
//! knows, and are two person records the same person?
//!
//! Brazilian names have many parts ("Maria Aparecida dos Santos Silva"), particles (da, de, do,
//! das, dos, e), and people give the parts in another order or leave middle names out. Spellings
//! vary (Luiz/Luis, Sousa/Souza, Thiago/Tiago, Ygor/Igor, Kátia/Cátia, Rafaella/Rafaela), accents
//! are dropped and phones invite typos. So every name is turned once, by [`PersonKey::prepare`],
//! into *parts*: folded ([`text::fold`]), particles dropped, and written in a phonetic key in
//! which those variants are equal (see [`phonetic`] below for the rules). Typos beyond that are
//! allowed within [`text::typo_budget`] and measured with [`text::edit_distance`].
//!
//! Two questions are answered on the prepared form:
//!
//! - [`name_score`] / [`Query::score`]: does a query (perhaps still being typed: its last word may
//!   be a prefix) match a person's nome social or civil name? Every typed word must match a
//!   different name part, in any order. Lower scores are better (see [`Query::score`]).
//! - [`likeness`]: are two records [`Likeness::Same`] person, [`Likeness::Different`] people, or
//!   can't we tell ([`Likeness::Maybe`])? Names decide who *may* be the same; the birth date and
//!   the mother's name tell namesakes apart.
//!
//! One rule is deliberately stricter than the typo budget: a typo may not change the final
//! "a" of a name (Mario/Maria, Paulo/Paula, Gabriel/Gabriela, Fernando/Fernanda). Those pairs are
//! one edit apart but are different names, usually of different people — twins share a birth
//! date and a mother, so nothing else would tell them apart.
//!
//! Cost: preparing a person is done once (a few small allocations). [`Query::score`] is
//! O(words × parts) comparisons of short strings plus a tiny assignment search (words ≤
//! [`MAX_WORDS`], parts ≤ [`MAX_PARTS`]); it allocates nothing, except inside
//! [`text::edit_distance`] for the few word pairs that pass the cheap length and letter-set
//! filters. A scan of N people is O(N); most people are rejected on the first typed word.

use crate::text;
use chrono::{Datelike, NaiveDate};

/// What is known to tell whether two records are the same person. Empty strings count as absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonKey {
    /// The nome social: the name the person chose, shown before (instead of) the civil name.
    pub social_name: Option<String>,
    pub civil_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub mother_name: Option<String>,
}

impl PersonKey {
    /// The name to show: the nome social when there is one, else the civil name.
    pub fn shown_name(&self) -> Option<&str> {
        present(&self.social_name).or_else(|| present(&self.civil_name))
    }

    /// The form that is matched; make it once per person, not once per keystroke.
    pub fn prepare(&self) -> Prepared {
        Prepared {
            social: present(&self.social_name).map(Name::new),
            civil: present(&self.civil_name).map(Name::new),
            birth_date: self.birth_date,
            mother: present(&self.mother_name).map(Name::new),
        }
    }
}

fn present(name: &Option<String>) -> Option<&str> {
    name.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A person's names as phonetic parts, ready to be compared many times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    social: Option<Name>,
    civil: Option<Name>,
    birth_date: Option<NaiveDate>,
    mother: Option<Name>,
}

impl Prepared {
    /// The names a query may match: nome social first.
    fn names(&self) -> impl Iterator<Item = &Name> {
        self.social.iter().chain(self.civil.iter())
    }
}

/// At most this many parts of a name take part in matching (more are very rare).
pub const MAX_PARTS: usize = 16;
/// At most this many words of a query (or of the shorter name in [`likeness`]) are matched.
pub const MAX_WORDS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Name {
    parts: Vec<Part>,
}

impl Name {
    fn new(text: &str) -> Name {
        let folded = fold_name(text);
        let mut parts: Vec<Part> = words(&folded)
            .filter(|w| !is_particle(w))
            .filter_map(Part::new)
            .collect();
        parts.truncate(MAX_PARTS);
        Name { parts }
    }
}

/// One name part (or typed word): its phonetic key, which is what is compared, and its plain
/// folded spelling. Typos are counted on both, the smaller wins: a slip next to a letter whose
/// sound depends on its neighbour ("nogeuira" for "nogueira") costs one edit plainly but three
/// in the key.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    key: Spelling,
    /// `None` when it is the same as the key (most names).
    plain: Option<Spelling>,
    budget: u8,
    ends_in_a: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Spelling {
    text: Box<str>,
    /// Letters present (bit 0 = 'a' … bit 25 = 'z', bit 26 = anything else): a cheap lower
    /// bound on the edit distance before the real one is computed.
    letters: u32,
    chars: u8,
    /// The first 8 bytes, zero-padded: most comparisons are decided here without a `memcmp`.
    head: u64,
}

impl Spelling {
    fn new(text: String) -> Spelling {
        let letters = text.chars().fold(0, |m, c| m | letter_bit(Some(c)));
        let chars = u8::try_from(text.chars().count()).unwrap_or(u8::MAX);
        let mut head = [0u8; 8];
        for (slot, b) in head.iter_mut().zip(text.bytes()) {
            *slot = b;
        }
        Spelling {
            text: text.into_boxed_str(),
            letters,
            chars,
            head: u64::from_le_bytes(head),
        }
    }

    fn equals(&self, other: &Spelling) -> bool {
        self.head == other.head && self.text == other.text
    }

    fn is_prefix_of(&self, other: &Spelling) -> bool {
        let len = self.text.len();
        if len < 8 {
            let mask = (1u64 << (8 * len)) - 1;
            other.head & mask == self.head
        } else {
            self.head == other.head && other.text.starts_with(&*self.text)
        }
    }

    /// Edits from `self` to `other` within `budget`, or `None`.
    fn typos(&self, other: &Spelling, budget: usize) -> Option<u32> {
        if usize::from(self.chars.abs_diff(other.chars)) > budget {
            return None;
        }
        // Each edit adds at most one letter to each side of the set difference.
        let only_self = (self.letters & !other.letters).count_ones();
        let only_other = (other.letters & !self.letters).count_ones();
        if usize::try_from(only_self.max(only_other)).unwrap_or(usize::MAX) > budget {
            return None;
        }
        text::edit_distance(&self.text, &other.text, budget).and_then(|d| u32::try_from(d).ok())
    }

    /// Edits from `self` (being typed) to the best proper prefix of `other` that ends in the
    /// same letter as `self`.
    fn prefix_typos(&self, other: &Spelling, budget: usize) -> Option<u32> {
        let len = usize::from(self.chars);
        let last = self.text.chars().next_back()?;
        let fits = |letters: u32| {
            usize::try_from((self.letters & !letters).count_ones()).unwrap_or(usize::MAX) <= budget
        };
        // No prefix has letters the whole word lacks.
        if !fits(other.letters) {
            return None;
        }
        let mut best: Option<u32> = None;
        // The letters of the prefix so far: as in `typos`, each edit leaves at most one letter
        // of `self` out of it.
        let mut letters = 0u32;
        let mut previous = None;
        // The n-th index (from 0) ends a prefix of n characters.
        for (n, (end, c)) in other.text.char_indices().enumerate() {
            let prefix_last = previous.replace(c);
            letters |= letter_bit(prefix_last);
            if n > len + budget {
                break;
            }
            if n + budget < len || prefix_last != Some(last) {
                continue;
            }
            if !fits(letters) {
                continue;
            }
            let prefix = &other.text[..end];
            if let Some(d) = text::edit_distance(&self.text, prefix, budget) {
                let d = u32::try_from(d).unwrap_or(u32::MAX);
                best = Some(best.map_or(d, |b| b.min(d)));
            }
        }
        best
    }
}

fn letter_bit(c: Option<char>) -> u32 {
    match c {
        Some(c @ 'a'..='z') => 1 << (c as u32 - 'a' as u32),
        Some(_) => 1 << 26,
        None => 0,
    }
}

fn min_some(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Part {
    fn new(folded: &str) -> Option<Part> {
        let key = phonetic(folded);
        if key.is_empty() {
            return None;
        }
        let budget = u8::try_from(text::typo_budget(&key)).unwrap_or(u8::MAX);
        let ends_in_a = key.ends_with('a');
        let plain = (key != folded).then(|| Spelling::new(folded.to_owned()));
        Some(Part {
            key: Spelling::new(key),
            plain,
            budget,
            ends_in_a,
        })
    }

    fn plain(&self) -> &Spelling {
        self.plain.as_ref().unwrap_or(&self.key)
    }

    /// Typos from `self` to `other` within `budget`, or `None`. Never 0: equal keys are
    /// compared before.
    fn typos(&self, other: &Part, budget: u8) -> Option<u32> {
        if budget == 0 || self.ends_in_a != other.ends_in_a {
            return None;
        }
        let budget = usize::from(budget);
        let key = self.key.typos(&other.key, budget);
        if key == Some(1) || (self.plain.is_none() && other.plain.is_none()) {
            return key;
        }
        min_some(key, self.plain().typos(other.plain(), budget)).filter(|&d| d > 0)
    }

    /// Typos from `self` (being typed) to the best proper prefix of `other` that ends in the
    /// same letter as `self`: "aprec" → "aparec(ida)". Requiring the same last letter keeps
    /// "mario" from being read as a slip on the way to "mari(ana)".
    fn prefix_typos(&self, other: &Part) -> Option<u32> {
        let budget = usize::from(self.budget);
        if budget == 0 || self.key.chars < 4 {
            return None;
        }
        let key = self.key.prefix_typos(&other.key, budget);
        if key == Some(1) || (self.plain.is_none() && other.plain.is_none()) {
            return key;
        }
        min_some(key, self.plain().prefix_typos(other.plain(), budget))
    }
}

/// The words of a folded text: hyphens and apostrophes separate them too (Ana-Maria, D'Ávila).
fn words(folded: &str) -> impl Iterator<Item = &str> + '_ {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// [`text::fold`], with "ç" read as "s" first (Conceição, Assunção): folding alone would make it
/// a hard "c". Not [`text::tokens`]: its stopwords ("a", "o", "la", "se"…) are not name particles.
fn fold_name(text: &str) -> String {
    text::fold(&text.replace(['ç', 'Ç'], "s"))
}

/// Particles of Portuguese (and Spanish) names: they carry nothing that tells people apart and
/// are often left out. "d" comes from "D'Ávila".
const PARTICLES: &[&str] = &["d", "da", "das", "de", "del", "do", "dos", "e", "y"];

fn is_particle(folded: &str) -> bool {
    PARTICLES.contains(&folded)
}

/// The phonetic key of one folded word, where the common Brazilian spelling variants are equal:
///
/// - silent or spelling-only letters: "ph" → f (Raphael), "th" → t (Thiago), "h" alone is
///   dropped (Helena/Elena, Jhonatan); "lh", "nh" stay; "ch" and "sh" → x (Sacha/Saxa) but
///   "chr"/"chl" → cr/cl (Christiane);
/// - "y" → i (Ygor, Sidney), "w" → v (Wagner, Oswaldo), "z" → s (Souza, Luiz, Tereza), "k" → c
///   (Kátia), "c" before e/i → s (Cíntia/Síntia), "qu" before e/i → c and "q" → c (Henrique/
///   Henrike), "g" before e/i → j (Géssica/Jéssica), the silent "u" of "gue/gui" dropped;
/// - "e" → i except as the first letter (Felipe/Filipe, Daiane/Daiani, Sidnei/Sidney), since
///   unstressed e and i sound alike; a first e/i is kept apart (Eva, Iva);
/// - doubled letters are written once (Rafaella, Anna, Mattos, Nascimento/Nasimento).
///
/// The key is only compared, never shown.
fn phonetic(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::with_capacity(folded.len());
    let push = |out: &mut String, c: char| {
        if !out.ends_with(c) {
            out.push(c);
        }
    };
    let at = |i: usize| chars.get(i).copied();
    let soft = |c: Option<char>| matches!(c, Some('e' | 'i' | 'y'));
    let mut i = 0;
    while let Some(c) = at(i) {
        let next = at(i + 1);
        let mut step = 1;
        match (c, next) {
            ('p', Some('h')) => {
                push(&mut out, 'f');
                step = 2;
            }
            ('t', Some('h')) => {
                push(&mut out, 't');
                step = 2;
            }
            ('c', Some('h')) if matches!(at(i + 2), Some('r' | 'l')) => {
                push(&mut out, 'c');
                step = 2;
            }
            ('c' | 's', Some('h')) => {
                push(&mut out, 'x');
                step = 2;
            }
            ('l' | 'n', Some('h')) => {
                push(&mut out, c);
                out.push('h');
                step = 2;
            }
            ('h', _) => {}
            ('c', n) if soft(n) => push(&mut out, 's'),
            ('k', _) => push(&mut out, 'c'),
            ('q', Some('u')) if soft(at(i + 2)) => {
                push(&mut out, 'c');
                step = 2;
            }
            ('q', _) => push(&mut out, 'c'),
            ('g', Some('u')) if soft(at(i + 2)) => {
                push(&mut out, 'g');
                step = 2;
            }
            ('g', n) if soft(n) => push(&mut out, 'j'),
            ('w', _) => push(&mut out, 'v'),
            ('z', _) => push(&mut out, 's'),
            ('y', _) => push(&mut out, 'i'),
            ('e', _) if !out.is_empty() => push(&mut out, 'i'),
            (other, _) => push(&mut out, other),
        }
        i += step;
    }
    out
}

// Scores of a query word (lower is better). A typo costs more than any amount of "still
// typing" or "order differs", so a clean match always ranks first.
const PREFIX: u32 = 4;
const INITIAL: u32 = 4;
const PER_TYPO: u32 = 10;
const INVERSION: u32 = 2;
const UNMATCHED_PART: u32 = 1;

const NO: u16 = u16::MAX;

/// A query prepared once per keystroke, to score many people.
#[derive(Clone, Debug)]
pub struct Query {
    words: Vec<Part>,
    /// The last word is still being typed (no space after it): it may be a prefix.
    last_partial: bool,
    /// The last word may be the start of a particle ("maria d", "maria do"): it may match nothing.
    last_optional: bool,
    /// The key of the last word without its last letter, when that letter's sound depends on
    /// the next one ("ce" is "s…" but "c" alone is not yet): it may be a prefix too.
    last_stem: Option<Part>,
}

impl Query {
    pub fn new(query: &str) -> Query {
        let folded = fold_name(query);
        let ends_open = folded
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let all: Vec<&str> = words(&folded).collect();
        let mut words = Vec::new();
        let mut last_partial = false;
        let mut last_optional = false;
        let mut last_stem = None;
        for (i, w) in all.iter().enumerate() {
            let is_last = i + 1 == all.len();
            if is_last && ends_open {
                if let Some(part) = Part::new(w) {
                    last_optional = PARTICLES.iter().any(|p| p.starts_with(w));
                    last_stem = w
                        .strip_suffix(['c', 'g', 'h', 'l', 'n', 'p', 'q', 's', 't', 'u'])
                        .and_then(Part::new);
                    last_partial = true;
                    words.push(part);
                }
            } else if !is_particle(w) {
                words.extend(Part::new(w));
            }
        }
        if words.len() == 1 {
            // "de" alone is the start of Débora, not a particle.
            last_optional = false;
        }
        if words.len() > MAX_WORDS {
            words.truncate(MAX_WORDS);
            last_partial = false;
            last_optional = false;
            last_stem = None;
        }
        Query {
            words,
            last_partial,
            last_optional,
            last_stem,
        }
    }

    /// How well this query matches the person's nome social or civil name, the better of the
    /// two; `None` when it matches neither. **Lower is better**; 0 is every word equal to a part
    /// in the person's order with no part left over. Each word adds 0 (equal in the phonetic
    /// key), 4 (a prefix of a part, or an initial) or 10 per typo; each pair of words in a
    /// different order from the name adds 2; each name part no word matched adds 1.
    ///
    /// Allocation-free except inside [`text::edit_distance`] for candidate typos.
    pub fn score(&self, person: &Prepared) -> Option<u32> {
        let n = self.words.len();
        if n == 0 || (n == 1 && self.last_optional) {
            return None;
        }
        person
            .names()
            .filter_map(|name| {
                let optional = self.last_optional.then_some(n - 1);
                let partial = self
                    .last_partial
                    .then_some((n - 1, self.last_stem.as_ref()));
                assign(&self.words, partial, optional, &name.parts)
            })
            .min()
    }
}

/// [`Query::new`]`(query).score(person)`: see [`Query::score`]. To scan many people, make the
/// [`Query`] once.
pub fn name_score(query: &str, person: &Prepared) -> Option<u32> {
    Query::new(query).score(person)
}

/// The cost of `word` matching `part`, or [`NO`]. A `partial` word is still being typed; its
/// stem is described at [`Query`].
fn word_cost(word: &Part, partial: Option<Option<&Part>>, part: &Part) -> u16 {
    if word.key.equals(&part.key) {
        return 0;
    }
    if let Some(stem) = partial {
        let starts = |w: &Part| w.key.is_prefix_of(&part.key);
        if starts(word) || stem.is_some_and(starts) {
            return PREFIX as u16;
        }
    }
    let partial = partial.is_some();
    let initial = |a: &Part, b: &Part| a.key.chars == 1 && a.key.is_prefix_of(&b.key);
    if initial(word, part) || (!partial && initial(part, word)) {
        return INITIAL as u16;
    }
    // The budget of the shorter word: typos are as likely on either side.
    let full = word.typos(part, word.budget.min(part.budget));
    let prefix = if partial {
        word.prefix_typos(part).map(|d| PREFIX + d * PER_TYPO)
    } else {
        None
    };
    match (full.map(|d| d * PER_TYPO), prefix) {
        (Some(a), Some(b)) => a.min(b) as u16,
        (Some(a), None) | (None, Some(a)) => a as u16,
        (None, None) => NO,
    }
}

/// The best assignment of each word to a different part: the lowest total cost, or `None` when
/// some (non-optional) word matches no part.
fn assign(
    words: &[Part],
    partial: Option<(usize, Option<&Part>)>,
    optional: Option<usize>,
    parts: &[Part],
) -> Option<u32> {
    let words = &words[..words.len().min(MAX_WORDS)];
    let parts = &parts[..parts.len().min(MAX_PARTS)];
    let mut costs = [[NO; MAX_PARTS]; MAX_WORDS];
    for (w, word) in words.iter().enumerate() {
        let row = &mut costs[w];
        let mut any = false;
        for (p, part) in parts.iter().enumerate() {
            let typing = partial.and_then(|(i, stem)| (i == w).then_some(stem));
            row[p] = word_cost(word, typing, part);
            any |= row[p] != NO;
        }
        if !any && optional != Some(w) {
            return None;
        }
    }
    let mut search = Search {
        costs: &costs,
        words: words.len(),
        parts: parts.len(),
        optional,
        chosen: [u8::MAX; MAX_WORDS],
        best: u32::MAX,
    };
    search.run(0, 0, 0);
    (search.best != u32::MAX).then_some(search.best)
}

struct Search<'a> {
    costs: &'a [[u16; MAX_PARTS]; MAX_WORDS],
    words: usize,
    parts: usize,
    optional: Option<usize>,
    /// The part chosen for each word so far (`u8::MAX`: none).
    chosen: [u8; MAX_WORDS],
    best: u32,
}

impl Search<'_> {
    fn run(&mut self, w: usize, used: u32, sum: u32) {
        if sum >= self.best {
            return;
        }
        if w == self.words {
            let total = sum + self.inversions() * INVERSION + self.unmatched(used) * UNMATCHED_PART;
            self.best = self.best.min(total);
            return;
        }
        for p in 0..self.parts {
            let cost = self.costs[w][p];
            if cost != NO && used & (1 << p) == 0 {
                self.chosen[w] = p as u8;
                self.run(w + 1, used | (1 << p), sum + u32::from(cost));
            }
        }
        if self.optional == Some(w) {
            self.chosen[w] = u8::MAX;
            self.run(w + 1, used, sum);
        }
    }

    fn inversions(&self) -> u32 {
        let chosen = &self.chosen[..self.words];
        let mut n = 0;
        for (i, &a) in chosen.iter().enumerate() {
            for &b in &chosen[i + 1..] {
                n += u32::from(a != u8::MAX && b != u8::MAX && a > b);
            }
        }
        n
    }

    fn unmatched(&self, used: u32) -> u32 {
        self.parts as u32 - used.count_ones()
    }
}

/// Whether two records are the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Likeness {
    /// Names match and the birth date is the same (or differs by a day/month swap or one
    /// mistyped digit while the mothers' names agree).
    Same,
    /// Names match but nothing settles it (no date to compare, or a near date without the
    /// mother's name to confirm it): ask the person.
    Maybe,
    /// Names, birth dates or mothers' names clearly differ.
    Different,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum NameAgreement {
    /// The names do not match.
    No,
    /// One side has no name at all.
    Unknown,
    /// A one-part name matches a part of the other: too little to be sure.
    Partial,
    /// Every part of the shorter name (two or more parts) matches a part of the other.
    Full,
}

fn agree(a: &Name, b: &Name) -> NameAgreement {
    let (short, long) = if a.parts.len() <= b.parts.len() {
        (a, b)
    } else {
        (b, a)
    };
    if short.parts.is_empty() {
        return NameAgreement::Unknown;
    }
    if short.parts.len() > MAX_WORDS || assign(&short.parts, None, None, &long.parts).is_none() {
        return NameAgreement::No;
    }
    if short.parts.len() >= 2 {
        NameAgreement::Full
    } else {
        NameAgreement::Partial
    }
}

/// The best agreement between any name of `a` and any name of `b`: people are registered under
/// their nome social or their civil name.
fn names_agree(a: &Prepared, b: &Prepared) -> NameAgreement {
    let mut best = None;
    for x in a.names() {
        for y in b.names() {
            let now = agree(x, y);
            best = Some(best.map_or(now, |b: NameAgreement| b.max(now)));
        }
    }
    best.unwrap_or(NameAgreement::Unknown)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Agreement {
    Equal,
    /// Close enough to be a slip, not enough to be sure.
    Near,
    Unknown,
    Differ,
}

fn dates_agree(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Agreement {
    let (Some(a), Some(b)) = (a, b) else {
        return Agreement::Unknown;
    };
    if a == b {
        return Agreement::Equal;
    }
    let swapped = a.year() == b.year() && a.day() == b.month() && a.month() == b.day();
    let digits = |d: NaiveDate| {
        let (day, month, year) = (d.day(), d.month(), d.year().unsigned_abs());
        [
            day / 10,
            day % 10,
            month / 10,
            month % 10,
            year / 1000 % 10,
            year / 100 % 10,
            year / 10 % 10,
            year % 10,
        ]
    };
    let one_digit = digits(a)
        .iter()
        .zip(digits(b))
        .filter(|(x, y)| **x != *y)
        .count()
        == 1;
    if swapped || one_digit {
        Agreement::Near
    } else {
        Agreement::Differ
    }
}

/// Mothers' names: agreeing when one (of two parts or more) matches the other; unknown when
/// only the first names match (a surname changed by marriage, or left out) or a side is
/// missing; different otherwise.
fn mothers_agree(a: Option<&Name>, b: Option<&Name>) -> Agreement {
    let (Some(a), Some(b)) = (a, b) else {
        return Agreement::Unknown;
    };
    match agree(a, b) {
        NameAgreement::Full => Agreement::Equal,
        NameAgreement::Unknown => Agreement::Unknown,
        NameAgreement::Partial | NameAgreement::No => match (a.parts.first(), b.parts.first()) {
            (Some(x), Some(y)) if word_cost(x, None, y) != NO => Agreement::Unknown,
            _ => Agreement::Differ,
        },
    }
}

/// Whether two records are the same person. Symmetric. See [`Likeness`] for the rules; the
/// names match when every part of the shorter name matches a different part of the longer
/// one, in any order, through either's nome social or civil name.
pub fn likeness(a: &Prepared, b: &Prepared) -> Likeness {
    let names = names_agree(a, b);
    if names == NameAgreement::No {
        return Likeness::Different;
    }
    let date = dates_agree(a.birth_date, b.birth_date);
    let mother = mothers_agree(a.mother.as_ref(), b.mother.as_ref());
    if date == Agreement::Differ || mother == Agreement::Differ {
        return Likeness::Different;
    }
    match (names, date, mother) {
        (NameAgreement::Full, Agreement::Equal, _)
        | (NameAgreement::Full, Agreement::Near, Agreement::Equal) => Likeness::Same,
        _ => Likeness::Maybe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phonetic_variants_share_a_key() {
        let same = [
            ("luiz", "luis"),
            ("sousa", "souza"),
            ("thiago", "tiago"),
            ("felipe", "filipe"),
            ("phelipe", "filipe"),
            ("ygor", "igor"),
            ("katia", "catia"),
            ("rafaella", "rafaela"),
            ("anna", "ana"),
            ("helena", "elena"),
            ("jhonatan", "jonathan"),
            ("wagner", "vagner"),
            ("sidney", "sidnei"),
            ("gessica", "jessica"),
            ("christiane", "cristiane"),
            ("nascimento", "nasimento"),
            ("henrique", "henrike"),
        ];
        for (a, b) in same {
            assert_eq!(phonetic(a), phonetic(b), "{a} / {b}");
        }
        let apart = [("eva", "iva"), ("maria", "mario"), ("ana", "joana")];
        for (a, b) in apart {
            assert_ne!(phonetic(a), phonetic(b), "{a} / {b}");
        }
    }

    #[test]
    fn cedilla_is_soft() {
        let key = |n: &str| -> Vec<Box<str>> {
            Name::new(n).parts.into_iter().map(|p| p.key.text).collect()
        };
        assert_eq!(key("Conceição"), key("Conseisão"), "ç reads as s");
    }
}
