//! C `printf` conversions of one directive (`%-+ #0`, width, precision, `d i o u x X c s f e E
//! g G`), as glibc prints them for busybox's `printf` applet (coreutils/printf.c hands each
//! directive to the C library), and busybox's way of reading numbers (`bb_strtoll(arg, NULL,
//! 0)`: `0x` hex, leading-0 octal, the whole argument must be a number).

/// The flags, width and precision of one `%` directive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spec {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: usize,
    pub precision: Option<usize>,
}

/// Widths and precisions beyond this are clamped (a hostile `%99999999d` must not allocate).
const MAX_WIDTH: usize = 1 << 16;

impl Spec {
    /// Reads the flags of `flags` (any of `-+ #0`).
    pub fn with_flags(flags: &str) -> Spec {
        Spec {
            left: flags.contains('-'),
            plus: flags.contains('+'),
            space: flags.contains(' '),
            alt: flags.contains('#'),
            zero: flags.contains('0'),
            ..Spec::default()
        }
    }

    fn pad(&self, sign: &str, body: &str, zero_ok: bool) -> String {
        let width = self.width.min(MAX_WIDTH);
        let len = sign.chars().count() + body.chars().count();
        let pad = width.saturating_sub(len);
        if self.left {
            format!("{sign}{body}{}", " ".repeat(pad))
        } else if self.zero && zero_ok {
            format!("{sign}{}{body}", "0".repeat(pad))
        } else {
            format!("{}{sign}{body}", " ".repeat(pad))
        }
    }
}

