//! [`Number`]: what a field the reference types `number` holds.
//!
//! The reference says `number` for timestamps, durations, counters and percentages alike, and the
//! API is free to send `1700000000`, `1700000000.25` or `1.7e9` for any of them. A Rust `i64`
//! would fail the whole response on the first fraction, and an `f64` would turn `1000` into
//! `1000.0` on the way back. `Number` keeps the number exactly as it was written: decoding then
//! re-encoding (with `serde_json`) gives the same text, and `Display` prints that text, which is
//! also what a path parameter such as `{event_t}` needs. (Where a value passes through a
//! `serde_json::Value` first, as a union alternative does, it keeps its value but an unusual
//! spelling such as `1.7e9` is written the canonical way.)

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// The name `serde_json` gives its raw-value protocol: a deserializer that knows it hands over
/// the value's source text, and a serializer that knows it writes the text verbatim. Any other
/// format ignores the name and sees an ordinary number.
const RAW: &str = "$serde_json::private::RawValue";

/// A JSON number kept exactly as written, for every field the reference types `number` without
/// a reviewed entry saying it is an integer.
///
/// - Decodes every JSON number: `0`, `-3`, `1476.0`, `1.476e3`, `1700000000.25`,
///   `18446744073709551615`.
/// - Re-encodes and displays the exact text it was decoded from (`1.476e3` stays `1.476e3`).
/// - Reads as [`as_i64`](Self::as_i64), [`as_u64`](Self::as_u64) (whole values in range, however
///   written) or [`as_f64`](Self::as_f64) (the nearest `f64`).
/// - Compares by value: `Number::from(1476)` equals the decoded `1476.0`, and numbers order like
///   the values they denote.
///
/// `Eq` and `Hash` are not implemented: value equality across integer and fractional spellings
/// is exact for integers but goes through `f64` otherwise, which is not transitive beyond 2^53.
#[derive(Clone)]
pub struct Number(Repr);

#[derive(Clone)]
enum Repr {
    /// An integer written in its canonical form (no sign on zero, no fraction, no exponent).
    Int(i64),
    /// Any other number: its text, already checked to be a JSON number.
    Text(Box<str>),
}

impl Number {
    /// The number for a finite `f64`, written the shortest way that reads back as the same
    /// `f64`; `None` for NaN and infinities, which JSON cannot carry.
    pub fn from_f64(value: f64) -> Option<Number> {
        if !value.is_finite() {
            return None;
        }
        if value.fract() == 0.0
            && value.abs() < 9.0e15
            && (value != 0.0 || value.is_sign_positive())
        {
            return Some(Number(Repr::Int(value as i64)));
        }
        let mut buffer = ryu::Buffer::new();
        Some(Number(Repr::Text(buffer.format_finite(value).into())))
    }

