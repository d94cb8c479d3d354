//! The `record_feedback` tool: a correction, stored as a `feedback` event.

use std::path::Path;

use harness_store::{NewEvent, Store};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Server;
use crate::reply::{Refusal, all_inside};
use crate::rules::unknown_rule;

/// The kind of event feedback is stored as.
pub const FEEDBACK_EVENT: &str = "feedback";

/// The longest feedback text kept, in characters: a review comment, not a log.
const MAX_TEXT: usize = 20_000;

/// Who gave the feedback. Inlined in the schema: some clients do not follow `$ref`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline)]
pub enum FeedbackSource {
    Person,
    Agent,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackParams {
    /// The correction in a few sentences: what was wrong and what is right instead, in the
    /// words it was given, e.g. "Do not call fetch without a timeout in src/api; use
    /// apiClient, which sets one."
    pub text: String,
    /// Files the feedback is about, relative to the repository root.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The id of the rule the feedback is about, when it is about one (a rule that fired
    /// wrongly, or should have fired), as `list_rules` shows it.
    pub rule: Option<String>,
    /// Who gave the correction: "person" (the user, a reviewer) or "agent". Default "agent";
    /// pass "person" when you are recording what a person told you.
    pub source: Option<FeedbackSource>,
    /// Who exactly: a name, handle or agent name.
    pub author: Option<String>,
    /// One lowercase word or hyphenated words saying what kind of feedback it is:
    /// "correction" (default), "review-comment", "false-positive" (a rule fired wrongly),
    /// "missed" (a rule should have caught it), "interruption", or another word.
    pub kind: Option<String>,
    /// The agent you run in, e.g. "claude", "codex", "gemini", "cursor", so the feedback is
    /// tied to the session's other events.
    pub agent: Option<String>,
    /// Your session id in that agent.
    pub session: Option<String>,
    /// A stable id of the feedback where it came from, e.g. "github:pr:12:comment:345":
    /// feedback with an id already recorded is not recorded again.
    pub external_id: Option<String>,
}

#[tool_router(router = feedback_router, vis = "pub(crate)")]
impl Server {
    /// Record a correction so the team's guardrails learn from it: something a person told
    /// you was wrong, a review comment, a rule that fired wrongly or missed a problem. Stored
    /// as a `feedback` event in the repository's event store (.harness/state/harness.db),
    /// where harness turns recurring feedback into proposed rules. Returns the event id.
    #[tool(
        name = "record_feedback",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn record_feedback_tool(
        &self,
        Parameters(params): Parameters<FeedbackParams>,
    ) -> CallToolResult {
        self.run(move |root| record(root, params)).await
    }
}

fn record(root: &Path, params: FeedbackParams) -> Result<String, Refusal> {
    let text = params.text.trim();
    if text.is_empty() {
        return Err(Refusal::new(
            "`text` is empty",
            "say what was wrong and what is right instead",
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Refusal::new(
            &format!("`text` is longer than {MAX_TEXT} characters"),
            "record the correction itself, not the whole conversation or log",
        ));
    }
    let kind = params.kind.as_deref().map_or("correction", str::trim);
    if !is_kind_word(kind) {
        return Err(Refusal::new(
            &format!("`kind` {kind:?} is not a lowercase word"),
            "use lowercase letters, digits and hyphens, e.g. correction, review-comment, false-positive",
        ));
    }
    let paths = all_inside(root, &params.paths)?;
    let mut note = "";
    let rule = params
        .rule
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(id) = rule
        && harness_check::builtin::find(id).is_none()
    {
        // Feedback about a broken knowledge base is still worth keeping: the id is checked
        // only when the rules load.
        match harness_core::load(root) {
            Ok(kb) => {
                if let Err(u) = harness_check::explain::explain(&kb, id) {
                    return Err(unknown_rule(id, &u.close));
                }
            }
            Err(_) => note = " (the rule id was not checked: the rules do not load)",
        }
    }
    let mut data = Map::new();
    data.insert("text".into(), text.into());
    if !paths.is_empty() {
        data.insert("paths".into(), paths.into());
    }
    if let Some(id) = rule {
        data.insert("rule".into(), id.into());
    }
    let source = params.source.unwrap_or(FeedbackSource::Agent);
    data.insert(
        "source".into(),
        serde_json::to_value(source).unwrap_or_default(),
    );
    if let Some(author) = params
        .author
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        data.insert("author".into(), author.into());
    }
    data.insert("kind".into(), kind.into());
    data.insert("via".into(), "mcp".into());
    let mut event = NewEvent::new(FEEDBACK_EVENT, Value::Object(data));
    event.agent = nonempty(params.agent);
    event.session = nonempty(params.session);
    event.external_id = nonempty(params.external_id);
    let store = Store::open_in(root)?;
    if let Some(external) = &event.external_id
        && let Some(id) = store.id_of_external(external)?
    {
        return Ok(format!(
            "already recorded as event {id} (the same external_id); nothing added\n"
        ));
    }
    let id = store.append(&event)?;
    Ok(format!("recorded feedback as event {id}{note}\n"))
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `correction`, `review-comment`: lowercase letters and digits in hyphenated words.
fn is_kind_word(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 40
        && kind.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_hyphenated_lowercase_words() {
        for good in ["correction", "review-comment", "p1-miss"] {
            assert!(is_kind_word(good), "{good}");
        }
        for bad in ["", "Review", "two words", "-x", "x--y", &"a".repeat(41)] {
            assert!(!is_kind_word(bad), "{bad}");
        }
    }
}
