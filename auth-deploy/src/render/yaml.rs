//! CloudFormation YAML -> CloudFormation JSON, for `template --format json`.
//!
//! The YAML template is the one source; the JSON form is that YAML parsed and written again, so
//! the two formats cannot drift apart. Keys keep their order (the mapping type of the YAML parser
//! is ordered and is serialized as it is, never through a sorted map), and the short-form
//! intrinsic functions (`!Ref X`, `!GetAtt X.Arn`, `!Sub "..."`) become their JSON forms
//! (`{"Ref": "X"}`, `{"Fn::GetAtt": ["X", "Arn"]}`, `{"Fn::Sub": "..."}`).

use super::RenderError;
use serde::Serialize;
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde_norway::Value;

/// The JSON form of a CloudFormation YAML document, pretty-printed with a final newline.
pub(crate) fn cloudformation_json(yaml: &str) -> Result<String, RenderError> {
    let invalid = |message: String| RenderError::Invalid { what: "CloudFormation YAML", message };
    let value: Value = serde_norway::from_str(yaml).map_err(|error| invalid(error.to_string()))?;
    let mut text = serde_json::to_string_pretty(&Json(&value)).map_err(|error| invalid(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// A YAML value serialized as CloudFormation JSON.
struct Json<'a>(&'a Value);

impl Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(value) => serializer.serialize_bool(*value),
            Value::Number(number) => number.serialize(serializer),
            Value::String(text) => serializer.serialize_str(text),
            Value::Sequence(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Json(item))?;
                }
                seq.end()
            }
            Value::Mapping(mapping) => {
                let mut map = serializer.serialize_map(Some(mapping.len()))?;
                for (key, value) in mapping {
                    let Value::String(key) = key else {
                        return Err(S::Error::custom(format!("a mapping key is not a string: {key:?}")));
                    };
                    map.serialize_entry(key, &Json(value))?;
                }
                map.end()
            }
            Value::Tagged(tagged) => {
                let name = tagged.tag.to_string();
                let name = name.trim_start_matches('!');
                let mut map = serializer.serialize_map(Some(1))?;
                match (name, &tagged.value) {
                    ("Ref" | "Condition", value) => map.serialize_entry(name, &Json(value))?,
                    // `!GetAtt Resource.Attribute` is the one short form whose JSON is not its
                    // argument as written: the scalar splits at the first dot into a list.
                    ("GetAtt", Value::String(target)) => {
                        let Some((resource, attribute)) = target.split_once('.') else {
                            return Err(S::Error::custom(format!("`!GetAtt {target}` has no attribute")));
                        };
                        map.serialize_entry("Fn::GetAtt", &[resource, attribute])?;
                    }
                    (name, value) => map.serialize_entry(&format!("Fn::{name}"), &Json(value))?,
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_their_json_forms_and_keys_keep_their_order() {
        let yaml = "Zebra: 1\nAlpha:\n  Id: !Ref UserPool\n  Arn: !GetAtt UserPool.Arn\n  Host: !Sub \"${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com\"\n  Same: !Equals [!Ref AWS::Region, \"us-east-1\"]\n  List: [\"a\", true, 3]\n";
        let json = cloudformation_json(yaml).unwrap();
        assert_eq!(
            json,
            r#"{
  "Zebra": 1,
  "Alpha": {
    "Id": {
      "Ref": "UserPool"
    },
    "Arn": {
      "Fn::GetAtt": [
        "UserPool",
        "Arn"
      ]
    },
    "Host": {
      "Fn::Sub": "${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com"
    },
    "Same": {
      "Fn::Equals": [
        {
          "Ref": "AWS::Region"
        },
        "us-east-1"
      ]
    },
    "List": [
      "a",
      true,
      3
    ]
  }
}
"#
        );
    }

    #[test]
    fn invalid_yaml_and_non_string_keys_are_errors_not_panics() {
        assert!(matches!(cloudformation_json("a: [unclosed"), Err(RenderError::Invalid { .. })));
        assert!(matches!(cloudformation_json("1: x"), Err(RenderError::Invalid { .. })));
        assert!(matches!(cloudformation_json("a: !GetAtt NoAttribute"), Err(RenderError::Invalid { .. })));
    }
}