    /// The value as an `i64` when it is a whole number in range, however it was written
    /// (`1476`, `1476.0`, `1.476e3`); `None` for fractions and out-of-range values.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Int(i) => Some(*i),
            Repr::Text(text) => integral(text).and_then(|v| i64::try_from(v).ok()),
        }
    }

    /// The value as a `u64` when it is a whole, non-negative number in range.
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            Repr::Int(i) => u64::try_from(*i).ok(),
            Repr::Text(text) => integral(text).and_then(|v| u64::try_from(v).ok()),
        }
    }

    /// The nearest `f64` (a value beyond `f64`'s range gives an infinity).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Int(i) => *i as f64,
            Repr::Text(text) => text.parse().unwrap_or(f64::NAN),
        }
    }

    /// Whether the value is a whole number (`1476.0` is; `0.5` is not).
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Int(_) => true,
            Repr::Text(text) => integral(text).is_some() || self.as_f64().fract() == 0.0,
        }
    }

    /// The number's text, exactly as decoded (or as constructed).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.0 {
            Repr::Int(i) => std::borrow::Cow::Owned(i.to_string()),
            Repr::Text(text) => std::borrow::Cow::Borrowed(text),
        }
    }

    /// Checks JSON number syntax and keeps the text.
    fn parse_text(text: &str) -> Result<Number, NumberError> {
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if !is_json_number(text) {
            return Err(NumberError(()));
        }
        Ok(Number::from_valid(text))
    }

    /// The number for text `serde_json` has already read as one JSON value: a value that starts
    /// like a number is a number (it has no surrounding whitespace).
    #[inline]
    fn from_raw(text: &str) -> Option<Number> {
        match text.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => Some(Number::from_valid(text)),
            _ => None,
        }
    }

    /// Keeps valid number text: canonical integers that fit `i64` as integers (the common case,
    /// read in one pass without allocating), anything else as text.
    #[inline]
    fn from_valid(text: &str) -> Number {
        let (negative, digits) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            all => (false, all),
        };
        // At most 18 digits cannot overflow; `-0` and leading zeros are not canonical.
        if let [first, ..] = digits {
            if digits.len() <= 18 && (*first != b'0' || (digits.len() == 1 && !negative)) {
                let mut magnitude = 0i64;
                let mut integral = true;
                for &d in digits {
                    let v = d.wrapping_sub(b'0');
                    if v > 9 {
                        integral = false;
                        break;
                    }
                    magnitude = magnitude * 10 + i64::from(v);
                }
                if integral {
                    return Number(Repr::Int(if negative { -magnitude } else { magnitude }));
                }
            }
        }
        match text.parse::<i64>() {
            // 19-digit integers; `0…` other than `0` itself is not canonical.
            Ok(i) if !text.trim_start_matches('-').starts_with('0') => Number(Repr::Int(i)),
            _ => Number(Repr::Text(text.into())),
        }
    }
}

/// The value of an integral number's text (`1.476e3` is 1476), for magnitudes up to `u64::MAX`;
/// `None` for fractions and larger values. Exact: works on the decimal digits, not on an `f64`.
fn integral(text: &str) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // value = digits × 10^(exponent − fraction digits); leading zeros change nothing and each
    // trailing zero moves one power of ten into the scale.
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let digits = digits.trim_start_matches('0');
    let significant = digits.trim_end_matches('0');
    let scale =
        i64::from(exponent) - fraction.len() as i64 + (digits.len() - significant.len()) as i64;
    if significant.is_empty() {
        return Some(0);
    }
    if scale < 0 || scale + significant.len() as i64 > 20 {
        return None;
    }
    let mut value: i128 = significant.parse().ok()?;
    for _ in 0..scale {
        value = value.checked_mul(10)?;
    }
    if value > i128::from(u64::MAX) {
        return None;
    }
    Some(if negative { -value } else { value })
}

/// Whether `text` is a number by JSON's grammar (`-? int frac? exp?`).
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    match digits(&mut at) {
        0 => return false,
        n if n > 1 && bytes[at - n] == b'0' => return false,
        _ => {}
    }
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        if digits(&mut at) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == bytes.len()
}

/// A string that is not a JSON number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberError(());

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a JSON number")
    }
}

impl std::error::Error for NumberError {}

