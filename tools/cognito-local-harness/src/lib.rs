//! Starts the local Cognito-compatible server for tests.
