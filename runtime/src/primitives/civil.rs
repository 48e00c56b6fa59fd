//! Proleptic Gregorian calendar arithmetic for the timestamp formats: a count
//! of days since 1970-01-01 to and from a year, month and day, and an instant
//! in seconds broken into the fields that `date-time`, `http-date` and SigV4's
//! `x-amz-date` write.
//!
//! The two day-count conversions follow the method Howard Hinnant published
//! (public domain) as `days_from_civil` and `civil_from_days`: years are
//! counted from 1 March, so that the leap day is the last day of its year and
//! every month's first day is a fixed linear function of its position, and
//! the calendar is cut into 400-year eras of exactly 146 097 days, in which
//! it repeats. Within an era only small non-negative numbers occur.

/// Seconds in a civil day (UTC has no leap seconds in any of our formats).
pub(crate) const SECS_PER_DAY: i64 = 86_400;
/// Days in 400 Gregorian years: 400 × 365 + 100 leap days − 3 skipped ones.
const DAYS_PER_ERA: i64 = 146_097;
/// Days from 0000-03-01, where era 0 starts, to 1970-01-01.
const ERA_START_TO_UNIX_EPOCH: i64 = 719_468;
/// 0000-01-01T00:00:00Z, the first instant a four-digit year can write.
const FIRST_FOUR_DIGIT_SEC: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z, the last whole second a four-digit year can write.
const LAST_FOUR_DIGIT_SEC: i64 = 253_402_300_799;

/// Whether `year` has a 29 February.
pub(crate) fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of `month` (1 = January) in `year`; 0 for a month
/// outside 1..=12.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given date (negative before it).
///
/// The date must exist (`month` in 1..=12, `day` in
/// 1..=[`days_in_month`]); `year` may be any value within a few hundred
/// billion of zero.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    debug_assert!((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month));
    // January and February belong to the March-based year before.
    let march_year = if month <= 2 { year - 1 } else { year };
    let era = march_year.div_euclid(400);
    let year_of_era = march_year.rem_euclid(400);
    // March is 0, ..., February 11. Month lengths from March repeat the
    // pattern 31 30 31 30 31, so the days before month m are (153m + 2) / 5.
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    // A leap day every 4 years of the era, except at 100 and 200 and 300.
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - ERA_START_TO_UNIX_EPOCH
}

/// The `(year, month, day)` that is `days` after 1970-01-01; `month` and
/// `day` count from 1.
///
/// Exact for any `days` obtained by dividing an `i64` count of seconds by
/// [`SECS_PER_DAY`].
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let since_era_zero = days + ERA_START_TO_UNIX_EPOCH;
    let era = since_era_zero.div_euclid(DAYS_PER_ERA);
    let day_of_era = since_era_zero.rem_euclid(DAYS_PER_ERA);
    // Remove the leap days before this day (one per 1461-day cycle, given
    // back per 36 524-day century, taken again on the era's last day), and
    // the era is 400 years of 365 days.
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (year_of_era * 365 + year_of_era / 4 - year_of_era / 100);
    // The inverse of (153m + 2) / 5 in `days_from_civil`.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    // Both are small and positive: month in 1..=12, day in 1..=31.
    (year, month as u32, day as u32)
}

/// An instant in whole seconds broken into UTC calendar fields, for a year
/// in 0000..=9999 (the range a four-digit year can write).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    /// 0..=9999.
    pub(crate) year: u32,
    /// 1..=12.
    pub(crate) month: u32,
    /// 1..=31.
    pub(crate) day: u32,
    /// 0..=23.
    pub(crate) hour: u32,
    /// 0..=59.
    pub(crate) minute: u32,
    /// 0..=59.
    pub(crate) second: u32,
    /// 0 for Monday up to 6 for Sunday.
    pub(crate) weekday: usize,
}

