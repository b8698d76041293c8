//! An async client for Amazon Cognito user pools and identity pools.
