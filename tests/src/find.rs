//! Locating the page's elements: by `data-testid` only (contract.md, "The page's test hooks").

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// The CSS selector of a test id.
pub fn testid(id: &str) -> String {
    format!("[data-testid='{id}']")
}

/// The first element with the test id (panics with the id when missing).
pub async fn one(c: &Client, id: &str) -> Element {
    c.find(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("no [data-testid={id}]: {e}"))
}

/// Every element with the test id.
pub async fn all(c: &Client, id: &str) -> Vec<Element> {
    c.find_all(Locator::Css(&testid(id)))
        .await
        .unwrap_or_default()
}

/// An element with the test id and an attribute value, e.g. `context-file` with `data-path`.
pub async fn with_attr(c: &Client, id: &str, attr: &str, value: &str) -> Option<Element> {
    for e in all(c, id).await {
        if e.attr(attr).await.ok().flatten().as_deref() == Some(value) {
            return Some(e);
        }
    }
    None
}

/// Runs a script in the page and returns its JSON result.
pub async fn js(c: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    c.execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// `[attr1, attr2, ...]` of every element with the test id, in document order (one round trip).
pub async fn attrs(c: &Client, id: &str, names: &[&str]) -> Vec<Vec<String>> {
    let v = js(
        c,
        "return [...document.querySelectorAll(`[data-testid='${arguments[0]}']`)].map(e => arguments[1].map(n => e.getAttribute(n) ?? ''));",
        vec![id.into(), serde_json::json!(names)],
    )
    .await;
    serde_json::from_value(v).unwrap_or_default()
}