impl Civil {
    /// The calendar fields of `secs` seconds after the Unix epoch, or `None`
    /// when the year is outside 0000..=9999.
    pub(crate) fn from_unix_secs(secs: i64) -> Option<Civil> {
        if !(FIRST_FOUR_DIGIT_SEC..=LAST_FOUR_DIGIT_SEC).contains(&secs) {
            return None;
        }
        let days = secs.div_euclid(SECS_PER_DAY);
        let of_day = secs.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Some(Civil {
            year: u32::try_from(year).ok()?,
            month,
            day,
            // All three are below 86 400.
            hour: (of_day / 3_600) as u32,
            minute: (of_day / 60 % 60) as u32,
            second: (of_day % 60) as u32,
            // 1970-01-01 was a Thursday (3 counting from Monday).
            weekday: (days + 3).rem_euclid(7) as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        for year in [0, 4, 1600, 1996, 2000, 2024, 2400, -4, -400] {
            assert!(is_leap_year(year), "{year}");
        }
        for year in [1, 100, 1700, 1800, 1900, 2023, 2100, 9999, -1, -100] {
            assert!(!is_leap_year(year), "{year}");
        }
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 4), 30);
        assert_eq!(days_in_month(2024, 12), 31);
        assert_eq!((days_in_month(2024, 0), days_in_month(2024, 13)), (0, 0));
    }

    #[test]
    fn known_dates() {
        let cases = [
            ((1970, 1, 1), 0),
            ((1969, 12, 31), -1),
            ((2000, 2, 29), 11_016),
            ((2000, 3, 1), 11_017),
            ((1900, 3, 1), -25_508),
            ((1900, 2, 28), -25_509),
            ((2024, 2, 29), 19_782),
            ((0, 1, 1), -719_528),
            ((0, 2, 29), -719_469),
            ((0, 3, 1), -719_468),
            ((9999, 12, 31), 2_932_896),
            ((-1, 12, 31), -719_529),
            ((10_000, 1, 1), 2_932_897),
        ];
        for ((y, m, d), days) in cases {
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
            assert_eq!(civil_from_days(days), (y, m, d), "{days}");
        }
    }

    #[test]
    fn every_day_of_years_0_to_10000_round_trips_in_order() {
        let mut expected = days_from_civil(0, 1, 1);
        for year in 0..=10_000 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), expected);
                    assert_eq!(civil_from_days(expected), (year, month, day));
                    expected += 1;
                }
            }
        }
    }

    #[test]
    fn day_counts_from_any_i64_of_seconds_round_trip() {
        for secs in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            let days = secs.div_euclid(SECS_PER_DAY);
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), days, "{secs}");
        }
    }

    #[test]
    fn fields_of_instants() {
        let t = Civil::from_unix_secs(1_440_938_160).expect("2015");
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second),
            (2015, 8, 30, 12, 36, 0)
        );
        assert_eq!(t.weekday, 6, "a Sunday");
        let t = Civil::from_unix_secs(-1).expect("1969");
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday),
            (1969, 12, 31, 23, 59, 59, 2)
        );
        assert_eq!(Civil::from_unix_secs(0).map(|t| t.weekday), Some(3));
    }

    #[test]
    fn four_digit_years_only() {
        let first = Civil::from_unix_secs(FIRST_FOUR_DIGIT_SEC).expect("0000");
        assert_eq!(
            (first.year, first.month, first.day, first.hour),
            (0, 1, 1, 0)
        );
        assert_eq!(first.weekday, 5, "0000-01-01 is a Saturday");
        let last = Civil::from_unix_secs(LAST_FOUR_DIGIT_SEC).expect("9999");
        assert_eq!(
            (
                last.year,
                last.month,
                last.day,
                last.hour,
                last.minute,
                last.second
            ),
            (9999, 12, 31, 23, 59, 59)
        );
        assert_eq!(last.weekday, 4, "9999-12-31 is a Friday");
        assert_eq!(
            FIRST_FOUR_DIGIT_SEC,
            days_from_civil(0, 1, 1) * SECS_PER_DAY
        );
        assert_eq!(
            LAST_FOUR_DIGIT_SEC + 1,
            days_from_civil(10_000, 1, 1) * SECS_PER_DAY
        );
        for secs in [
            FIRST_FOUR_DIGIT_SEC - 1,
            LAST_FOUR_DIGIT_SEC + 1,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(Civil::from_unix_secs(secs), None, "{secs}");
        }
    }
}
