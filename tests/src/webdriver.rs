//! A tiny blocking W3C WebDriver client (ureq + serde_json): just what the end-to-end test uses.

use std::fmt;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key under which W3C WebDriver returns an element reference.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How often the `wait_*` helpers poll.
const POLL: Duration = Duration::from_millis(100);

/// What can go wrong talking to the driver.
#[derive(Debug, Clone)]
pub enum WdError {
    /// The driver answered with a W3C error (`no such element`, `stale element reference`, …).
    Driver {
        status: u16,
        error: String,
        message: String,
    },
    /// The request never got an answer, or the answer was not JSON.
    Transport(String),
    /// A `wait_*` helper ran out of time.
    Timeout(String),
}

impl WdError {
    fn is(&self, name: &str) -> bool {
        matches!(self, WdError::Driver { error, .. } if error == name)
    }
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WdError::Driver {
                status,
                error,
                message,
            } => {
                write!(f, "WebDriver error {status} {error}: {message}")
            }
            WdError::Transport(m) => write!(f, "WebDriver transport error: {m}"),
            WdError::Timeout(m) => write!(f, "timed out: {m}"),
        }
    }
}

impl std::error::Error for WdError {}

pub type Result<T> = std::result::Result<T, WdError>;

/// A reference to an element in the current page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element(pub String);

impl Element {
    fn from_value(v: &Value) -> Result<Element> {
        v.get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .map(|s| Element(s.to_owned()))
            .ok_or_else(|| WdError::Transport(format!("not an element reference: {v}")))
    }

    /// The element as a script argument.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

/// One raw request to a WebDriver server: returns the `value` of the answer.
fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Result<Value> {
    let transport = |e: ureq::Error| WdError::Transport(format!("{method} {url}: {e}"));
    let mut response = match (method, body) {
        ("GET", _) => agent.get(url).call().map_err(transport)?,
        ("DELETE", _) => agent.delete(url).call().map_err(transport)?,
        (_, body) => agent
            .post(url)
            .send_json(body.cloned().unwrap_or_else(|| json!({})))
            .map_err(transport)?,
    };
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| WdError::Transport(format!("{method} {url}: reading the answer: {e}")))?;
    let parsed: Value = serde_json::from_str(&text).map_err(|e| {
        WdError::Transport(format!("{method} {url}: answer is not JSON ({e}): {text}"))
    })?;
    let value = parsed.get("value").cloned().unwrap_or(Value::Null);
    if status >= 400 {
        let field = |k: &str| {
            value
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        return Err(WdError::Driver {
            status,
            error: field("error"),
            message: field("message"),
        });
    }
    Ok(value)
}

/// The bytes of a base64 PNG the driver returned (a string, or CDP's `{"data": …}`).
pub fn decode_png(v: &Value) -> Result<Vec<u8>> {
    use base64::Engine as _;
    let text = v
        .as_str()
        .or_else(|| v.get("data").and_then(Value::as_str))
        .ok_or_else(|| WdError::Transport(format!("screenshot: not a base64 string: {v}")))?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| WdError::Transport(format!("screenshot: bad base64: {e}")))
}

/// Whether the server at `base` (e.g. `http://127.0.0.1:4444`) answers `/status` yet.
pub fn is_ready(base: &str) -> bool {
    request(
        &agent(Duration::from_secs(2)),
        "GET",
        &format!("{base}/status"),
        None,
    )
    .is_ok()
}

/// An open WebDriver session.
#[derive(Debug)]
pub struct Session {
    base: String,
    id: String,
    agent: ureq::Agent,
    deleted: bool,
}

