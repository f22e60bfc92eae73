//! [`DateTime`], a lossless timestamp for OpenAPI `format: date-time`, and
//! its parser.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use chrono::{
    Datelike as _, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset as _, Timelike as _,
    Utc,
};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A timestamp for OpenAPI `format: date-time` that is tolerant on input and
/// loses no data.
///
/// It accepts RFC 3339 (for example `2024-04-22T18:55:28.456076Z` or
/// `2021-01-01T00:00:00+02:00`, with `T` and `Z` in either case) and the
/// deviations that real APIs send: a space instead of `T`
/// (`2021-01-01 00:00:00.000`), no offset at all (a local time), offsets
/// without a colon (`+0200`) or with hours only (`+02`), offsets with seconds
/// (`+05:53:28`), 1 to 9 fractional digits or none, a leap second (`:60`),
/// and years outside 0000 to 9999 written with a sign and at least four
/// digits (`+10000`, `-0001`).
///
/// A parsed value remembers how it was written, so [`Display`](fmt::Display)
/// and serialization give back exactly the input string. Values made from
/// chrono types are written in canonical RFC 3339: `T`, fractional digits only
/// when the nanoseconds are not zero (3, 6 or 9 of them, the fewest that are
/// exact), and `Z` for a zero offset.
///
/// Equality and hashing compare what was written: the local date and time,
/// the offset and the way the value was written, so `2021-01-01T00:00:00Z`
/// and `2021-01-01T00:00:00+00:00` are not equal. Use
/// [`same_instant`](DateTime::same_instant) to compare instants. Ordering is
/// by instant ([`to_utc`](DateTime::to_utc)) first, then by the remaining
/// fields, so it is consistent with equality.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The date and time as written (local time when there is an offset).
    naive: NaiveDateTime,
    /// The offset as written, `None` when the input had none.
    offset: Option<FixedOffset>,
    /// How the value was written.
    format: Format,
}

/// How a [`DateTime`] was written, so that it can be written back the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Format {
    /// The separator between date and time.
    separator: Separator,
    /// The number of fractional second digits written (0 to 9).
    frac_digits: u8,
    /// How the offset was written; `Colon` when there is no offset.
    offset_style: OffsetStyle,
    /// Whether a zero offset was written with a minus sign (`-00:00`).
    negative_zero: bool,
}

/// The separator between date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Separator {
    /// `T`
    UpperT,
    /// `t`
    LowerT,
    /// ` `
    Space,
}

impl Separator {
    fn as_char(self) -> char {
        match self {
            Separator::UpperT => 'T',
            Separator::LowerT => 't',
            Separator::Space => ' ',
        }
    }
}

/// How an offset was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum OffsetStyle {
    /// `Z`
    UpperZ,
    /// `z`
    LowerZ,
    /// `+HH:MM`
    Colon,
    /// `+HH:MM:SS`
    ColonSeconds,
    /// `+HHMM`
    Compact,
    /// `+HH`
    Hours,
}

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// The reason given if a parsed value would not be written back as its input;
/// the parser never lets that happen, and the tests check it.
const NOT_REPRODUCIBLE: &str = "not written in a form that can be reproduced";

const ACCEPTED: &str = "expected an RFC 3339 date-time such as \"2024-04-22T18:55:28.456Z\"; \
     also accepted are a space or 't' between date and time, a lowercase 'z', \
     no offset (local time), offsets written +HH:MM, +HHMM, +HH or +HH:MM:SS, \
     0 to 9 fractional digits and a leap second :60";

impl DateTime {
    /// Parses a date-time string; see the type's documentation for what is
    /// accepted. The result writes back exactly `s`.
    pub fn parse(s: &str) -> Result<DateTime, DateTimeParseError> {
        let value = parse_parts(s).map_err(|reason| DateTimeParseError::new(s, reason))?;
        // Every accepted input must be written back byte for byte; check it
        // rather than trust it, so no accepted value can change on the way out.
        let mut check = Matcher { rest: s, ok: true };
        let written = write!(check, "{value}").is_ok();
        if written && check.ok && check.rest.is_empty() {
            Ok(value)
        } else {
            Err(DateTimeParseError::new(s, NOT_REPRODUCIBLE))
        }
    }

    /// Makes a value with the canonical format for the given fields.
    fn canonical(naive: NaiveDateTime, offset: Option<FixedOffset>) -> DateTime {
        let offset_style = match offset {
            Some(off) if off.local_minus_utc() == 0 => OffsetStyle::UpperZ,
            Some(off) if off.local_minus_utc() % 60 != 0 => OffsetStyle::ColonSeconds,
            _ => OffsetStyle::Colon,
        };
        DateTime {
            naive,
            offset,
            format: Format {
                separator: Separator::UpperT,
                frac_digits: canonical_frac_digits(naive.nanosecond() % NANOS_PER_SEC),
                offset_style,
                negative_zero: false,
            },
        }
    }

