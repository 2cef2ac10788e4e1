//! Browser unit tests: mount the app in headless Chromium and check it reacts to typing.
//! Run with `cargo test -p layerlab-app --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn by_testid(doc: &web_sys::Document, id: &str) -> web_sys::Element {
    doc.query_selector(&format!("[data-testid='{id}']")).unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn the_instruction_list_follows_the_editor() {
    let doc = leptos::prelude::document();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.unchecked_into(), layerlab_app::App);

    let count = || by_testid(&doc, "instruction-count").text_content().unwrap();
    assert!(count().ends_with("instructions"));
    let editor: web_sys::HtmlTextAreaElement = by_testid(&doc, "editor").unchecked_into();
    editor.set_value("FROM a\nRUN b\nRUN c\n");
    editor.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    gloo::timers::future::TimeoutFuture::new(0).await;
    assert_eq!(count(), "3 instructions");
}