impl FromStr for Number {
    type Err = NumberError;
    /// Parses a JSON number, keeping its text (`"1.5e3".parse::<Number>()`).
    fn from_str(text: &str) -> Result<Number, NumberError> {
        Number::parse_text(text)
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Number {
                Number(Repr::Int(i64::from(value)))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Number {
    fn from(value: u64) -> Number {
        match i64::try_from(value) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::Text(value.to_string().into())),
        }
    }
}

impl From<&Number> for Number {
    fn from(value: &Number) -> Number {
        value.clone()
    }
}

impl<'a> From<&'a Number> for super::PathValue<'a> {
    /// A path parameter written exactly as the number's text (`{event_t}` as the event had it).
    fn from(value: &'a Number) -> Self {
        match &value.0 {
            Repr::Int(i) => super::PathValue::Int(*i),
            Repr::Text(text) => super::PathValue::Str(text),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(i) => fmt::Display::fmt(i, f),
            Repr::Text(text) => f.write_str(text),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        // Whole values up to u64::MAX compare exactly; anything else by its nearest f64.
        let whole = |n: &Number| match &n.0 {
            Repr::Int(i) => Some(i128::from(*i)),
            Repr::Text(text) => integral(text),
        };
        match (whole(self), whole(other)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Int(i) => serializer.serialize_i64(*i),
            Repr::Text(text) => {
                // `serde_json` writes the text verbatim; other formats see one string field.
                let mut raw = serializer.serialize_struct(RAW, 1)?;
                raw.serialize_field(RAW, &**text)?;
                raw.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        deserializer.deserialize_newtype_struct(RAW, NumberVisitor)
    }
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Number, E> {
        Ok(Number::from(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Number, E> {
        Ok(Number::from(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Number, E> {
        Number::from_f64(value).ok_or_else(|| E::custom("a number JSON cannot carry"))
    }

    // Formats without a raw-value protocol wrap the value as an ordinary newtype.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Number, D::Error> {
        d.deserialize_any(self)
    }

    // `serde_json`'s raw value: one entry whose value is the source text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Number, A::Error> {
        if map.next_key::<de::IgnoredAny>()?.is_none() {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        }
        map.next_value_seed(RawText)
    }
}

/// The raw value's text, parsed as a number without copying it first.
struct RawText;

impl<'de> de::DeserializeSeed<'de> for RawText {
    type Value = Number;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Number, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawText {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Number, E> {
        Number::from_raw(text).ok_or_else(|| {
            let shown: String = text.chars().take(40).collect();
            E::invalid_type(de::Unexpected::Other(&shown), &"a number")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> String {
        let n: Number = serde_json::from_str(text).unwrap();
        serde_json::to_string(&n).unwrap()
    }

    #[test]
    fn every_spelling_comes_back_as_written() {
        for text in [
            "0",
            "-3",
            "1476",
            "1476.0",
            "1.476e3",
            "1.476E+3",
            "1700000000.25",
            "-0",
            "0.1",
            "18446744073709551615",
            "123456789012345678901234567890",
            "1e400",
            "1700000000.123456789012345",
        ] {
            assert_eq!(round(text), text);
            let n: Number = serde_json::from_str(text).unwrap();
            assert_eq!(n.to_string(), text);
        }
    }

    #[test]
    fn through_value_and_other_deserializers() {
        let v: serde_json::Value = serde_json::from_str(r#"{"n": 1.5}"#).unwrap();
        let n: Number = serde_json::from_value(v["n"].clone()).unwrap();
        assert_eq!(n.to_string(), "1.5");
        let n = Number::deserialize(&v["n"]).unwrap();
        assert_eq!(n.as_f64(), 1.5);
        assert_eq!(serde_json::to_value(&n).unwrap(), v["n"]);
        assert!(serde_json::from_str::<Number>("\"12\"").is_err());
        assert!(serde_json::from_str::<Number>("null").is_err());
    }

    #[test]
    fn reads_as_integers_and_floats() {
        let n = |t: &str| t.parse::<Number>().unwrap();
        assert_eq!(n("1.476e3").as_i64(), Some(1476));
        assert_eq!(n("1476.0").as_u64(), Some(1476));
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("0.5").as_i64(), None);
        assert_eq!(n("12e-1").as_i64(), None);
        assert_eq!(n("120e-1").as_i64(), Some(12));
        assert_eq!(n("0.000").as_i64(), Some(0));
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("1e30").as_u64(), None);
        assert!(n("1e30").is_integer());
        assert_eq!(n("0.25").as_f64(), 0.25);
        assert!("01".parse::<Number>().is_err());
        assert!("1.".parse::<Number>().is_err());
        assert!("nan".parse::<Number>().is_err());
    }

    #[test]
    fn compares_by_value() {
        let n = |t: &str| t.parse::<Number>().unwrap();
        assert_eq!(n("1476.0"), Number::from(1476));
        assert_eq!(n("1.476e3"), n("1476"));
        assert!(n("0.5") < Number::from(1));
        assert!(n("-2") < n("-1.5"));
        assert_eq!(Number::from_f64(0.5).unwrap().to_string(), "0.5");
        assert_eq!(Number::from_f64(3.0).unwrap().to_string(), "3");
        assert!(Number::from_f64(f64::NAN).is_none());
        assert_eq!(Number::from(u64::MAX).to_string(), "18446744073709551615");
        assert_ne!(Number::from(u64::MAX), Number::from(u64::MAX - 1));
        assert!(Number::from(u64::MAX - 1) < Number::from(u64::MAX));
    }
}