    /// The date and time as written, without the offset: the local time when
    /// there is an offset.
    pub fn naive_local(&self) -> NaiveDateTime {
        self.naive
    }

    /// The offset as written, or `None` when the value had no offset.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// Whether the value has an offset (`Z` counts as one).
    pub fn has_offset(&self) -> bool {
        self.offset.is_some()
    }

    /// The instant in UTC. A value without an offset is taken to be in UTC.
    pub fn to_utc(&self) -> chrono::DateTime<Utc> {
        chrono::DateTime::from_naive_utc_and_offset(self.naive_utc(), Utc)
    }

    /// The instant with its offset. A value without an offset is taken to be
    /// in UTC and gets the offset `+00:00`.
    pub fn to_fixed_offset(&self) -> chrono::DateTime<FixedOffset> {
        let offset = self.offset.unwrap_or_else(|| Utc.fix());
        chrono::DateTime::from_naive_utc_and_offset(self.naive_utc(), offset)
    }

    /// Whether both values denote the same instant, however they were
    /// written. Values without an offset are taken to be in UTC.
    pub fn same_instant(&self, other: &DateTime) -> bool {
        self.to_utc() == other.to_utc()
    }

    fn naive_utc(&self) -> NaiveDateTime {
        match self.offset {
            // Cannot fail for parsed values (years 0000 to 9999 are far from
            // the limits) nor for values made from chrono types, whose local
            // time is checked on the way in; fall back rather than panic.
            Some(off) => self.naive.checked_sub_offset(off).unwrap_or(self.naive),
            None => self.naive,
        }
    }

    fn offset_seconds(&self) -> Option<i32> {
        self.offset.map(|off| off.local_minus_utc())
    }
}

/// The fewest of 0, 3, 6 or 9 digits that write `nanos` exactly.
fn canonical_frac_digits(nanos: u32) -> u8 {
    // A match rather than `is_multiple_of`, which needs Rust 1.87.
    match (nanos, nanos % 1_000_000, nanos % 1_000) {
        (0, _, _) => 0,
        (_, 0, _) => 3,
        (_, _, 0) => 6,
        _ => 9,
    }
}

impl fmt::Display for DateTime {
    /// Writes the value exactly as it was parsed, or in canonical RFC 3339
    /// when it was made from a chrono type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let date = self.naive.date();
        let time = self.naive.time();
        let year = date.year();
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}")?;
        } else if year < 0 {
            write!(f, "-{:04}", year.unsigned_abs())?;
        } else {
            write!(f, "+{year}")?;
        }
        write!(f, "-{:02}-{:02}", date.month(), date.day())?;
        f.write_char(self.format.separator.as_char())?;
        let (second, nanos) = if time.nanosecond() >= NANOS_PER_SEC {
            (time.second() + 1, time.nanosecond() - NANOS_PER_SEC)
        } else {
            (time.second(), time.nanosecond())
        };
        write!(f, "{:02}:{:02}:{:02}", time.hour(), time.minute(), second)?;
        let digits = u32::from(self.format.frac_digits.min(9));
        if digits > 0 {
            let value = nanos / 10u32.pow(9 - digits);
            write!(f, ".{value:0width$}", width = digits as usize)?;
        }
        let Some(offset) = self.offset else {
            return Ok(());
        };
        let seconds = offset.local_minus_utc();
        let sign = if seconds < 0 || (seconds == 0 && self.format.negative_zero) {
            '-'
        } else {
            '+'
        };
        let abs = seconds.unsigned_abs();
        let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
        match self.format.offset_style {
            OffsetStyle::UpperZ => f.write_char('Z'),
            OffsetStyle::LowerZ => f.write_char('z'),
            OffsetStyle::Colon => write!(f, "{sign}{h:02}:{m:02}"),
            OffsetStyle::ColonSeconds => write!(f, "{sign}{h:02}:{m:02}:{s:02}"),
            OffsetStyle::Compact => write!(f, "{sign}{h:02}{m:02}"),
            OffsetStyle::Hours => write!(f, "{sign}{h:02}"),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime(\"{self}\")")
    }
}

