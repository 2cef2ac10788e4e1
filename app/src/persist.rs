//! Autosave and share links: localStorage, the URL fragment, other tabs. Effects only; the
//! codec (`share_codec`) and the parsing (`url_params`) are pure modules beside it.
//!
//! Rules: a shared link never overwrites autosaved work silently (the old work is kept aside,
//! in a list that several links in a row cannot overflow, and a notice offers to restore it;
//! when storage cannot keep it, the link's project is not autosaved at all); a corrupt or
//! hostile link leaves storage untouched and says so; two tabs saving different work are told
//! about each other instead of clobbering; a failed autosave is reported, not ignored.

use crate::backups::{self, Backup};
use crate::examples;
use crate::model::Project;
use crate::share_codec;
use crate::state::{AppState, NoticeAction, NoticeLevel};
use crate::url_params::{share_payload, ViewOptions};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The autosave slot, shared by every tab of the site.
pub const AUTOSAVE_KEY: &str = "layerlab:autosave";
/// The work that was autosaved when shared links were opened ([`Backup`]s, newest first).
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
    /// The project is a link's, unedited: not the learner's own work, so opening the next link
    /// need not keep it aside.
    #[serde(default)]
    link: bool,
}

/// How the page starts: the project to show and what to tell the learner.
pub struct Boot {
    pub project: Project,
    pub notices: Vec<(NoticeLevel, String, Option<NoticeAction>)>,
    /// True when the fragment carried a link (it is removed from the address bar).
    pub from_link: bool,
    /// How autosave starts (see [`install`]).
    pub autosave: AutosaveStart,
}

/// What [`install`] needs to know from the start of the page.
#[derive(Debug, Clone, Default)]
pub struct AutosaveStart {
    /// The project opened from a link, while it is unedited (saved with `link: true`).
    pub link_project: Option<Project>,
    /// The learner's work could not be kept aside: the link's project must not be autosaved
    /// over it until the learner decides.
    pub hold: bool,
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
    load_saved().map(|s| s.project)
}

fn load_saved() -> Option<Saved> {
    let saved: Saved = serde_json::from_str(&read_key(AUTOSAVE_KEY)?).ok()?;
    saved.project.validate().ok()?;
    Some(saved)
}

/// Writes the project to the autosave slot; false when the browser refused (storage full or
/// disabled).
pub fn save_autosave(project: &Project) -> bool {
    save_autosave_marked(project, false)
}

fn save_autosave_marked(project: &Project, link: bool) -> bool {
    serde_json::to_string(&Saved {
        tab: tab_id(),
        project: project.clone(),
        link,
    })
    .is_ok_and(|text| write_key(AUTOSAVE_KEY, &text))
}

/// The projects kept aside when links were opened, newest first (an entry written by an older
/// version, a single project, counts as one).
pub fn load_backups() -> Vec<Backup> {
    let Some(text) = read_key(BACKUP_KEY) else {
        return Vec::new();
    };
    let list = serde_json::from_str::<Vec<Backup>>(&text).or_else(|_| {
        serde_json::from_str::<Saved>(&text).map(|s| {
            vec![Backup {
                project: s.project,
                at: 0.0,
            }]
        })
    });
    list.unwrap_or_default()
        .into_iter()
        .filter(|b| b.project.validate().is_ok())
        .collect()
}

/// Keeps `project` aside; the list as stored now, or None when the browser refused to store it.
fn keep_aside(project: Project) -> Option<Vec<Backup>> {
    let mut list = load_backups();
    backups::push(&mut list, project, js_sys::Date::now());
    let text = serde_json::to_string(&list).ok()?;
    write_key(BACKUP_KEY, &text).then_some(list)
}

/// Replaces the project (an example, reset, a restore), first keeping the learner's own work
/// aside in "Earlier work": the notice's Undo is gone once dismissed, the list is not. An
/// unedited example is not the learner's work and is not kept.
pub fn replace_project(state: AppState, project: Project, message: impl Into<String>) {
    let before = state.project();
    let own = before != project
        && before != Project::default()
        && !examples::all().iter().any(|e| e.project() == before);
    if own && !state.view.with_value(|v| v.embed) {
        if let Some(list) = keep_aside(before) {
            state.kept.set(list);
        }
    }
    state.replace_project(project, message);
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
                let mut autosave = AutosaveStart {
                    link_project: Some(project.clone()),
                    hold: false,
                };
                if !view.embed {
                    // Keep the learner's own work aside before the link's project autosaves over
                    // it (an unedited link's project is not their work: the link has it).
                    let own = load_saved().filter(|s| !s.link && s.project != project);
                    if let Some(own) = own {
                        if keep_aside(own.project).is_some() {
                            notices.push((
                                NoticeLevel::Info,
                                "You opened a shared link. Your own work was kept aside (Earlier work, at the top, has it too).".to_string(),
                                Some(NoticeAction::RestoreBackup),
                            ));
                        } else {
                            autosave.hold = true;
                            notices.push((
                                NoticeLevel::Warning,
                                "You opened a shared link, but the browser's storage is full: this project is not autosaved, so your saved work stays as it was (reload to get it back).".to_string(),
                                None,
                            ));
                        }
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
                    autosave,
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
            autosave: AutosaveStart::default(),
        };
    }
    let project = autosaved.unwrap_or_else(|| examples::default_example().project());
    Boot {
        project,
        notices,
        from_link: false,
        autosave: AutosaveStart::default(),
    }
}

fn page_base_with_query() -> String {
    format!(
        "{}{}",
        page_base(),
        window().location().search().unwrap_or_default()
    )
}

/// The newest work kept aside when a link was opened.
pub fn load_backup() -> Option<Project> {
    load_backups().into_iter().next().map(|b| b.project)
}

/// Installs autosave (every change) and the other-tab watch.
pub fn install(state: AppState, start: AutosaveStart) {
    let embed = state.view.with_value(|v| v.embed);
    if embed {
        // An embed is a view of someone's example: it never touches the reader's own work.
        return;
    }
    // Paused while another tab's work is waiting for the learner's decision, or while the
    // learner's work could not be kept aside from a link's project.
    let paused = RwSignal::new(start.hold);
    // What the slot holds as far as this tab knows: unchanged work is not written again (no
    // needless storage events in other tabs, and opening a page changes nothing by itself).
    let last_saved = StoredValue::new(load_autosave());
    let link_project = StoredValue::new(start.link_project);
    // One notice per run of failed writes, not one per keystroke.
    let failing = StoredValue::new(false);
    Effect::new(move |_| {
        state.track_project();
        if paused.get() {
            return;
        }
        crate::latency::timed("autosave", || {
            let project = state.project();
            if last_saved.with_value(|l| l.as_ref() == Some(&project)) {
                return;
            }
            let link = link_project.with_value(|l| l.as_ref() == Some(&project));
            if !link {
                link_project.set_value(None);
            }
            let ok = save_autosave_marked(&project, link);
            if ok {
                last_saved.set_value(Some(project));
            } else if !failing.get_value() {
                state.notify(
                    NoticeLevel::Warning,
                    "Autosave failed: the browser's storage is full or blocked. Use Share link to keep this work.",
                    None,
                );
            }
            failing.set_value(!ok);
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
