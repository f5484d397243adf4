//! End-to-end test of the real app: the Tauri window (driven by WebKitWebDriver under Xvfb)
//! over a fresh store on disk. Run it with scripts/e2e.sh; screenshots go to artifacts/e2e/.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use esv_tests::harness::{App, AppOptions};
use esv_tests::webdriver::{Element, Session, WdError};
use serde_json::{json, Value};

/// A Tuesday, mid-morning in Vitória: the office is open until 17h.
const NOW: &str = "2026-11-24T10:00:00-03:00";
/// The first screen: the app starts, opens a fresh store and loads the bundled catalog.
const START: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_secs(15);
/// The office's card on the home screen.
const OFFICE_CARD: &str = "a.service-card[data-id=\"es-vitoria\"]";
/// Search results (the home screen shows cards too, outside this section).
const RESULT_CARDS: &str = "section[aria-labelledby=\"resultados\"] .service-card";
const OPEN_BADGE: &str = "Aberto agora · fecha às 17h";
/// What "Compartilhar" hands to WhatsApp for the documents service.
/// The date is the service's `reviewed_on` in catalog/data/offices/es-vitoria.toml (checked
/// against its sources on 2026-12-07).
const SHARE_TEXT: &str = "Orientação para tirar documentos\n\
Escritório Social de Vitória\n\
Endereço: Avenida Jerônimo Monteiro, nº 96, Edifício das Repartições Públicas, Centro, Vitória/ES, \
Acesso pela Avenida Beira-Mar\n\
Horário: segunda-feira a sexta-feira, 8h às 17h\n\
Telefone: (27) 3132-5137 / (27) 3222-5572\n\
(Informação do app Escritório Social Virtual; informações conferidas em 07/12/2026)";

/// One scenario run: the app, where screenshots go, and how to fail with everything useful.
struct Run {
    app: App,
    dir: PathBuf,
    shots: usize,
    started: Instant,
}

impl Run {
    fn s(&self) -> &Session {
        self.app.session()
    }

    /// Takes the next numbered screenshot of the whole display.
    fn shot(&mut self, name: &str) {
        self.shots += 1;
        let path = self.dir.join(format!("{:02}-{name}.png", self.shots));
        match self.app.screenshot(&path) {
            Ok(()) => println!(
                "e2e [{:>5.1}s] screenshot {}",
                self.started.elapsed().as_secs_f32(),
                path.display()
            ),
            Err(e) => eprintln!("e2e: screenshot {} failed: {e}", path.display()),
        }
    }

    /// Fails the test: a screenshot of the moment, the page's text, and the app's last output.
    fn fail(&mut self, msg: &str) -> ! {
        self.shot("FAILED");
        let page = self
            .s()
            .page_text()
            .unwrap_or_else(|e| format!("(could not read it: {e})"));
        let page: String = page.chars().take(1500).collect();
        let panics = self.app.panics();
        let panics = if panics.is_empty() {
            String::new()
        } else {
            format!(
                "\n*** the app panicked (a bug in the app, not in this test) ***\n{}\n",
                panics.join("\n")
            )
        };
        panic!(
            "{msg}\n{panics}--- text on the screen ---\n{page}\n{}",
            self.app.log_tail()
        );
    }

    fn ok<T>(&mut self, what: &str, r: Result<T, WdError>) -> T {
        match r {
            Ok(t) => t,
            Err(e) => self.fail(&format!("{what}: {e}")),
        }
    }

    fn check(&mut self, cond: bool, msg: &str) {
        if !cond {
            self.fail(msg);
        }
    }

    fn wait_for(&mut self, css: &str, timeout: Duration) -> Element {
        let r = self.s().wait_for(css, timeout);
        self.ok(&format!("waiting for `{css}`"), r)
    }

    fn wait_for_text(
        &mut self,
        css: &str,
        what: &str,
        ok: impl Fn(&str) -> bool,
    ) -> (Element, String) {
        let r = self.s().wait_for_text(css, STEP, what, ok);
        self.ok(&format!("waiting for `{css}` {what}"), r)
    }

    fn click(&mut self, el: &Element, what: &str) {
        let r = self.s().click(el);
        self.ok(&format!("clicking {what}"), r);
    }

