//! How the page was opened: embed mode and its options from the query string, and the shared
//! project in the `#s=` fragment. Pure parsing (unit-tested natively); reading `location` is
//! the caller's job.
//!
//! Embed parameters (all optional): `embed=1`, `readonly=1`, `panes=editor,context,controls,
//! layers,cache,stages,gallery`, `theme=light|dark`, `example=<id>`, `click=1` (show a
//! "click to load" cover until the reader asks for the playground).

/// The panes that can be shown or hidden.
pub const PANES: [&str; 7] = [
    "editor", "context", "controls", "layers", "cache", "stages", "gallery",
];

/// The panes an embed shows when `panes=` is absent.
const DEFAULT_EMBED_PANES: [&str; 4] = ["editor", "layers", "cache", "stages"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What the query string asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewOptions {
    pub embed: bool,
    pub readonly: bool,
    /// Which panes are shown (every pane outside embed mode).
    pub panes: Vec<String>,
    pub theme: Option<Theme>,
    pub example: Option<String>,
    pub click_to_load: bool,
}

impl Default for ViewOptions {
    fn default() -> ViewOptions {
        ViewOptions {
            embed: false,
            readonly: false,
            panes: PANES.iter().map(|s| s.to_string()).collect(),
            theme: None,
            example: None,
            click_to_load: false,
        }
    }
}

impl ViewOptions {
    /// Parses `?a=b&c=d` (with or without the `?`).
    pub fn from_query(query: &str) -> ViewOptions {
        let mut res = ViewOptions::default();
        let mut panes: Option<Vec<String>> = None;
        for (k, v) in query_pairs(query) {
            let on = matches!(v.as_str(), "" | "1" | "true" | "yes");
            match k.as_str() {
                "embed" => res.embed = on,
                "readonly" => res.readonly = on,
                "click" => res.click_to_load = on,
                "theme" => res.theme = Theme::parse(&v),
                "example" => res.example = (!v.is_empty()).then_some(v),
                "panes" => {
                    panes = Some(
                        v.split(',')
                            .map(|p| p.trim().to_string())
                            .filter(|p| PANES.contains(&p.as_str()))
                            .collect(),
                    )
                }
                _ => {}
            }
        }
        if res.embed {
            res.panes = panes
                .unwrap_or_else(|| DEFAULT_EMBED_PANES.iter().map(|s| s.to_string()).collect());
        } else if let Some(p) = panes {
            res.panes = p;
        }
        res
    }

    /// Returns true if and only if `pane` is shown.
    pub fn shows(&self, pane: &str) -> bool {
        self.panes.iter().any(|p| p == pane)
    }

    /// The query string for an embed with these options (without the leading `?`).
    pub fn embed_query(&self) -> String {
        let mut q = vec!["embed=1".to_string()];
        if self.readonly {
            q.push("readonly=1".into());
        }
        q.push(format!("panes={}", self.panes.join(",")));
        if let Some(t) = self.theme {
            q.push(format!("theme={}", t.as_str()));
        }
        if self.click_to_load {
            q.push("click=1".into());
        }
        q.join("&")
    }
}

/// `k=v` pairs of a query string, percent-decoded (`+` is a space).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

/// The shared project's payload in a fragment `#s=<payload>` (other fragments: None).
pub fn share_payload(hash: &str) -> Option<&str> {
    let h = hash.trim_start_matches('#');
    h.strip_prefix("s=")
        .or_else(|| h.split('&').find_map(|p| p.strip_prefix("s=")))
}

/// Decodes `%XX` escapes; invalid escapes are kept as written, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes a string for an HTML attribute value in double quotes (the embed snippet).
pub fn html_attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_options_parse() {
        let v = ViewOptions::from_query("?embed=1&readonly=1&panes=editor,layers,bogus&theme=dark&example=go-multistage&click=1");
        assert!(v.embed && v.readonly && v.click_to_load);
        assert_eq!(v.panes, vec!["editor", "layers"]);
        assert_eq!(v.theme, Some(Theme::Dark));
        assert_eq!(v.example.as_deref(), Some("go-multistage"));
        assert!(v.shows("editor") && !v.shows("gallery"));
        let d = ViewOptions::from_query("");
        assert!(!d.embed && d.shows("gallery"));
        assert_eq!(ViewOptions::from_query("embed").panes.len(), 4);
    }

    #[test]
    fn fragments_and_escapes() {
        assert_eq!(share_payload("#s=abc"), Some("abc"));
        assert_eq!(share_payload("#x=1&s=abc"), Some("abc"));
        assert_eq!(share_payload("#other"), None);
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(html_attr_escape("\"<x>&"), "&quot;&lt;x&gt;&amp;");
    }
}
