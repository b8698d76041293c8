//! Support for the code `#[auth_config("auth.toml")]` generates: the errors its typed API returns,
//! attribute constraint checks, and typed readers of token claims. Public because generated code
//! lives in the app's crate; apps use these types through the generated ones.

use crate::error::AuthError;
use crate::verify::{TokenUse, VerifyError};
use serde_json::Value;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Token claims as a JSON object.
pub type ClaimsMap = serde_json::Map<String, Value>;

/// An attribute value the spec's constraints reject, or a required one left out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttributeError {
    /// Shorter than `min_length`.
    #[error("`{attribute}` has {length} characters; the spec requires at least {min}")]
    TooShort {
        /// The attribute's wire name.
        attribute: &'static str,
        /// The minimum.
        min: u32,
        /// The value's length.
        length: usize,
    },
    /// Longer than `max_length`.
    #[error("`{attribute}` has {length} characters; the spec allows at most {max}")]
    TooLong {
        /// The attribute's wire name.
        attribute: &'static str,
        /// The maximum.
        max: u32,
        /// The value's length.
        length: usize,
    },
    /// Below `min`.
    #[error("`{attribute}` is {value}; the spec requires at least {min}")]
    BelowMinimum {
        /// The attribute's wire name.
        attribute: &'static str,
        /// The minimum.
        min: i64,
        /// The value.
        value: i64,
    },
    /// Above `max`.
    #[error("`{attribute}` is {value}; the spec allows at most {max}")]
    AboveMaximum {
        /// The attribute's wire name.
        attribute: &'static str,
        /// The maximum.
        max: i64,
        /// The value.
        value: i64,
    },
    /// A required attribute the step asked for is not set.
    #[error("`{attribute}` is required: set it")]
    Missing {
        /// The attribute's wire name.
        attribute: &'static str,
    },
}

/// Checks a text attribute's length (in characters, as Cognito counts).
pub fn check_length(
    attribute: &'static str,
    value: &str,
    min: Option<u32>,
    max: Option<u32>,
) -> Result<(), AttributeError> {
    let length = value.chars().count();
    if let Some(min) = min
        && length < min as usize
    {
        return Err(AttributeError::TooShort { attribute, min, length });
    }
    if let Some(max) = max
        && length > max as usize
    {
        return Err(AttributeError::TooLong { attribute, max, length });
    }
    Ok(())
}

/// Checks a number attribute's range.
pub fn check_range(
    attribute: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), AttributeError> {
    if let Some(min) = min
        && value < min
    {
        return Err(AttributeError::BelowMinimum { attribute, min, value });
    }
    if let Some(max) = max
        && value > max
    {
        return Err(AttributeError::AboveMaximum { attribute, max, value });
    }
    Ok(())
}

/// A name that is not one of the spec's (a group, provider, scope or client).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}`{name}`")]
pub struct UnknownName {
    what: &'static str,
    name: String,
}

impl UnknownName {
    /// `what` is the message's start, e.g. "not a Group of this spec: ".
    pub fn new(what: &'static str, name: &str) -> UnknownName {
        UnknownName { what, name: name.to_string() }
    }
}

/// Claims that do not have the shape the spec says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// A claim every token of the pool has is missing.
    #[error("the token has no `{0}` claim")]
    Missing(String),
    /// A claim has a value of the wrong type.
    #[error("the `{claim}` claim is not {expected}: {value}")]
    Invalid {
        /// The claim.
        claim: String,
        /// What it should be.
        expected: &'static str,
        /// What it is.
        value: String,
    },
    /// A group, scope or other name the spec does not declare (the pool has drifted from the
    /// spec: `cargo xtask diff` shows how).
    #[error("the `{claim}` claim names {name}, which the spec does not declare")]
    UnknownName {
        /// The claim.
        claim: String,
        /// The name.
        name: String,
    },
}

