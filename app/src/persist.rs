//! Autosave and share links: localStorage, the URL fragment, other tabs. Effects only; the
//! codec (`share_codec`) and the parsing (`url_params`) are pure modules beside it.
//!
//! Rules: a shared link never overwrites autosaved work silently (the old work is kept aside
//! and a notice offers to restore it); a corrupt or hostile link leaves storage untouched and
//! says so; two tabs saving different work are told about each other instead of clobbering.

use crate::examples;
use crate::model::Project;
use crate::share_codec;
use crate::state::{AppState, NoticeAction, NoticeLevel};
use crate::url_params::{share_payload, ViewOptions};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The autosave slot, shared by every tab of the site.
pub const AUTOSAVE_KEY: &str = "layerlab:autosave";
/// The work that was autosaved when a shared link was opened.
pub const BACKUP_KEY: &str = "layerlab:before-link";
pub const THEME_KEY: &str = "layerlab:theme";
/// "1" when the learner caches only the builds they pause on (a preference, not project data).
pub const CACHE_ON_PAUSE_KEY: &str = "layerlab:cache-on-pause";
/// Links longer than this may be cut by chat apps, mail clients and some browsers.
pub const LONG_LINK: usize = 2_000;

/// What autosave writes: the project, and which tab wrote it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    tab: String,
    project: Project,
}

/// How the page starts: the project to show and what to tell the learner.
pub struct Boot {
    pub project: Project,
    pub notices: Vec<(NoticeLevel, String, Option<NoticeAction>)>,
    /// True when the fragment carried a link (it is removed from the address bar).
    pub from_link: bool,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn read_key(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write_key(key: &str, value: &str) -> bool {
    storage()
        .map(|s| s.set_item(key, value).is_ok())
        .unwrap_or(false)
}

/// A per-tab id (kept in sessionStorage, so a reload keeps it).
pub fn tab_id() -> String {
    thread_local! { static ID: String = make_tab_id(); }
    ID.with(|id| id.clone())
}

fn make_tab_id() -> String {
    let session = window().session_storage().ok().flatten();
    if let Some(id) = session
        .as_ref()
        .and_then(|s| s.get_item("layerlab:tab").ok().flatten())
    {
        return id;
    }
    let id = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
    if let Some(s) = session {
        let _ = s.set_item("layerlab:tab", &id);
    }
    id
}

/// The autosaved project, if any (a damaged entry counts as none).
pub fn load_autosave() -> Option<Project> {
    let text = read_key(AUTOSAVE_KEY)?;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    saved.project.validate().ok()?;
    Some(saved.project)
}

/// Writes the project to the autosave slot.
pub fn save_autosave(project: &Project) {
    if let Ok(text) = serde_json::to_string(&Saved {
        tab: tab_id(),
        project: project.clone(),
    }) {
        write_key(AUTOSAVE_KEY, &text);
    }
}

/// Decodes a share-link payload into a project, or says (for people) why it cannot.
pub fn decode_project(payload: &str) -> Result<Project, String> {
    let json = share_codec::decompress_from_uri(payload).map_err(|e| e.to_string())?;
    let project: Project = serde_json::from_str(&json)
        .map_err(|_| "the link does not describe a Layerlab project".to_string())?;
    project
        .validate()
        .map_err(|e| format!("the project in the link is too large: {e}"))?;
    Ok(project)
}

/// The payload of a share link for `project`.
pub fn encode_project(project: &Project) -> String {
    share_codec::compress_to_uri(&serde_json::to_string(project).unwrap_or_default())
}

/// The page's address without query or fragment.
pub fn page_base() -> String {
    let loc = window().location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_else(|_| "/".into())
    )
}

/// A link that opens `project` in the full playground.
pub fn share_url(project: &Project) -> String {
    format!("{}#s={}", page_base(), encode_project(project))
}

/// Decides what the page starts with: a shared link, an example asked for by the URL, the
/// autosave, or the default example.
pub fn boot(view: &ViewOptions) -> Boot {
    let loc = window().location();
    let hash = loc.hash().unwrap_or_default();
    let autosaved = if view.embed { None } else { load_autosave() };
    let mut notices = Vec::new();
    if let Some(payload) = share_payload(&hash) {
        match decode_project(payload) {
            Ok(project) => {
                if !view.embed {
                    // Keep the learner's own work aside before the link's project autosaves over it.
                    if let Some(own) = autosaved.filter(|own| *own != project) {
                        if let Ok(text) = serde_json::to_string(&Saved {
                            tab: tab_id(),
                            project: own,
                        }) {
                            write_key(BACKUP_KEY, &text);
                        }
                        notices.push((
                            NoticeLevel::Info,
                            "You opened a shared link. Your own work was kept aside.".to_string(),
                            Some(NoticeAction::RestoreBackup),
                        ));
                    }
                    // A reload should show the learner's edits (autosave), not the link again.
                    let _ = window().history().map(|h| {
                        h.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&page_base_with_query()),
                        )
                    });
                }
                return Boot {
                    project,
                    notices,
                    from_link: true,
                };
            }
            Err(why) => notices.push((
                NoticeLevel::Error,
                format!("This link could not be opened: {why}. Your saved work was not changed."),
                None,
            )),
        }
    }
    if let Some(ex) = view.example.as_deref().and_then(examples::by_id) {
        return Boot {
            project: ex.project(),
            notices,
            from_link: false,
        };
    }
    let project = autosaved.unwrap_or_else(|| examples::default_example().project());
    Boot {
        project,
        notices,
        from_link: false,
    }
}

