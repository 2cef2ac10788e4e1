//! "Did you mean ...?" for an unknown instruction.
//!
//! Mirrors BuildKit's `suggest.Search` (util/suggest/error.go) as used by
//! `instructions.ParseInstruction`: case-insensitive Levenshtein distance below 3, the suggestion
//! written in the user's case when the word was all lower or all upper case.

use super::line_parsers::KEYWORDS;

/// The closest known keyword to `word`, if any is within distance 2.
pub fn suggest_keyword(word: &str) -> Option<String> {
    // Keywords are at most 11 characters: a longer word is never within distance 2 of one.
    if word.chars().count() > 14 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let mut best: Option<&str> = None;
    let mut min = 3;
    for kw in KEYWORDS {
        if lower == kw {
            return None;
        }
        let d = levenshtein(&lower, kw);
        if d < min {
            min = d;
            best = Some(kw);
        }
    }
    let kw = best?;
    Some(if word == lower {
        kw.to_string()
    } else {
        // BuildKit offers upper-case names and keeps them unless the word was all lower case.
        kw.to_ascii_uppercase()
    })
}

/// The message BuildKit prints for an unknown instruction, with the suggestion if any.
pub fn unknown_instruction_message(word: &str) -> String {
    match suggest_keyword(word) {
        Some(s) => format!("unknown instruction: {word} (did you mean {s}?)"),
        None => format!("unknown instruction: {word}"),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_keep_the_users_case() {
        assert_eq!(
            unknown_instruction_message("RUNN"),
            "unknown instruction: RUNN (did you mean RUN?)"
        );
        assert_eq!(
            unknown_instruction_message("cpy"),
            "unknown instruction: cpy (did you mean copy?)"
        );
        assert_eq!(
            unknown_instruction_message("Workdr"),
            "unknown instruction: Workdr (did you mean WORKDIR?)"
        );
        assert_eq!(
            unknown_instruction_message("INVALID"),
            "unknown instruction: INVALID"
        );
    }
}