impl FromStr for DateTime {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<DateTime, DateTimeParseError> {
        DateTime::parse(s)
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &DateTime) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    /// Orders by instant ([`DateTime::to_utc`]), then by local time, offset
    /// and format, so that only equal values compare as `Equal`.
    fn cmp(&self, other: &DateTime) -> Ordering {
        self.to_utc()
            .cmp(&other.to_utc())
            .then_with(|| self.naive.cmp(&other.naive))
            .then_with(|| self.offset_seconds().cmp(&other.offset_seconds()))
            .then_with(|| self.format.cmp(&other.format))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    /// Makes a value that is written in canonical RFC 3339 with `Z`.
    fn from(value: chrono::DateTime<Utc>) -> DateTime {
        DateTime::canonical(value.naive_utc(), Some(Utc.fix()))
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    /// Makes a value that is written in canonical RFC 3339 (`Z` for a zero
    /// offset). In the rare case that the local time cannot be represented,
    /// the value is kept in UTC instead.
    fn from(value: chrono::DateTime<FixedOffset>) -> DateTime {
        let offset = *value.offset();
        match value.naive_utc().checked_add_offset(offset) {
            Some(local) if local.nanosecond() < NANOS_PER_SEC || local.second() == 59 => {
                DateTime::canonical(local, Some(offset))
            }
            _ => DateTime::canonical(value.naive_utc(), Some(Utc.fix())),
        }
    }
}

impl From<NaiveDateTime> for DateTime {
    /// Makes a value without an offset, written like RFC 3339 but with no
    /// offset.
    fn from(value: NaiveDateTime) -> DateTime {
        DateTime::canonical(value, None)
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> chrono::DateTime<Utc> {
        value.to_utc()
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> chrono::DateTime<FixedOffset> {
        value.to_fixed_offset()
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date-time string (RFC 3339, such as \"2024-04-22T18:55:28.456Z\")")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::parse(v).map_err(E::custom)
    }
}

/// The error returned when a string is not an accepted date-time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
    reason: &'static str,
}

impl DateTimeParseError {
    fn new(input: &str, reason: &'static str) -> DateTimeParseError {
        DateTimeParseError {
            input: input.to_owned(),
            reason,
        }
    }

    /// The string that was rejected.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What was wrong with it, in a few words.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 80;
        let shown = match self.input.char_indices().nth(SHOWN) {
            Some((end, _)) => self.input.get(..end).unwrap_or(""),
            None => self.input.as_str(),
        };
        let more = if shown.len() < self.input.len() {
            "..."
        } else {
            ""
        };
        write!(
            f,
            "invalid date-time {shown:?}{more}: {}; {ACCEPTED}",
            self.reason
        )
    }
}

impl std::error::Error for DateTimeParseError {}

/// A `fmt::Write` that checks what is written against a string.
struct Matcher<'a> {
    rest: &'a str,
    ok: bool,
}

impl fmt::Write for Matcher<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.rest.strip_prefix(s) {
            Some(rest) if self.ok => self.rest = rest,
            _ => self.ok = false,
        }
        Ok(())
    }
}