fn page_base_with_query() -> String {
    format!(
        "{}{}",
        page_base(),
        window().location().search().unwrap_or_default()
    )
}

/// The work kept aside when a link was opened.
pub fn load_backup() -> Option<Project> {
    let saved: Saved = serde_json::from_str(&read_key(BACKUP_KEY)?).ok()?;
    Some(saved.project)
}

/// Installs autosave (every change) and the other-tab watch.
pub fn install(state: AppState) {
    let embed = state.view.with_value(|v| v.embed);
    if embed {
        // An embed is a view of someone's example: it never touches the reader's own work.
        return;
    }
    // Paused while another tab's work is waiting for the learner's decision.
    let paused = RwSignal::new(false);
    // What the slot holds as far as this tab knows: unchanged work is not written again (no
    // needless storage events in other tabs, and opening a page changes nothing by itself).
    let last_saved = StoredValue::new(load_autosave());
    Effect::new(move |_| {
        state.track_project();
        if paused.get() {
            return;
        }
        crate::latency::timed("autosave", || {
            let project = state.project();
            if last_saved.with_value(|l| l.as_ref() != Some(&project)) {
                save_autosave(&project);
                last_saved.set_value(Some(project));
            }
        });
    });
    let handle = window_event_listener(leptos::ev::storage, move |ev: web_sys::StorageEvent| {
        if ev.key().as_deref() != Some(AUTOSAVE_KEY) {
            return;
        }
        let Some(new) = ev.new_value() else { return };
        let Ok(saved) = serde_json::from_str::<Saved>(&new) else {
            return;
        };
        if saved.tab == tab_id() || saved.project == state.project() {
            return;
        }
        last_saved.set_value(Some(saved.project));
        paused.set(true);
        state.notify(
            NoticeLevel::Warning,
            "Another tab saved different work. This tab stopped autosaving until you choose.",
            Some(NoticeAction::LoadOtherTab),
        );
    });
    // Resume after the learner chose (the notices component clears the flag through this).
    provide_context(AutosavePause(paused));
    on_cleanup(move || handle.remove());
}

/// Lets the notice buttons resume autosave after a conflict between tabs.
#[derive(Clone, Copy)]
pub struct AutosavePause(pub RwSignal<bool>);

/// Copies text to the clipboard (best effort: the Clipboard API needs a secure context).
pub fn copy_to_clipboard(text: &str) {
    let nav = window().navigator();
    let _ = nav.clipboard().write_text(text);
}

/// The stored theme choice (`light`, `dark`; None follows the system).
pub fn stored_theme() -> Option<String> {
    read_key(THEME_KEY).filter(|t| t == "light" || t == "dark")
}

pub fn store_theme(theme: Option<&str>) {
    match theme {
        Some(t) => {
            write_key(THEME_KEY, t);
        }
        None => {
            if let Some(s) = storage() {
                let _ = s.remove_item(THEME_KEY);
            }
        }
    }
}

/// Whether the learner chose to cache only the builds they pause on.
pub fn stored_cache_on_pause() -> bool {
    read_key(CACHE_ON_PAUSE_KEY).as_deref() == Some("1")
}

pub fn store_cache_on_pause(on: bool) {
    write_key(CACHE_ON_PAUSE_KEY, if on { "1" } else { "0" });
}

/// Applies a theme to `<html data-theme>` (absent: follow the system).
pub fn apply_theme(theme: Option<&str>) {
    if let Some(el) = document().document_element() {
        let _ = match theme {
            Some(t) => el.set_attribute("data-theme", t),
            None => el.remove_attribute("data-theme"),
        };
    }
}
