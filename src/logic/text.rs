//! Display formatting of dates and counts.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// "Friday, 20 November 2020"
pub fn long_date(date: NaiveDate) -> String {
    let weekday = match date.weekday() {
        chrono::Weekday::Mon => "Monday",
        chrono::Weekday::Tue => "Tuesday",
        chrono::Weekday::Wed => "Wednesday",
        chrono::Weekday::Thu => "Thursday",
        chrono::Weekday::Fri => "Friday",
        chrono::Weekday::Sat => "Saturday",
        chrono::Weekday::Sun => "Sunday",
    };
    format!(
        "{weekday}, {} {} {}",
        date.day(),
        month_name(date.month()),
        date.year()
    )
}

/// "November 2020"
pub fn month_year(year: i32, month: u32) -> String {
    format!("{} {year}", month_name(month))
}

/// "1 event", "3 events"
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
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