/// A number as `bb_strtoll(arg, NULL, 0)` reads it, after printf's own rules (leading blanks
/// skipped, a leading `+` allowed, `'c`/`"c` is the code of `c`). `None` is an invalid number
/// (busybox then prints `invalid number` and uses 0).
pub fn parse_c_integer(arg: &str) -> Option<i128> {
    let a = arg.trim_start_matches([' ', '\t', '\n']);
    if let Some(q) = a.strip_prefix('\'').or_else(|| a.strip_prefix('"')) {
        return Some(q.bytes().next().map_or(0, i128::from));
    }
    let a = a.strip_prefix('+').unwrap_or(a);
    let (neg, digits) = match a.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, a),
    };
    let (radix, digits) = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, h)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if digits.is_empty() || digits.len() > 40 {
        return None;
    }
    let v = i128::from_str_radix(digits, radix).ok()?;
    // Out of the 64-bit range is an error too (ERANGE).
    if v > i128::from(u64::MAX) {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// `%d %i` (signed) and `%o %u %x %X` (unsigned: a negative value prints as its 64-bit two's
/// complement, like glibc with busybox's `ll` modifier).
pub fn format_integer(spec: &Spec, conv: char, value: i128) -> String {
    let signed = matches!(conv, 'd' | 'i');
    let (neg, magnitude): (bool, u128) = if signed {
        let v = value.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
        (v < 0, v.unsigned_abs())
    } else {
        // Wrap into u64 as the C conversion does.
        (false, u128::from(value as u64))
    };
    let mut digits = match conv {
        'o' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    if let Some(p) = spec.precision {
        let p = p.min(MAX_WIDTH);
        if p == 0 && magnitude == 0 {
            digits.clear();
        } else if digits.len() < p {
            digits = format!("{}{digits}", "0".repeat(p - digits.len()));
        }
    }
    let mut prefix = String::new();
    if neg {
        prefix.push('-');
    } else if signed && spec.plus {
        prefix.push('+');
    } else if signed && spec.space {
        prefix.push(' ');
    }
    if spec.alt {
        match conv {
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            'x' if magnitude != 0 => prefix.push_str("0x"),
            'X' if magnitude != 0 => prefix.push_str("0X"),
            _ => {}
        }
    }
    // With a precision, the `0` flag is ignored for integers.
    spec.pad(&prefix, &digits, spec.precision.is_none())
}

/// `%f %e %E %g %G` of `value`.
pub fn format_float(spec: &Spec, conv: char, value: f64) -> String {
    let prec = spec.precision.unwrap_or(6).min(64);
    // glibc prints `-0.000000` for negative zero too.
    let neg = value.is_sign_negative() && !value.is_nan();
    let a = value.abs();
    let upper = conv.is_ascii_uppercase();
    let mut body = if a.is_infinite() {
        "inf".to_string()
    } else if a.is_nan() {
        "nan".to_string()
    } else {
        match conv.to_ascii_lowercase() {
            'e' => exp_form(a, prec, spec.alt),
            'g' => general_form(a, prec, spec.alt),
            _ => {
                let s = format!("{a:.prec$}");
                if spec.alt && prec == 0 {
                    format!("{s}.")
                } else {
                    s
                }
            }
        }
    };
    if upper {
        body = body.to_ascii_uppercase();
    }
    let sign = if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    spec.pad(sign, &body, a.is_finite())
}

/// `d.ddde+XX` with `prec` digits after the point.
fn exp_form(a: f64, prec: usize, alt: bool) -> String {
    // Rust's `{:e}` rounds correctly; only the exponent's form differs from C.
    let s = format!("{a:.prec$e}");
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mant = if alt && prec == 0 {
        format!("{mant}.")
    } else {
        mant.to_string()
    };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.unsigned_abs())
}

/// `%g`: `%e` or `%f` by the exponent, trailing zeros removed (unless `#`).
fn general_form(a: f64, prec: usize, alt: bool) -> String {
    let p = prec.max(1);
    let x: i32 = if a == 0.0 {
        0
    } else {
        let s = format!("{a:.*e}", p - 1);
        s.split_once('e')
            .and_then(|(_, e)| e.parse().ok())
            .unwrap_or(0)
    };
    let s = if x < -4 || x >= p as i32 {
        exp_form(a, p - 1, alt)
    } else {
        let decimals = (p as i32 - 1 - x).max(0) as usize;
        format!("{a:.decimals$}")
    };
    if alt {
        return s;
    }
    let (mant, exp) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s.as_str(), ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{exp}")
}

/// `%s` (precision cuts) and `%c` (the first byte; an empty argument prints a NUL).
pub fn format_text(spec: &Spec, conv: char, arg: &str) -> String {
    let body: String = match conv {
        'c' => arg.chars().next().unwrap_or('\0').to_string(),
        _ => match spec.precision {
            Some(p) => arg.chars().take(p).collect(),
            None => arg.to_string(),
        },
    };
    let text_spec = Spec {
        zero: false,
        ..*spec
    };
    text_spec.pad("", &body, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(flags: &str, width: usize, precision: Option<usize>) -> Spec {
        Spec {
            width,
            precision,
            ..Spec::with_flags(flags)
        }
    }

    /// (flags, width, precision, conversion, value, expected)
    type Case<V> = (&'static str, usize, Option<usize>, char, V, &'static str);

    #[test]
    fn integers_like_glibc() {
        let cases: &[Case<i128>] = &[
            ("", 0, None, 'd', 42, "42"),
            ("0", 5, None, 'd', 42, "00042"),
            ("0", 5, None, 'd', -42, "-0042"),
            ("-", 5, None, 'd', 42, "42   "),
            ("+", 0, None, 'd', 5, "+5"),
            (" ", 0, None, 'd', 5, " 5"),
            ("", 0, Some(3), 'd', 5, "005"),
            ("0", 6, Some(3), 'd', 5, "   005"),
            ("#", 0, None, 'x', 255, "0xff"),
            ("#", 0, None, 'o', 8, "010"),
            ("", 0, None, 'X', 255, "FF"),
            ("", 0, None, 'x', -1, "ffffffffffffffff"),
            ("", 0, None, 'u', -3, "18446744073709551613"),
        ];
        for (flags, w, p, conv, v, want) in cases {
            assert_eq!(
                format_integer(&spec(flags, *w, *p), *conv, *v),
                *want,
                "%{flags}{w}{p:?}{conv} {v}"
            );
        }
    }

    #[test]
    fn floats_like_glibc() {
        let cases: &[Case<f64>] = &[
            ("", 0, None, 'f', 1.23456, "1.234560"),
            ("", 0, Some(2), 'f', 1.23456, "1.23"),
            ("", 8, Some(2), 'f', -1.23456, "   -1.23"),
            ("0", 8, Some(2), 'f', -1.23456, "-0001.23"),
            ("", 0, None, 'e', 12345.678, "1.234568e+04"),
            ("", 0, Some(2), 'E', 0.000123, "1.23E-04"),
            ("", 0, None, 'g', 12345.678, "12345.7"),
            ("", 0, None, 'g', 0.0001, "0.0001"),
            ("", 0, None, 'g', 0.00001, "1e-05"),
            ("", 0, None, 'g', 1234567.0, "1.23457e+06"),
            ("", 0, None, 'g', 100.0, "100"),
            ("", 0, None, 'g', 0.0, "0"),
        ];
        for (flags, w, p, conv, v, want) in cases {
            assert_eq!(
                format_float(&spec(flags, *w, *p), *conv, *v),
                *want,
                "%{flags}{w}{p:?}{conv} {v}"
            );
        }
    }

    #[test]
    fn numbers_read_like_bb_strtoll() {
        assert_eq!(parse_c_integer("0x10"), Some(16));
        assert_eq!(parse_c_integer("010"), Some(8));
        assert_eq!(parse_c_integer(" +7"), Some(7));
        assert_eq!(parse_c_integer("-0"), Some(0));
        assert_eq!(parse_c_integer("'A"), Some(65));
        assert_eq!(parse_c_integer("12abc"), None);
        assert_eq!(parse_c_integer(""), None);
        assert_eq!(parse_c_integer("08"), None);
    }
}