    /// Replaces the search box's text as a person would: clear it, then type.
    fn search(&mut self, query: &str) {
        let input = self.wait_for("input#search", STEP);
        let r = self.s().clear(&input);
        self.ok("clearing the search box", r);
        // WebDriver's clear does not promise an `input` event; the UI listens for it.
        let r = self.s().execute(
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true})); return true;",
            &[input.to_json()],
        );
        self.ok("telling the UI the search box is empty", r);
        if !query.is_empty() {
            let r = self.s().send_keys(&input, query);
            self.ok(&format!("typing {query:?} in the search box"), r);
        }
        println!(
            "e2e [{:>5.1}s] searched {query:?}",
            self.started.elapsed().as_secs_f32()
        );
    }

    /// What the app's backend itself answers for a search, asked as the UI asks it (limit 50):
    /// the service ids in order. The screen must then show exactly these.
    fn backend_search(&mut self, text: &str) -> Vec<String> {
        let r = self.s().execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core
               .invoke('search_services', {request: {text: arguments[0], category: null,
                                                     open_now_only: false, limit: 50}})
               .then(cards => done({ids: cards.map(c => c.id)}),
                     e => done({error: JSON.stringify(e)}));",
            &[json!(text)],
        );
        let answer = self.ok(&format!("asking the backend to search {text:?}"), r);
        match answer.get("ids").and_then(Value::as_array) {
            Some(ids) => ids
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => self.fail(&format!(
                "the backend's search for {text:?} failed: {answer}"
            )),
        }
    }

    /// Searches as a person would, then waits until the screen shows exactly the backend's
    /// results for the whole text (not those of a half-typed word). Returns the cards' texts.
    fn search_and_wait(&mut self, text: &str) -> Vec<String> {
        self.search(text);
        let want = self.backend_search(text);
        let r = self
            .s()
            .wait_until(STEP, &format!("the results of {text:?}: {want:?}"), |s| {
                let mut ids = Vec::new();
                let mut texts = Vec::new();
                for el in s.find_all(RESULT_CARDS)? {
                    ids.push(s.attribute(&el, "data-id")?.unwrap_or_default());
                    texts.push(s.text(&el)?);
                }
                let heading = match s.find("h2#resultados")? {
                    Some(h) => s.text(&h)?,
                    None => String::new(),
                };
                let complete = ids == want && heading == format!("Resultados ({})", want.len());
                Ok(complete.then_some(texts))
            });
        self.ok(&format!("searching {text:?}"), r)
    }

    /// Scrolls an element to the middle of the window, for the next screenshot.
    fn scroll_to(&mut self, el: &Element) {
        let r = self.s().execute(
            "arguments[0].scrollIntoView({block: 'center'}); return true;",
            &[el.to_json()],
        );
        self.ok("scrolling", r);
    }
}