/// The error of the generated typed API.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TypedError {
    /// Cognito or the client said no.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// An attribute breaks the spec's constraints.
    #[error(transparent)]
    Attribute(#[from] AttributeError),
    /// Cognito asked for a sign-in step the spec rules out: the live pool no longer matches the
    /// spec (`cargo xtask diff` shows how).
    #[error(
        "Cognito asked for a step the spec rules out ({step}): the pool differs from the spec, run `cargo xtask diff`"
    )]
    UnexpectedStep {
        /// The step.
        step: String,
    },
    /// The token's claims do not have the spec's shape.
    #[error(transparent)]
    Claims(#[from] ClaimsError),
    /// The token did not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
}

/// A claims type generated from a spec: how it is read from verified claims.
pub trait TypedClaims: Sized {
    /// Which token carries these claims.
    const TOKEN_USE: TokenUse;

    /// Reads the claims.
    fn from_claims(claims: &ClaimsMap) -> Result<Self, ClaimsError>;
}

fn invalid(claim: &str, expected: &'static str, value: &Value) -> ClaimsError {
    ClaimsError::Invalid { claim: claim.to_string(), expected, value: value.to_string() }
}

/// A string claim every token has.
pub fn claim_string(claims: &ClaimsMap, name: &str) -> Result<String, ClaimsError> {
    claim_opt_string(claims, name)?.ok_or_else(|| ClaimsError::Missing(name.to_string()))
}

/// A string claim (`aud` may also be a one-element array).
pub fn claim_opt_string(claims: &ClaimsMap, name: &str) -> Result<Option<String>, ClaimsError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Array(items)) if items.len() == 1 && items[0].is_string() => {
            Ok(items[0].as_str().map(str::to_string))
        }
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(other) => Err(invalid(name, "a string", other)),
    }
}

/// An integer claim; Cognito writes number attributes as strings in tokens.
pub fn claim_opt_i64(claims: &ClaimsMap, name: &str) -> Result<Option<i64>, ClaimsError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Number(number)) => {
            number.as_i64().map(Some).ok_or_else(|| invalid(name, "an integer", value))
        }
        Some(value @ Value::String(text)) => {
            text.trim().parse().map(Some).map_err(|_| invalid(name, "an integer", value))
        }
        Some(other) => Err(invalid(name, "an integer", other)),
    }
}

/// A boolean claim; Cognito writes some as `"true"` / `"false"`.
pub fn claim_opt_bool(claims: &ClaimsMap, name: &str) -> Result<Option<bool>, ClaimsError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(value @ Value::String(text)) => match text.as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(invalid(name, "true or false", value)),
        },
        Some(other) => Err(invalid(name, "true or false", other)),
    }
}

/// A date-time claim: RFC 3339 text, or seconds since the epoch.
pub fn claim_opt_datetime(claims: &ClaimsMap, name: &str) -> Result<Option<SystemTime>, ClaimsError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::String(text)) => {
            parse_datetime(text).map(Some).ok_or_else(|| invalid(name, "a date-time", value))
        }
        Some(value @ Value::Number(number)) => number
            .as_u64()
            .map(|seconds| Some(UNIX_EPOCH + Duration::from_secs(seconds)))
            .ok_or_else(|| invalid(name, "a date-time", value)),
        Some(other) => Err(invalid(name, "a date-time", other)),
    }
}

/// A seconds-since-epoch claim every token has (`exp`, `iat`).
pub fn claim_time(claims: &ClaimsMap, name: &str) -> Result<SystemTime, ClaimsError> {
    match claims.get(name) {
        None => Err(ClaimsError::Missing(name.to_string())),
        Some(value) => value
            .as_u64()
            .map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds))
            .ok_or_else(|| invalid(name, "seconds since the epoch", value)),
    }
}

/// A list of the spec's names (`cognito:groups` is an array, `scope` a space-separated string);
/// absent is empty.
pub fn claim_names<T: std::str::FromStr>(claims: &ClaimsMap, name: &str) -> Result<Vec<T>, ClaimsError> {
    let words: Vec<&str> = match claims.get(name) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.split_whitespace().collect(),
        Some(value @ Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().ok_or_else(|| invalid(name, "a list of names", value)))
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(invalid(name, "a list of names", other)),
    };
    words
        .into_iter()
        .map(|word| {
            word.parse().map_err(|_| ClaimsError::UnknownName { claim: name.to_string(), name: format!("`{word}`") })
        })
        .collect()
}

