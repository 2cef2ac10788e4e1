//! Editing commands on the textarea that keep the browser's undo stack: Tab/Shift+Tab
//! indentation, Enter with auto-indent, and the caret's line.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Spaces one Tab inserts.
const INDENT: &str = "    ";

pub(super) fn update_caret(textarea: NodeRef<leptos::html::Textarea>, caret_line: RwSignal<u32>) {
    let Some(ta) = textarea.get() else { return };
    let value = ta.value();
    let pos16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let pos = crate::core_adapter::utf8_offset(&value, pos16);
    let line = value.get(..pos).map_or(0, |s| s.matches('\n').count()) as u32 + 1;
    if caret_line.get_untracked() != line {
        caret_line.set(line);
    }
}

/// Inserts text at the selection as if typed (undoable); false when the browser refuses.
pub(super) fn insert_text(text: &str) -> bool {
    let doc: web_sys::HtmlDocument = document().unchecked_into();
    doc.exec_command_with_show_ui_and_value("insertText", false, text)
        .unwrap_or(false)
}

/// Tab / Shift+Tab: indent or outdent the selected lines (or insert spaces at the caret).
pub(super) fn indent(ta: &web_sys::HtmlTextAreaElement, outdent: bool) {
    let value = ta.value();
    let s16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let e16 = ta.selection_end().ok().flatten().unwrap_or(0) as usize;
    let (s, e) = (
        crate::core_adapter::utf8_offset(&value, s16),
        crate::core_adapter::utf8_offset(&value, e16),
    );
    let multi_line = value.get(s..e).is_some_and(|sel| sel.contains('\n'));
    if !outdent && !multi_line {
        insert_text(INDENT);
        return;
    }
    let line_start = value
        .get(..s)
        .and_then(|v| v.rfind('\n'))
        .map_or(0, |i| i + 1);
    let block_end = if e > s && value.get(..e).is_some_and(|v| v.ends_with('\n')) {
        e - 1
    } else {
        e
    };
    let line_end = value
        .get(block_end..)
        .and_then(|v| v.find('\n'))
        .map_or(value.len(), |i| block_end + i);
    let Some(block) = value.get(line_start..line_end) else {
        return;
    };
    let new_block: Vec<String> = block
        .split('\n')
        .map(|l| {
            if outdent {
                let n = l.len() - l.trim_start_matches(' ').len();
                if let Some(rest) = l.strip_prefix('\t') {
                    rest.to_string()
                } else {
                    l[n.min(INDENT.len())..].to_string()
                }
            } else {
                format!("{INDENT}{l}")
            }
        })
        .collect();
    let new_block = new_block.join("\n");
    if new_block == block {
        return;
    }
    let a16 = crate::core_adapter::utf16_offset(&value, line_start);
    let b16 = crate::core_adapter::utf16_offset(&value, line_end);
    let _ = ta.set_selection_range(a16, b16);
    if insert_text(&new_block) {
        let len16 = new_block.encode_utf16().count() as u32;
        let _ = ta.set_selection_range(a16, a16 + len16);
    }
}

/// Enter: a new line with the current line's indentation, one level deeper after a `\`.
pub(super) fn newline_with_indent(ta: &web_sys::HtmlTextAreaElement) {
    let value = ta.value();
    let s16 = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
    let s = crate::core_adapter::utf8_offset(&value, s16);
    let line_start = value
        .get(..s)
        .and_then(|v| v.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = value.get(line_start..s).unwrap_or("");
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let continued = line.trim_end().ends_with('\\') && indent.is_empty();
    let text = format!("\n{indent}{}", if continued { INDENT } else { "" });
    if !insert_text(&text) {
        // No execCommand (very old browser): edit the value directly (that loses undo).
        let e16 = ta.selection_end().ok().flatten().unwrap_or(s16 as u32) as usize;
        let e = crate::core_adapter::utf8_offset(&value, e16).max(s);
        let new_value = format!(
            "{}{}{}",
            value.get(..s).unwrap_or(""),
            text,
            value.get(e..).unwrap_or("")
        );
        ta.set_value(&new_value);
        let caret = crate::core_adapter::utf16_offset(&new_value, s + text.len());
        let _ = ta.set_selection_range(caret, caret);
        if let Ok(ev) = web_sys::Event::new("input") {
            let _ = ta.dispatch_event(&ev);
        }
    }
}
