//! Browser unit tests: mount the app in headless Chromium and check it reacts to typing.
//! Run with `cargo test -p layerlab-app --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn by_testid(doc: &web_sys::Document, id: &str) -> web_sys::Element {
    doc.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .unwrap()
}

fn count(doc: &web_sys::Document, id: &str) -> u32 {
    doc.query_selector_all(&format!("[data-testid='{id}']"))
        .unwrap()
        .length()
}

#[wasm_bindgen_test]
async fn the_panes_follow_the_editor() {
    let doc = leptos::prelude::document();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.unchecked_into(), layerlab_app::App);

    let instructions = || by_testid(&doc, "instruction-count").text_content().unwrap();
    assert!(instructions().ends_with("instructions"));
    let editor: web_sys::HtmlTextAreaElement = by_testid(&doc, "editor").unchecked_into();
    editor.set_value("FROM alpine:3.20\nRUN echo a > /a\nRUN echo b > /b\n");
    editor
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    gloo::timers::future::TimeoutFuture::new(0).await;
    assert_eq!(instructions(), "3 instructions");
    assert_eq!(count(&doc, "step"), 3);
    assert!(count(&doc, "layer-row") >= 3);
    let statuses: Vec<String> = (0..3)
        .map(|i| {
            doc.query_selector_all("[data-testid='step']")
                .unwrap()
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("data-status")
                .unwrap()
        })
        .collect();
    assert_eq!(statuses[1], "RUN");

    // A second identical build is fully cached (Ctrl/Cmd+Enter forces one).
    let ev = web_sys::KeyboardEventInit::new();
    ev.set_key("Enter");
    ev.set_ctrl_key(true);
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &ev).unwrap();
    leptos::prelude::window().dispatch_event(&key).unwrap();
    gloo::timers::future::TimeoutFuture::new(0).await;
    let second = doc
        .query_selector("[data-testid='step'][data-line='2']")
        .unwrap()
        .unwrap()
        .get_attribute("data-status")
        .unwrap();
    assert_eq!(second, "CACHED");
}
