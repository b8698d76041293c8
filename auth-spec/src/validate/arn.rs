//! ARN shapes: an ARN's service and resource type are checked, so a role ARN pasted where a
//! Lambda function goes is caught before Cognito rejects it.

/// The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`.
pub(crate) struct Arn<'a> {
    pub(crate) service: &'a str,
    pub(crate) region: &'a str,
    pub(crate) resource: &'a str,
}

/// Splits an ARN; `None` when it is not shaped like one.
pub(crate) fn parse(text: &str) -> Option<Arn<'_>> {
    let mut parts = text.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let account_ok = account.is_empty() || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()));
    if prefix != "arn" || !partition.starts_with("aws") || service.is_empty() || !account_ok || resource.is_empty() {
        return None;
    }
    Some(Arn { service, region, resource })
}

/// A Lambda function ARN (optionally with a version or alias).
pub(crate) fn is_lambda_function(text: &str) -> bool {
    parse(text).is_some_and(|arn| {
        let name = arn.resource.strip_prefix("function:").map(|rest| rest.split(':').next().unwrap_or(""));
        arn.service == "lambda"
            && !arn.region.is_empty()
            && name.is_some_and(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
    })
}

/// An IAM role ARN.
pub(crate) fn is_iam_role(text: &str) -> bool {
    parse(text).is_some_and(|arn| arn.service == "iam" && arn.resource.starts_with("role/") && arn.resource.len() > 5)
}

/// An ARN of `service` whose resource starts with `resource_prefix`.
pub(crate) fn is_of(text: &str, service: &str, resource_prefix: &str) -> bool {
    parse(text).is_some_and(|arn| arn.service == service && arn.resource.starts_with(resource_prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_arns() {
        assert!(is_lambda_function("arn:aws:lambda:us-east-1:123456789012:function:pre-signup"));
        assert!(is_lambda_function("arn:aws:lambda:us-east-1:123456789012:function:pre_signup:live"));
        assert!(is_lambda_function("arn:aws-cn:lambda:cn-north-1:123456789012:function:f"));
        assert!(!is_lambda_function("arn:aws:iam::123456789012:role/pre-signup"));
        assert!(!is_lambda_function("arn:aws:lambda:us-east-1:12345:function:f"));
        assert!(!is_lambda_function("pre-signup"));
        assert!(!is_lambda_function("arn:aws:lambda:us-east-1:123456789012:function:"));
    }

    #[test]
    fn role_arns() {
        assert!(is_iam_role("arn:aws:iam::123456789012:role/cognito-sms"));
        assert!(is_iam_role("arn:aws:iam::123456789012:role/service-role/x"));
        assert!(!is_iam_role("arn:aws:iam::123456789012:user/alice"));
        assert!(!is_iam_role("arn:aws:lambda:us-east-1:123456789012:function:f"));
    }
}
