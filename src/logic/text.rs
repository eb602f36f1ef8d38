//! Display formatting of dates and counts.

use chrono::NaiveDate;

// chrono's formatting already knows English month and weekday names.

/// "Friday, 20 November 2020"
pub fn long_date(date: NaiveDate) -> String {
    date.format("%A, %-d %B %Y").to_string()
}

/// "November 2020" (an out-of-range month gives just the year).
pub fn month_year(year: i32, month: u32) -> String {
    match NaiveDate::from_ymd_opt(year, month, 1) {
        Some(first) => first.format("%B %Y").to_string(),
        None => year.to_string(),
    }
}

/// "1 event", "3 events"
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", group_digits(n))
    }
}

/// 99300 -> "99,300".
pub fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        let d = NaiveDate::from_ymd_opt(2020, 11, 20).unwrap();
        assert_eq!(long_date(d), "Friday, 20 November 2020");
        assert_eq!(month_year(2020, 11), "November 2020");
    }

    #[test]
    fn pluralises() {
        assert_eq!(plural(1, "turn", "turns"), "1 turn");
        assert_eq!(plural(3, "turn", "turns"), "3 turns");
        assert_eq!(plural(0, "turn", "turns"), "0 turns");
    }
}
