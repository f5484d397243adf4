//! axe-core in the page under test: load it (from `tools/node_modules`, installed by
//! scripts/setup.sh), run it for WCAG 2.0/2.1 A and AA, and say what it found in plain words.

use std::path::Path;

use serde_json::{json, Value};

use crate::webdriver::{Session, WdError};

/// The rule sets asked for: WCAG 2.0 A and AA, WCAG 2.1 AA.
pub const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21aa"];

/// `tools/node_modules/axe-core/axe.min.js` and its version, or what to run to get it.
pub fn load(repo_root: &Path) -> Result<(String, String), String> {
    let dir = repo_root.join("tools/node_modules/axe-core");
    let script = std::fs::read_to_string(dir.join("axe.min.js")).map_err(|e| {
        format!(
            "{}/axe.min.js: {e} (run scripts/setup.sh, which installs axe-core into tools/)",
            dir.display()
        )
    })?;
    let version = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    Ok((script, version))
}

/// One element a rule failed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The CSS selector axe gives for it.
    pub target: String,
    pub html: String,
    /// axe's "Fix any of the following: …".
    pub summary: String,
}

/// One rule that failed, with every element it failed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub id: String,
    /// minor, moderate, serious or critical.
    pub impact: String,
    pub help: String,
    pub help_url: String,
    pub nodes: Vec<Node>,
}

impl Violation {
    /// Serious and critical problems block people; the test allows none of them.
    pub fn is_blocking(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }

    /// The violation in plain words, one line per element.
    pub fn describe(&self) -> String {
        let mut out = format!(
            "[{}] {}: {} ({} element{}; {})\n",
            self.impact,
            self.id,
            self.help,
            self.nodes.len(),
            if self.nodes.len() == 1 { "" } else { "s" },
            self.help_url
        );
        for node in &self.nodes {
            let html: String = node.html.chars().take(160).collect();
            let summary = node.summary.replace('\n', " ");
            out.push_str(&format!(
                "    at {}\n       {html}\n       {summary}\n",
                node.target
            ));
        }
        out
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

/// Reads axe's `violations` array.
pub fn parse(violations: &Value) -> Vec<Violation> {
    violations
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|v| Violation {
            id: text(v, "id"),
            impact: text(v, "impact"),
            help: text(v, "help"),
            help_url: text(v, "helpUrl"),
            nodes: v["nodes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|n| Node {
                    target: n["target"]
                        .as_array()
                        .map(|t| {
                            t.iter()
                                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default(),
                    html: text(n, "html"),
                    summary: text(n, "failureSummary"),
                })
                .collect(),
        })
        .collect()
}

/// What one run found: the violations, and what axe could not decide (to look at by hand).
#[derive(Debug, Clone)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub incomplete: Vec<Violation>,
}

impl Report {
    /// The undecided checks in short: rule, how many elements, and axe's distinct reasons.
    pub fn undecided(&self) -> Vec<String> {
        self.incomplete
            .iter()
            .map(|v| {
                let mut reasons: Vec<String> = v
                    .nodes
                    .iter()
                    .map(|n| {
                        n.summary
                            .lines()
                            .last()
                            .unwrap_or_default()
                            .trim()
                            .to_owned()
                    })
                    .collect();
                reasons.sort();
                reasons.dedup();
                format!(
                    "{} on {} element(s): {}",
                    v.id,
                    v.nodes.len(),
                    reasons.join("; ")
                )
            })
            .collect()
    }
}

/// Injects axe (if the page does not have it yet) and runs it on the whole document.
pub fn run(session: &Session, script: &str) -> Result<Report, WdError> {
    let present = session.execute("return typeof window.axe === 'object';", &[])?;
    if present != Value::Bool(true) {
        session.execute(script, &[])?;
    }
    let answer = session.execute_async(
        "const [tags, done] = arguments;
         if (!window.axe) { done({error: 'axe-core did not load'}); return; }
         window.axe.run(document, {runOnly: {type: 'tag', values: tags},
                                   resultTypes: ['violations', 'incomplete']})
           .then(r => done({violations: r.violations, incomplete: r.incomplete}))
           .catch(e => done({error: String(e)}));",
        &[json!(TAGS)],
    )?;
    if let Some(error) = answer["error"].as_str() {
        return Err(WdError::Transport(format!("axe.run failed: {error}")));
    }
    Ok(Report {
        violations: parse(&answer["violations"]),
        incomplete: parse(&answer["incomplete"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_describes_what_axe_returns() {
        let raw = json!([
            {"id": "color-contrast", "impact": "serious", "help": "Elements must meet minimum color contrast ratio thresholds",
             "helpUrl": "https://dequeuniversity.com/rules/axe/4.10/color-contrast",
             "nodes": [{"target": ["#conteudo > p.hint"], "html": "<p class=\"hint\">x</p>",
                        "failureSummary": "Fix any of the following:\n  Element has insufficient color contrast of 3.2"}]},
            {"id": "region", "impact": "moderate", "help": "All page content should be contained by landmarks",
             "helpUrl": "u", "nodes": []}
        ]);
        let found = parse(&raw);
        assert_eq!(found.len(), 2);
        assert!(found[0].is_blocking());
        assert!(!found[1].is_blocking());
        let words = found[0].describe();
        assert!(words.contains("[serious] color-contrast"), "{words}");
        assert!(words.contains("at #conteudo > p.hint"), "{words}");
        assert!(
            words.contains("insufficient color contrast of 3.2"),
            "{words}"
        );
        assert!(parse(&Value::Null).is_empty());
    }
}
