use super::{is_false, is_true, yes};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares the standard attributes once: the enum of names and the `[attributes]` table with one
/// optional entry per name, so the two can never disagree.
macro_rules! standard_attributes {
    ($( $(#[doc = $doc:literal])* $field:ident => $variant:ident ),* $(,)?) => {
        /// A Cognito standard attribute (the OIDC standard claims Cognito supports).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum StandardAttribute {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl StandardAttribute {
            /// Every standard attribute, in Cognito's order.
            pub const ALL: &'static [StandardAttribute] = &[$(StandardAttribute::$variant),*];

            /// The attribute's name in the spec and on the wire (they are the same).
            pub fn name(self) -> &'static str {
                match self {
                    $( StandardAttribute::$variant => stringify!($field), )*
                }
            }

            /// The attribute with this wire name, if it is a standard one.
            pub fn from_name(name: &str) -> Option<StandardAttribute> {
                match name {
                    $( stringify!($field) => Some(StandardAttribute::$variant), )*
                    _ => None,
                }
            }
        }

        /// The `[attributes]` table: settings for the standard attributes the pool uses.
        /// An attribute left out is still available to users (every standard attribute exists in
        /// every pool); declaring it makes it required or immutable, or documents that the app
        /// uses it.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(default, deny_unknown_fields)]
        pub struct StandardAttributes {
            $(
                $(#[doc = $doc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $field: Option<StandardAttributeSpec>,
            )*
        }

        impl StandardAttributes {
            /// The declared attributes with their settings, in Cognito's order.
            pub fn iter(&self) -> impl Iterator<Item = (StandardAttribute, &StandardAttributeSpec)> {
                [$( (StandardAttribute::$variant, self.$field.as_ref()) ),*]
                    .into_iter()
                    .filter_map(|(name, spec)| spec.map(|spec| (name, spec)))
            }

            /// The settings of one attribute, if declared.
            pub fn get(&self, attribute: StandardAttribute) -> Option<&StandardAttributeSpec> {
                match attribute {
                    $( StandardAttribute::$variant => self.$field.as_ref(), )*
                }
            }

            /// Declares (or replaces) the settings of one attribute.
            pub fn set(&mut self, attribute: StandardAttribute, spec: StandardAttributeSpec) {
                match attribute {
                    $( StandardAttribute::$variant => self.$field = Some(spec), )*
                }
            }

            /// True when no attribute is declared.
            pub fn is_empty(&self) -> bool {
                self.iter().next().is_none()
            }
        }
    };
}

standard_attributes! {
    /// Postal address (OIDC `address`).
    address => Address,
    /// Birth date, `YYYY-MM-DD`.
    birthdate => Birthdate,
    /// Email address.
    email => Email,
    /// Surname.
    family_name => FamilyName,
    /// Gender.
    gender => Gender,
    /// First name.
    given_name => GivenName,
    /// Locale, e.g. `en-US`.
    locale => Locale,
    /// Middle name.
    middle_name => MiddleName,
    /// Full name.
    name => Name,
    /// Casual name.
    nickname => Nickname,
    /// Phone number in E.164 form, e.g. `+14325551212`.
    phone_number => PhoneNumber,
    /// Profile picture URL.
    picture => Picture,
    /// Preferred username (can be a sign-in alias).
    preferred_username => PreferredUsername,
    /// Profile page URL.
    profile => Profile,
    /// Time the profile was last updated, seconds since the epoch.
    updated_at => UpdatedAt,
    /// Web page URL.
    website => Website,
    /// Time zone, e.g. `Europe/Paris`.
    zoneinfo => Zoneinfo,
}

/// Settings of one standard attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StandardAttributeSpec {
    /// Whether every user must have it at sign-up. Fixed when the pool is created.
    #[serde(skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether users can change it after sign-up. Fixed when the pool is created.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub mutable: bool,
}

impl Default for StandardAttributeSpec {
    fn default() -> Self {
        StandardAttributeSpec { required: false, mutable: true }
    }
}

impl StandardAttributeSpec {
    /// A required, mutable attribute.
    pub fn required() -> Self {
        StandardAttributeSpec { required: true, mutable: true }
    }
}

/// A custom attribute (`custom:<name>` on the wire). Cognito never lets you remove one or change
/// its type or constraints, and custom attributes cannot be required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomAttribute {
    /// The data type.
    #[serde(rename = "type")]
    pub kind: CustomAttributeType,
    /// Whether users can change it after sign-up.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub mutable: bool,
    /// Minimum length (string attributes), 0 to 2048.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 1)]
    pub min_length: Option<u32>,
    /// Maximum length (string attributes), up to 2048.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 64)]
    pub max_length: Option<u32>,
    /// Minimum value (number attributes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 1)]
    pub min: Option<i64>,
    /// Maximum value (number attributes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 500)]
    pub max: Option<i64>,
}

impl CustomAttribute {
    /// A mutable custom attribute of this type with no constraints.
    pub fn new(kind: CustomAttributeType) -> Self {
        CustomAttribute { kind, mutable: true, min_length: None, max_length: None, min: None, max: None }
    }
}

/// The data type of a custom attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CustomAttributeType {
    /// Text (Cognito `String`).
    String,
    /// An integer (Cognito `Number`).
    Number,
    /// `true` or `false` (Cognito `Boolean`).
    Boolean,
    /// A date and time (Cognito `DateTime`).
    Datetime,
}
