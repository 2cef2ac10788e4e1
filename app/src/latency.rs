//! Keystroke-to-view latency, measured inside the page: from the `input` event to the first
//! animation frame after the new result is in the DOM, and to the task after that frame was
//! painted. Kept in `window.layerlabLatency` (`{frame: [...ms], paint: [...ms]}`) for the
//! benchmark (`tests/src/bin/ui_bench.rs`) to read; costs two callbacks per keystroke.
//! [`timed`] adds the share of named parts (`build`, `editor`) while a keystroke is pending,
//! so the benchmark can say where a frame's time goes.

use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    static STARTED: Cell<Option<f64>> = const { Cell::new(None) };
}

/// At most this many samples are kept.
const MAX_SAMPLES: u32 = 5_000;

fn now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

/// Call first thing in the `input` handler.
pub fn input_started() {
    let t0 = now();
    if STARTED.with(|s| s.get()).is_some() {
        // A frame is already pending for an earlier keystroke: it measures from that one
        // (the longer wait), so fast typing is not reported as faster than it is.
        return;
    }
    STARTED.with(|s| s.set(Some(t0)));
    let frame = Closure::once_into_js(move || {
        let t0 = STARTED.with(|s| s.take()).unwrap_or(t0);
        let at_frame = now();
        push("frame", at_frame - t0);
        let paint = Closure::once_into_js(move || push("paint", now() - t0));
        let _ = window().set_timeout_with_callback(paint.unchecked_ref());
    });
    let _ = window().request_animation_frame(frame.unchecked_ref());
}

/// Runs `f`; while a keystroke waits for its frame, records how long `f` took under `part`.
pub fn timed<T>(part: &str, f: impl FnOnce() -> T) -> T {
    if STARTED.with(|s| s.get()).is_none() {
        return f();
    }
    let t0 = now();
    let out = f();
    push(part, now() - t0);
    out
}

fn push(kind: &str, ms: f64) {
    let w = window();
    let store = js_sys::Reflect::get(&w, &JsValue::from_str("layerlabLatency"))
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&w, &JsValue::from_str("layerlabLatency"), &o);
            o.into()
        });
    let arr = js_sys::Reflect::get(&store, &JsValue::from_str(kind))
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let a = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&store, &JsValue::from_str(kind), &a);
            a.into()
        });
    let arr: js_sys::Array = arr.unchecked_into();
    if arr.length() < MAX_SAMPLES {
        arr.push(&JsValue::from_f64(ms));
    }
}
