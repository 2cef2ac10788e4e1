//! The highlighted overlay under the textarea: its runs, the gutter's classes, which run is
//! under the mouse pointer, and keeping overlay and gutter scrolled with the text.

use crate::core_adapter::{Segment, Sev};
use leptos::prelude::*;

pub(super) fn segment_view(s: Segment) -> impl IntoView {
    let mut class = s.class.to_string();
    if let Some(sev) = s.squiggle {
        class.push_str(match sev {
            Sev::Error => " sq-error",
            Sev::Warning => " sq-warning",
            Sev::Info => " sq-info",
        });
    }
    view! { <span class=class>{s.text}</span> }
}

/// The overlay line (0-based) and box of the underlined run at a viewport point, if any.
/// Every overlay line has the same height, so the line is found by arithmetic and only that
/// line's runs are measured (exact for any script, unlike column arithmetic).
pub(super) fn squiggle_at(
    overlay: &web_sys::HtmlDivElement,
    x: f64,
    y: f64,
) -> Option<(usize, web_sys::DomRect)> {
    let lines = overlay.children();
    let first = lines.item(0)?.get_bounding_client_rect();
    if first.height() <= 0.0 || y < first.top() {
        return None;
    }
    let line = ((y - first.top()) / first.height()) as usize;
    let runs = lines.item(u32::try_from(line).ok()?)?.children();
    (0..runs.length())
        .filter_map(|i| runs.item(i))
        .filter(|r| r.class_name().contains("sq-"))
        .map(|r| r.get_bounding_client_rect())
        .find(|r| r.left() <= x && x < r.right() && r.top() <= y && y < r.bottom())
        .map(|r| (line, r))
}

pub(super) fn sev_class(sev: Option<Sev>) -> &'static str {
    match sev {
        Some(Sev::Error) => "gl-error",
        Some(Sev::Warning) => "gl-warning",
        Some(Sev::Info) => "gl-info",
        None => "",
    }
}

/// Moves the overlay and the gutter with the textarea's scroll position (CSSOM, CSP-safe).
pub(super) fn sync_scroll(
    ta: &web_sys::HtmlTextAreaElement,
    overlay: NodeRef<leptos::html::Div>,
    gutter: NodeRef<leptos::html::Div>,
) {
    let (x, y) = (ta.scroll_left(), ta.scroll_top());
    if let Some(o) = overlay.get() {
        let _ = web_sys::HtmlElement::style(&o)
            .set_property("transform", &format!("translate({}px,{}px)", -x, -y));
    }
    if let Some(g) = gutter.get() {
        let _ = web_sys::HtmlElement::style(&g)
            .set_property("transform", &format!("translateY({}px)", -y));
    }
}

pub(super) fn line_height(ta: &web_sys::HtmlTextAreaElement) -> f64 {
    window()
        .get_computed_style(ta)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("line-height").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        .unwrap_or(21.0)
}

/// Puts `tip` (absolutely positioned in `container`) just below `target` (CSSOM, CSP-safe).
pub(super) fn place_below(
    tip: &web_sys::HtmlDivElement,
    container: &web_sys::HtmlDivElement,
    target: &web_sys::DomRect,
) {
    let origin = container.get_bounding_client_rect();
    let style = web_sys::HtmlElement::style(tip);
    let left = (target.left() - origin.left()).max(0.0);
    let _ = style.set_property("left", &format!("{left}px"));
    let top = target.bottom() - origin.top() + 2.0;
    let _ = style.set_property("top", &format!("{top}px"));
}