fn app_binary() -> PathBuf {
    let Some(path) = std::env::var_os("ESV_APP") else {
        panic!(
            "ESV_APP is not set: it must be the absolute path of the built app \
             (target/debug/esv-app). Run scripts/e2e.sh, which builds the app and sets it."
        );
    };
    let path = PathBuf::from(path);
    assert!(
        path.is_absolute(),
        "ESV_APP must be an absolute path (WebKitWebDriver launches it), got {}",
        path.display()
    );
    assert!(
        path.is_file(),
        "ESV_APP={} does not exist: build the app first (cargo build -p esv-app) or run scripts/e2e.sh",
        path.display()
    );
    path
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/e2e");
    std::fs::create_dir_all(&dir).expect("create artifacts/e2e");
    // Old screenshots would be confused with this run's.
    for entry in std::fs::read_dir(&dir)
        .expect("read artifacts/e2e")
        .flatten()
    {
        if entry
            .path()
            .extension()
            .is_some_and(|e| e == "png" || e == "log")
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    dir.canonicalize().unwrap_or(dir)
}

#[test]
#[ignore = "needs the built app, Xvfb and WebKitWebDriver: run scripts/e2e.sh"]
fn a_person_finds_the_office_and_reads_a_right() {
    let binary = app_binary();
    let dir = artifacts_dir();
    let store_dir = tempfile::tempdir().expect("temp dir for the store");
    let store = store_dir.path().join("store.db");
    let started = Instant::now();
    // A real sync server: the app pulls the public catalog from it in the background.
    let server = esv_tests::sync_server::TestServer::start();

    let app = App::start(&AppOptions {
        binary,
        env: vec![
            ("ESV_STORE".to_owned(), store.display().to_string()),
            ("ESV_SERVER".to_owned(), server.url.clone()),
            ("ESV_NOW".to_owned(), NOW.to_owned()),
            ("RUST_BACKTRACE".to_owned(), "1".to_owned()),
        ],
        log: dir.join("app.log"),
    })
    .unwrap_or_else(|e| panic!("could not start the app under WebKitWebDriver: {e}"));
    println!(
        "e2e [{:>5.1}s] app started on display :{} (session {})",
        started.elapsed().as_secs_f32(),
        app.display(),
        app.session().id()
    );
    let mut run = Run {
        app,
        dir,
        shots: 0,
        started,
    };

    // 1. The first screen, from a fresh store: the office is listed.
    run.wait_for("input#search", START);
    run.wait_for_text(
        OFFICE_CARD,
        "naming Vitória (the office, on the home screen)",
        |t| t.contains("Vitória"),
    );
    run.check(
        store.is_file(),
        "the app did not create the store at $ESV_STORE",
    );
    run.shot("home");

    // 2. A plain word finds services.
    let found = run.search_and_wait("identidade");
    println!("e2e: \"identidade\" found {} services", found.len());
    run.check(!found.is_empty(), "searching \"identidade\" found nothing");
    run.shot("search-identidade");

    // 3. Typed without accents, the words find what the Vitória office offers, and only that.
    let found = run.search_and_wait("escritorio social vitoria");
    println!(
        "e2e: \"escritorio social vitoria\" found {} services",
        found.len()
    );
    run.check(
        !found.is_empty() && found.iter().all(|c| c.contains("Vitória")),
        &format!("\"escritorio social vitoria\" should find Vitória's services only: {found:#?}"),
    );
    run.shot("search-vitoria");

    // 3a. A typo finds the documents service; its page shares plain text, exactly.
    let found = run.search_and_wait("identidad");
    run.check(
        found
            .iter()
            .any(|c| c.contains("Orientação para tirar documentos")),
        &format!("the typo \"identidad\" should find the documents service: {found:#?}"),
    );
    let card = run.wait_for(
        "section[aria-labelledby=\"resultados\"] a.service-card[data-id=\"es-vitoria-documentos\"]",
        STEP,
    );
    run.click(&card, "the documents service");
    run.wait_for_text("h1#service-name", "naming the documents service", |t| {
        t.contains("Orientação para tirar documentos")
    });
    let share = run.wait_for("#share-button", STEP);
    run.click(&share, "Compartilhar");
    let text_box = run.wait_for("#share-panel:not([hidden]) textarea#share-text", STEP);
    let r = run
        .s()
        .execute("return arguments[0].value;", &[text_box.to_json()]);
    let shared = run.ok("reading the text to share", r);
    run.check(
        shared.as_str() == Some(SHARE_TEXT),
        &format!("the text to share should be exactly\n{SHARE_TEXT}\nbut it is\n{shared}"),
    );
    run.scroll_to(&text_box);
    run.shot("service-share");
    go_home(&mut run);

    // 3b. "Só lugares abertos agora" at the fixed clock (a Tuesday, 10h): every card left says
    //     open, and the places with unknown hours are gone.
    let all = run.search_and_wait("documentos");
    let toggle = run.wait_for("form.search input[type=\"checkbox\"]", STEP);
    run.click(&toggle, "só abertos agora");
    let r = run.s().wait_until(STEP, "only open places listed", |s| {
        let mut badges = Vec::new();
        for el in s.find_all(&format!("{RESULT_CARDS} .badge-text"))? {
            badges.push(s.text(&el)?);
        }
        let done = !badges.is_empty()
            && badges.len() < all.len()
            && badges.iter().all(|b| b.starts_with("Aberto"));
        Ok(done.then_some(badges))
    });
    let open = run.ok("turning on \"só abertos agora\"", r);
    println!(
        "e2e: \"documentos\": {} results, {} open now",
        all.len(),
        open.len()
    );
    run.shot("search-open-now");
    run.click(&toggle, "só abertos agora (off)");
    run.search("");

    // 3c. In Spanish the same screen is translated, the app's own labels too; then back.
    switch_language(&mut run, "es");
    run.wait_for_text("label[for=\"search\"]", "in Spanish", |t| {
        t.contains("¿Qué busca?")
    });
    run.wait_for_text(&format!("{OFFICE_CARD} .badge-text"), "in Spanish", |t| {
        t == "Abierto ahora · cierra a las 17:00"
    });
    run.wait_for_text("h2#preciso", "in Spanish", |t| t.contains("Necesito"));
    run.shot("home-spanish");
    switch_language(&mut run, "pt-BR");
    run.wait_for_text("label[for=\"search\"]", "back in Portuguese", |t| {
        t.contains("O que você procura?")
    });
    run.wait_for_text(
        &format!("{OFFICE_CARD} .badge-text"),
        "back in Portuguese",
        |t| t == OPEN_BADGE,
    );

    // 4. Back on the home screen (search emptied), open the office itself: search results are
    //    services, and only the office's own page is named after Vitória.
    run.search("");
    let (card, _) = run.wait_for_text(OFFICE_CARD, "naming Vitória", |t| t.contains("Vitória"));
    run.click(&card, "the Vitória office card");

    // 5. The office page: its name, the open-now badge at the fixed clock, the weekly hours.
    let (_, name) = run.wait_for_text("h1#service-name", "naming Vitória", |t| {
        t.contains("Vitória")
    });
    println!("e2e: opened {name:?}");
    let (_, badge) =
        run.wait_for_text(".detail .open-badge", "with text", |t| !t.trim().is_empty());
    run.check(
        badge.trim().trim_start_matches(['✓', '✕', '?']).trim() == OPEN_BADGE,
        &format!("at {NOW} the badge should say {OPEN_BADGE:?}, it says {badge:?}"),
    );
    run.shot("office-vitoria");
    let (table, hours) =
        run.wait_for_text("table#hours", "listing the hours", |t| !t.trim().is_empty());
    run.check(
        hours.contains("Segunda-feira") && hours.contains("8h às 17h"),
        &format!("table#hours lacks \"Segunda-feira\" / \"8h às 17h\": {hours:?}"),
    );
    run.scroll_to(&table);
    run.shot("office-vitoria-hours");

    // 6. Rights: from the home screen, the list, then one article with its disclaimer.
    go_home(&mut run);
    let link = run.wait_for("#rights-link", STEP);
    run.click(&link, "#rights-link");
    run.wait_for(".article-card", STEP);
    let articles = run.s().find_all(".article-card");
    let articles = run.ok("listing .article-card", articles);
    println!("e2e: {} rights articles", articles.len());
    run.check(!articles.is_empty(), "the rights list is empty");
    run.shot("rights-list");
    // An article not about the Defensoria itself, so that naming it is the disclaimer's doing.
    let mut chosen = None;
    for el in &articles {
        let r = run.s().text(el);
        let text = run.ok("reading an .article-card", r);
        if !text.contains("Defensoria") {
            chosen = Some((el.clone(), text));
            break;
        }
    }
    let Some((card, card_text)) = chosen else {
        run.fail(
            "every rights article is about the Defensoria Pública: cannot check the disclaimer",
        )
    };
    run.click(&card, "an .article-card");
    let (_, title) =
        run.wait_for_text("h1#article-title", "with a title", |t| !t.trim().is_empty());
    println!("e2e: opened article {title:?}");
    run.check(
        card_text.contains(title.trim()),
        &format!("clicked the card {card_text:?}, but the page's title is {title:?}"),
    );
    run.shot("rights-article");
    let (disclaimer, text) =
        run.wait_for_text("aside.disclaimer", "naming the Defensoria Pública", |t| {
            t.contains("Defensoria Pública")
        });
    println!("e2e: disclaimer {text:?}");
    run.scroll_to(&disclaimer);
    run.shot("rights-article-disclaimer");

    // 5. Back home, the footer says when the data were last brought from the office.
    go_home(&mut run);
    let (bar, text) = run.wait_for_text("#sync-bar .sync-label", "saying it was updated", |t| {
        t.contains("Atualizado hoje")
    });
    println!("e2e: sync bar {text:?}");
    run.scroll_to(&bar);
    run.shot("home-sync-bar");
    drop(server);

    println!("e2e: passed in {:.1}s", started.elapsed().as_secs_f32());
    run.app.stop();
}

/// Picks a language in the top bar's switch, as a person would.
fn switch_language(run: &mut Run, tag: &str) {
    let option = run.wait_for(&format!("select#language option[value=\"{tag}\"]"), STEP);
    run.click(&option, &format!("the language {tag}"));
    // WebKitWebDriver selects the option; make sure the page hears the change.
    let select = run.wait_for("select#language", STEP);
    let r = run.s().execute(
        "arguments[0].value = arguments[1]; \
         arguments[0].dispatchEvent(new Event('change', {bubbles: true})); return true;",
        &[select.to_json(), json!(tag)],
    );
    run.ok("announcing the language change", r);
}

/// Goes back to the home screen as a person would: the page's "← Início" link, else the brand.
fn go_home(run: &mut Run) {
    let link = ["a.back-link[href=\"#/\"]", "a.brand[href=\"#/\"]"]
        .into_iter()
        .find_map(|css| run.s().find(css).ok().flatten().map(|el| (css, el)));
    match link {
        Some((css, el)) => run.click(&el, css),
        None => {
            run.fail("no link back to the home screen (a.back-link or a.brand with href=\"#/\")")
        }
    }
    run.wait_for("#rights-link", STEP);
}
