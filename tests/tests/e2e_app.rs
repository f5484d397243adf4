//! End-to-end test of the real app: the Tauri window (driven by WebKitWebDriver under Xvfb)
//! over a fresh store on disk. Run it with scripts/e2e.sh; screenshots go to artifacts/e2e/.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use esv_tests::harness::{App, AppOptions};
use esv_tests::webdriver::{Element, Session, WdError};

/// A Tuesday, mid-morning in Vitória: the office is open until 17h.
const NOW: &str = "2026-11-24T10:00:00-03:00";
/// The first screen: the app starts, opens a fresh store and loads the bundled catalog.
const START: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_secs(15);

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

    fn text(&mut self, el: &Element) -> String {
        let r = self.s().text(el);
        self.ok("reading an element's text", r)
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

    /// Every `.service-card` currently shown, with its text.
    fn cards(&mut self) -> Vec<(Element, String)> {
        let r = self.s().find_all(".service-card");
        let els = self.ok("listing .service-card", r);
        let mut out = Vec::new();
        for el in els {
            match self.s().text(&el) {
                Ok(t) => out.push((el, t)),
                Err(_) => continue, // re-rendered meanwhile
            }
        }
        out
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

    let app = App::start(&AppOptions {
        binary,
        env: vec![
            ("ESV_STORE".to_owned(), store.display().to_string()),
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
        ".service-card",
        "naming Vitória (the office on the home screen)",
        |t| t.contains("Vitória"),
    );
    run.check(
        store.is_file(),
        "the app did not create the store at $ESV_STORE",
    );
    run.shot("home");

    // 2. A search by a plain word finds services.
    run.search("identidade");
    run.wait_for(".service-card", STEP);
    let results = run.cards();
    println!("e2e: 'identidade' found {} cards", results.len());
    run.check(
        !results.is_empty(),
        "searching 'identidade' showed no .service-card",
    );
    run.shot("search-identidade");

    // 3. A search without accents finds what the Vitória office offers.
    run.search("escritorio social vitoria");
    run.wait_for_text(".service-card", "naming Vitória", |t| {
        t.contains("Vitória")
    });
    run.shot("search-vitoria");

    // 4. Back on the home screen (empty search), open the office itself.
    run.search("");
    let (card, _) = run.wait_for_text(
        "a.service-card[data-id=\"es-vitoria\"]",
        "(the office card) naming Vitória",
        |t| t.contains("Vitória"),
    );
    run.click(&card, "the Vitória office card");

    // 5. The office page: name, weekly hours, and the open-now badge at the fixed clock.
    let title = run.wait_for("h1#service-name", STEP);
    let name = run.text(&title);
    run.check(
        name.contains("Vitória"),
        &format!("the page's name is {name:?}, not Vitória's office"),
    );
    let (_, hours) =
        run.wait_for_text("table#hours", "listing the hours", |t| !t.trim().is_empty());
    run.check(
        hours.contains("Segunda-feira") && hours.contains("8h às 17h"),
        &format!("table#hours lacks \"Segunda-feira\" / \"8h às 17h\": {hours:?}"),
    );
    let (_, badge) = run.wait_for_text(".open-badge", "with text", |t| !t.trim().is_empty());
    run.check(
        badge.trim() == "Aberto agora · fecha às 17h",
        &format!(
            "at {NOW} the badge should say \"Aberto agora · fecha às 17h\", it says {badge:?}"
        ),
    );
    run.shot("office-vitoria");

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
    let first = articles[0].clone();
    run.click(&first, "the first .article-card");
    let (_, article_title) =
        run.wait_for_text("h1#article-title", "with a title", |t| !t.trim().is_empty());
    println!("e2e: opened article {article_title:?}");
    let page = run
        .s()
        .wait_until(STEP, "the page to mention the Defensoria Pública", |s| {
            let text = s.page_text()?;
            Ok(text.contains("Defensoria Pública").then_some(text))
        });
    run.ok("reading the article", page);
    run.shot("rights-article");

    println!("e2e: passed in {:.1}s", started.elapsed().as_secs_f32());
    run.app.stop();
}

/// Goes back to the home screen: the UI's home link if it has one, else browser history.
fn go_home(run: &mut Run) {
    let link = ["#home-link", "a[href=\"#/\"]", "a[href=\"/\"]"]
        .into_iter()
        .find_map(|css| run.s().find(css).ok().flatten().map(|el| (css, el)));
    match link {
        Some((css, el)) => run.click(&el, css),
        None => {
            let r = run.s().execute("history.back(); return true;", &[]);
            run.ok("going back", r);
        }
    }
    run.wait_for("#rights-link", STEP);
}