/// A position in the input; every read is bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_is_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Exactly `n` ASCII digits (n is at most 4).
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for i in 0..n {
            let b = self.bytes.get(self.pos.checked_add(i)?).copied()?;
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.pos += n;
        Some(value)
    }

    /// A run of ASCII digits: its value (of the first `limit` digits, with
    /// `limit` at most 9) and its length, counted up to `limit + 1`.
    fn digit_run(&mut self, limit: usize) -> (u32, usize) {
        let mut value = 0u32;
        let mut count = 0usize;
        while count <= limit {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    if count < limit {
                        value = value * 10 + u32::from(b - b'0');
                    }
                    count += 1;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        (value, count)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// Parses the parts of a date-time; the error is the reason.
fn parse_parts(s: &str) -> Result<DateTime, &'static str> {
    let mut c = Cursor {
        bytes: s.as_bytes(),
        pos: 0,
    };
    if c.at_end() {
        return Err("the string is empty");
    }

    let year = parse_year(&mut c)?;
    if !c.eat(b'-') {
        return Err("expected '-' after the year");
    }
    let month = c.digits(2).ok_or("expected a two-digit month")?;
    if !(1..=12).contains(&month) {
        return Err("the month must be 01 to 12");
    }
    if !c.eat(b'-') {
        return Err("expected '-' after the month");
    }
    let day = c.digits(2).ok_or("expected a two-digit day")?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or("no such day in that month")?;

    let separator = if c.eat(b'T') {
        Separator::UpperT
    } else if c.eat(b't') {
        Separator::LowerT
    } else if c.eat(b' ') {
        Separator::Space
    } else {
        return Err("expected 'T', 't' or a space between the date and the time");
    };

    let hour = c.digits(2).ok_or("expected a two-digit hour")?;
    if hour > 23 {
        return Err("the hour must be 00 to 23");
    }
    if !c.eat(b':') {
        return Err("expected ':' after the hour");
    }
    let minute = c.digits(2).ok_or("expected a two-digit minute")?;
    if minute > 59 {
        return Err("the minute must be 00 to 59");
    }
    if !c.eat(b':') {
        return Err("expected ':' after the minute");
    }
    let second = c.digits(2).ok_or("expected two-digit seconds")?;
    if second > 60 {
        return Err("the seconds must be 00 to 60");
    }

    let mut frac_digits = 0u8;
    let mut nanos = 0u32;
    if c.eat(b'.') {
        let (value, count) = c.digit_run(9);
        if count == 0 {
            return Err("expected digits after the decimal point");
        }
        if count > 9 {
            return Err("more than 9 fractional digits");
        }
        // count is 1..=9 here.
        frac_digits = u8::try_from(count).map_err(|_| "more than 9 fractional digits")?;
        nanos = value * 10u32.pow(9 - u32::from(frac_digits));
    }

    let time = if second == 60 {
        NaiveTime::from_hms_nano_opt(hour, minute, 59, NANOS_PER_SEC + nanos)
    } else {
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }
    .ok_or("invalid time of day")?;

    let (offset, offset_style, negative_zero) = parse_offset(&mut c)?;
    if !c.at_end() {
        return Err("unexpected characters after the date-time");
    }

    Ok(DateTime {
        naive: NaiveDateTime::new(date, time),
        offset,
        format: Format {
            separator,
            frac_digits,
            offset_style,
            negative_zero,
        },
    })
}

/// A four-digit year, or a sign and at least four digits for a year outside
/// 0000 to 9999.
fn parse_year(c: &mut Cursor<'_>) -> Result<i32, &'static str> {
    let negative = match c.peek() {
        Some(b'-') => true,
        Some(b'+') => false,
        _ => {
            let year = c.digits(4).ok_or("expected a four-digit year")?;
            if c.peek_is_digit() {
                return Err("a year of more than four digits needs a '+' sign");
            }
            return i32::try_from(year).map_err(|_| "year out of range");
        }
    };
    c.pos += 1;
    let (value, count) = c.digit_run(6);
    if count < 4 {
        return Err("expected at least four digits after the year's sign");
    }
    if count > 6 {
        return Err("year out of range");
    }
    if count > 4 && value < 10u32.pow(u32::try_from(count - 1).unwrap_or(0)) {
        return Err("a year of more than four digits must not start with 0");
    }
    if !negative && value <= 9999 {
        return Err("a year from 0000 to 9999 is written without a sign");
    }
    if negative && value == 0 {
        return Err("the year -0000 is not allowed");
    }
    let year = i32::try_from(value).map_err(|_| "year out of range")?;
    Ok(if negative { -year } else { year })
}

type ParsedOffset = (Option<FixedOffset>, OffsetStyle, bool);

/// An optional offset: `Z`, `z`, `+HH:MM`, `+HH:MM:SS`, `+HHMM` or `+HH`.
fn parse_offset(c: &mut Cursor<'_>) -> Result<ParsedOffset, &'static str> {
    if c.eat(b'Z') {
        return Ok((Some(Utc.fix()), OffsetStyle::UpperZ, false));
    }
    if c.eat(b'z') {
        return Ok((Some(Utc.fix()), OffsetStyle::LowerZ, false));
    }
    let negative = if c.eat(b'+') {
        false
    } else if c.eat(b'-') {
        true
    } else {
        return Ok((None, OffsetStyle::Colon, false));
    };
    let hours = c.digits(2).ok_or("expected two-digit offset hours")?;
    if hours > 23 {
        return Err("the offset hours must be 00 to 23");
    }
    let (minutes, seconds, style) = if c.eat(b':') {
        let minutes = c.digits(2).ok_or("expected two-digit offset minutes")?;
        if c.eat(b':') {
            let seconds = c.digits(2).ok_or("expected two-digit offset seconds")?;
            (minutes, seconds, OffsetStyle::ColonSeconds)
        } else {
            (minutes, 0, OffsetStyle::Colon)
        }
    } else if c.peek_is_digit() {
        let minutes = c.digits(2).ok_or("expected two-digit offset minutes")?;
        (minutes, 0, OffsetStyle::Compact)
    } else {
        (0, 0, OffsetStyle::Hours)
    };
    if minutes > 59 {
        return Err("the offset minutes must be 00 to 59");
    }
    if seconds > 59 {
        return Err("the offset seconds must be 00 to 59");
    }
    let total =
        i32::try_from(hours * 3600 + minutes * 60 + seconds).map_err(|_| "offset out of range")?;
    let total = if negative { -total } else { total };
    let offset = FixedOffset::east_opt(total).ok_or("offset out of range")?;
    Ok((Some(offset), style, negative && total == 0))
}

#[cfg(test)]
mod tests;
