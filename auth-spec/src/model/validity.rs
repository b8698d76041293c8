use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A token lifetime with its unit, written `"<number><unit>"` with unit `s`, `m`, `h` or `d`:
/// `"60m"`, `"1h"`, `"30d"`. Cognito stores the number and the unit separately; keeping both
/// avoids the perpetual `3600 seconds` vs `1 hours` diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenValidity {
    /// The number of units.
    pub value: u32,
    /// The unit.
    pub unit: TimeUnit,
}

/// The unit of a [`TokenValidity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeUnit {
    /// Seconds (`s`).
    Seconds,
    /// Minutes (`m`).
    Minutes,
    /// Hours (`h`).
    Hours,
    /// Days (`d`).
    Days,
}

impl TimeUnit {
    /// The length of one unit in seconds.
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3_600,
            TimeUnit::Days => 86_400,
        }
    }

    fn suffix(self) -> char {
        match self {
            TimeUnit::Seconds => 's',
            TimeUnit::Minutes => 'm',
            TimeUnit::Hours => 'h',
            TimeUnit::Days => 'd',
        }
    }
}

impl TokenValidity {
    /// `value` minutes.
    pub const fn minutes(value: u32) -> Self {
        TokenValidity { value, unit: TimeUnit::Minutes }
    }
    /// `value` hours.
    pub const fn hours(value: u32) -> Self {
        TokenValidity { value, unit: TimeUnit::Hours }
    }
    /// `value` days.
    pub const fn days(value: u32) -> Self {
        TokenValidity { value, unit: TimeUnit::Days }
    }
    /// The lifetime in seconds.
    pub fn as_seconds(self) -> u64 {
        u64::from(self.value) * self.unit.seconds()
    }
}

impl fmt::Display for TokenValidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.value, self.unit.suffix())
    }
}

/// Why a string is not a [`TokenValidity`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a duration: write a whole number and a unit, like \"60m\", \"1h\" or \"30d\" (units: s, m, h, d)"
)]
pub struct ParseTokenValidityError(String);

impl FromStr for TokenValidity {
    type Err = ParseTokenValidityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || ParseTokenValidityError(text.to_string());
        let unit = match text.chars().last() {
            Some('s') => TimeUnit::Seconds,
            Some('m') => TimeUnit::Minutes,
            Some('h') => TimeUnit::Hours,
            Some('d') => TimeUnit::Days,
            _ => return Err(error()),
        };
        let digits = &text[..text.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error());
        }
        let value = digits.parse().map_err(|_| error())?;
        Ok(TokenValidity { value, unit })
    }
}

impl Serialize for TokenValidity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TokenValidity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for TokenValidity {
    fn schema_name() -> Cow<'static, str> {
        "TokenValidity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]+[smhd]$",
            "description": "A duration: a whole number and a unit (s, m, h or d), e.g. \"60m\", \"1h\", \"30d\".",
            "examples": ["60m", "1h", "30d"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_each_unit() {
        for (text, seconds) in [("90s", 90), ("60m", 3600), ("1h", 3600), ("30d", 2_592_000)] {
            let validity: TokenValidity = text.parse().unwrap();
            assert_eq!(validity.as_seconds(), seconds);
            assert_eq!(validity.to_string(), text);
        }
    }

    #[test]
    fn rejects_what_is_not_number_then_unit() {
        for text in ["", "m", "1", "1w", "-1h", "1.5h", "h1", "99999999999d"] {
            assert!(text.parse::<TokenValidity>().is_err(), "{text:?} should not parse");
        }
    }
}