/// RFC 3339 in UTC (`2026-11-23T18:02:00Z`), Cognito's text form of a date-time attribute.
pub fn format_datetime(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs()) as i64;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Parses RFC 3339 (`Z` or `±hh:mm`, optional fraction) or whole seconds since the epoch.
pub fn parse_datetime(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds));
    }
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || &rest[3..4] != ":" {
                return None;
            }
            sign * (rest[1..3].parse::<i64>().ok()? * 3600 + rest[4..6].parse::<i64>().ok()? * 60)
        }
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    u64::try_from(seconds).ok().map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds))
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip_through_rfc_3339() {
        for (seconds, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_795_458_769, "2026-11-23T18:32:49Z"),
        ] {
            let time = UNIX_EPOCH + Duration::from_secs(seconds);
            assert_eq!(format_datetime(time), text);
            assert_eq!(parse_datetime(text), Some(time));
        }
        assert_eq!(
            parse_datetime("2026-11-23T19:32:49.123+01:00"),
            Some(UNIX_EPOCH + Duration::from_secs(1_795_458_769))
        );
        assert_eq!(parse_datetime("1795458769"), Some(UNIX_EPOCH + Duration::from_secs(1_795_458_769)));
        for bad in
            ["", "2026-13-01T00:00:00Z", "2026-11-23", "2026-11-23T18:52:49", "2026-11-23T18:52:49+0100", "yesterday"]
        {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn constraints_name_the_attribute_and_the_limit() {
        assert_eq!(check_length("custom:tier", "gold", Some(1), Some(16)), Ok(()));
        assert_eq!(
            check_length("custom:tier", "", Some(1), None),
            Err(AttributeError::TooShort { attribute: "custom:tier", min: 1, length: 0 })
        );
        assert_eq!(
            check_length("custom:tier", "ééé", None, Some(2)),
            Err(AttributeError::TooLong { attribute: "custom:tier", max: 2, length: 3 })
        );
        assert_eq!(
            check_range("custom:seats", 0, Some(1), Some(500)),
            Err(AttributeError::BelowMinimum { attribute: "custom:seats", min: 1, value: 0 })
        );
        assert_eq!(
            check_range("custom:seats", 501, Some(1), Some(500)),
            Err(AttributeError::AboveMaximum { attribute: "custom:seats", max: 500, value: 501 })
        );
        assert_eq!(check_range("custom:seats", 500, Some(1), Some(500)), Ok(()));
    }

    #[test]
    fn claims_are_read_in_cognitos_shapes() {
        let claims: ClaimsMap = serde_json::from_value(serde_json::json!({
            "custom:seats": "12", "custom:beta": "true", "email_verified": true, "exp": 1795458769,
            "cognito:groups": ["admins", "editors"], "scope": "openid email", "aud": ["client"]
        }))
        .unwrap();
        assert_eq!(claim_opt_i64(&claims, "custom:seats"), Ok(Some(12)));
        assert_eq!(claim_opt_bool(&claims, "custom:beta"), Ok(Some(true)));
        assert_eq!(claim_opt_bool(&claims, "email_verified"), Ok(Some(true)));
        assert_eq!(claim_opt_string(&claims, "aud"), Ok(Some("client".to_string())));
        assert_eq!(claim_time(&claims, "exp"), Ok(UNIX_EPOCH + Duration::from_secs(1_795_458_769)));
        assert_eq!(claim_names::<String>(&claims, "cognito:groups").unwrap(), ["admins", "editors"]);
        assert_eq!(claim_names::<String>(&claims, "scope").unwrap(), ["openid", "email"]);
        assert_eq!(claim_time(&claims, "iat"), Err(ClaimsError::Missing("iat".to_string())));
        assert!(matches!(claim_opt_i64(&claims, "custom:beta"), Err(ClaimsError::Invalid { .. })));
    }
}