impl Session {
    /// `POST /session` with these capabilities (the whole body, `{"capabilities": …}`).
    pub fn new(base: &str, capabilities: &Value) -> Result<Session> {
        let agent = agent(Duration::from_secs(60));
        let value = request(
            &agent,
            "POST",
            &format!("{base}/session"),
            Some(capabilities),
        )?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| WdError::Transport(format!("new session: no sessionId in {value}")))?
            .to_owned();
        Ok(Session {
            base: base.to_owned(),
            id,
            agent,
            deleted: false,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        request(&self.agent, method, &url, body.as_ref())
    }

    /// The first element matching a CSS selector, or `None`.
    pub fn find(&self, css: &str) -> Result<Option<Element>> {
        match self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        ) {
            Ok(v) => Element::from_value(&v).map(Some),
            Err(e) if e.is("no such element") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every element matching a CSS selector.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        v.as_array()
            .ok_or_else(|| WdError::Transport(format!("find elements: not a list: {v}")))?
            .iter()
            .map(Element::from_value)
            .collect()
    }

    pub fn click(&self, el: &Element) -> Result<()> {
        self.cmd("POST", &format!("/element/{}/click", el.0), None)
            .map(drop)
    }

    pub fn clear(&self, el: &Element) -> Result<()> {
        self.cmd("POST", &format!("/element/{}/clear", el.0), None)
            .map(drop)
    }

    pub fn send_keys(&self, el: &Element, text: &str) -> Result<()> {
        self.cmd(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({"text": text})),
        )
        .map(drop)
    }

    /// The rendered text of an element.
    pub fn text(&self, el: &Element) -> Result<String> {
        let v = self.cmd("GET", &format!("/element/{}/text", el.0), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, el: &Element, name: &str) -> Result<Option<String>> {
        let v = self.cmd("GET", &format!("/element/{}/attribute/{name}", el.0), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Runs a synchronous script (`return …;`) with arguments; returns its result.
    pub fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an asynchronous script: it ends by calling its last argument with the result.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// `POST /url`: loads a page and waits for it (the driver's page-load strategy).
    pub fn goto(&self, url: &str) -> Result<()> {
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    /// How long `execute_async` scripts may take before the driver gives up on them.
    pub fn set_script_timeout(&self, timeout: Duration) -> Result<()> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        self.cmd("POST", "/timeouts", Some(json!({ "script": ms })))
            .map(drop)
    }

    /// `GET /screenshot`: the viewport as PNG bytes.
    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        let v = self.cmd("GET", "/screenshot", None)?;
        decode_png(&v)
    }

    /// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`); other
    /// drivers answer "unknown command".
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// The text of the whole page.
    pub fn page_text(&self) -> Result<String> {
        let v = self.execute("return document.body ? document.body.innerText : '';", &[])?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Polls `probe` until it returns `Some`, or fails after `timeout` saying what was awaited.
    /// A stale element while polling (the page re-rendered) just means "try again".
    pub fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut probe: impl FnMut(&Session) -> Result<Option<T>>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        let mut last_error = None;
        loop {
            match probe(self) {
                Ok(Some(t)) => return Ok(t),
                Ok(None) => {}
                Err(e) if e.is("stale element reference") || e.is("no such element") => {
                    last_error = Some(e);
                }
                Err(e) => return Err(e),
            }
            if Instant::now() >= deadline {
                let extra = last_error
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default();
                return Err(WdError::Timeout(format!("{what} after {timeout:?}{extra}")));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for an element matching `css` to exist.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        self.wait_until(timeout, &format!("an element matching `{css}`"), |s| {
            s.find(css)
        })
    }

    /// Waits for an element matching `css` whose text satisfies `ok`; returns it and its text.
    pub fn wait_for_text(
        &self,
        css: &str,
        timeout: Duration,
        what: &str,
        ok: impl Fn(&str) -> bool,
    ) -> Result<(Element, String)> {
        self.wait_until(timeout, &format!("`{css}` {what}"), |s| {
            for el in s.find_all(css)? {
                let text = s.text(&el)?;
                if ok(&text) {
                    return Ok(Some((el, text)));
                }
            }
            Ok(None)
        })
    }

    /// `DELETE /session/{id}`: closes the app. Safe to call twice.
    pub fn delete(&mut self) -> Result<()> {
        if self.deleted {
            return Ok(());
        }
        self.deleted = true;
        let url = format!("{}/session/{}", self.base, self.id);
        request(&agent(Duration::from_secs(10)), "DELETE", &url, None).map(drop)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Err(e) = self.delete() {
            eprintln!("e2e: deleting the WebDriver session failed: {e}");
        }
    }
}
