//! Byte sizes as text, in the two forms Layerlab prints:
//! - [`human_size`] for people (the playground's layer view, package notes): decimal units with
//!   a space, three significant digits, `12 B`, `1.23 kB`, `74.8 MB`, `340 kB`, like the sizes
//!   `docker images` / `docker history` show (go-units `HumanSizeWithPrecision(size, 3)`, which
//!   is decimal: 1 kB = 1000 B);
//! - [`busybox_human`] for the shell applets that must print what busybox prints (`ls -lh`,
//!   `du -h`): binary units, one letter, one tenth, `0`, `512`, `4.0K`, `1.5M`.
//!
//! They differ on purpose: the first mimics Docker's tools, the second busybox's
//! `make_human_readable_str`; keep each one's callers on it.

/// Decimal units after bytes, as Docker's go-units names them (`kB` lower-case k).
const DECIMAL_UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];

/// busybox's `unit_chars` after the plain number (libbb/human_readable.c).
const BUSYBOX_UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];

/// `12 B`, `1.23 kB`, `74.8 MB`, `340 kB`, `1.20 GB`: decimal units, three significant digits.
///
/// A value that would round to `1000` of a unit is shown in the next one (`999_999` B is
/// `1.00 MB`, not `1000 kB`).
pub fn human_size(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while unit + 1 < DECIMAL_UNITS.len() && value.round() >= 1000.0 {
        value /= 1000.0;
        unit += 1;
    }
    let name = DECIMAL_UNITS[unit];
    // Decide the decimals on the rounded value so 9.999 prints `10.0`, not `10.00`.
    if (value * 100.0).round() < 1000.0 {
        format!("{value:.2} {name}")
    } else if (value * 10.0).round() < 1000.0 {
        format!("{value:.1} {name}")
    } else {
        format!("{value:.0} {name}")
    }
}

/// busybox `make_human_readable_str(bytes, 1, 0)`: `0`, `512`, `4.0K`, `1.5M` (powers of 1024,
/// the tenth rounded half up, a tenth of 10 carried into the units). What `ls -lh` prints in
/// its size column and, from kilobyte blocks times 1024, what `du -h` prints.
pub fn busybox_human(bytes: u64) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    let mut value = bytes;
    let mut unit: Option<usize> = None;
    let mut tenths = 0;
    while value >= 1024 && unit.is_none_or(|u| u + 1 < BUSYBOX_UNITS.len()) {
        tenths = ((value % 1024) * 10 + 512) / 1024;
        value /= 1024;
        unit = Some(unit.map_or(0, |u| u + 1));
    }
    if tenths >= 10 {
        value += 1;
        tenths = 0;
    }
    match unit.and_then(|u| BUSYBOX_UNITS.get(u)) {
        Some(letter) => format!("{value}.{tenths}{letter}"),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_keep_three_significant_digits() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(17), "17 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1_000), "1.00 kB");
        assert_eq!(human_size(1_234), "1.23 kB");
        assert_eq!(human_size(340_000), "340 kB");
        assert_eq!(human_size(512_000), "512 kB");
        assert_eq!(human_size(11_269_671), "11.3 MB");
        assert_eq!(human_size(19_900_000), "19.9 MB");
        assert_eq!(human_size(74_800_000), "74.8 MB");
        assert_eq!(human_size(1_130_000_000), "1.13 GB");
        assert_eq!(human_size(1_200_000_000), "1.20 GB");
    }

    #[test]
    fn human_sizes_round_into_the_next_unit_or_decimal() {
        assert_eq!(human_size(999_999), "1.00 MB");
        assert_eq!(human_size(9_999), "10.0 kB");
        assert_eq!(human_size(99_990), "100 kB");
        assert_eq!(human_size(u64::MAX), "18.4 EB");
    }

    #[test]
    fn busybox_sizes_match_make_human_readable_str() {
        assert_eq!(busybox_human(0), "0");
        assert_eq!(busybox_human(512), "512");
        assert_eq!(busybox_human(1023), "1023");
        assert_eq!(busybox_human(1024), "1.0K");
        assert_eq!(busybox_human(4096), "4.0K");
        assert_eq!(busybox_human(1536), "1.5K");
        // 1023.96 K: the tenth rounds to 10 and carries (busybox prints `1024.0K`, not `1.0M`).
        assert_eq!(busybox_human(1_048_535), "1024.0K");
        assert_eq!(busybox_human(5 * 1024 * 1024), "5.0M");
        assert_eq!(busybox_human(u64::MAX), "16.0E");
    }
}
