//! Auth events (Amplify's Hub `auth` channel) as a broadcast, and the user state
//! (AWSMobileClient's `UserState`) as a watched value.

use crate::error::AuthError;
use tokio::sync::{broadcast, watch};

/// What happened, as the Hub's auth events.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthEvent {
    /// A user signed in (`signedIn`).
    SignedIn {
        /// The user's username.
        username: String,
    },
    /// The user signed out (`signedOut`).
    SignedOut,
    /// A sign-in attempt failed (`signIn_failure`).
    SignInFailure(AuthError),
    /// The tokens were refreshed (`tokenRefresh`).
    TokenRefresh,
    /// A refresh failed, for example offline; the tokens are kept (`tokenRefresh_failure`).
    TokenRefreshFailure(AuthError),
    /// The refresh token is no longer valid; the user is signed out locally.
    SessionExpired,
    /// A sign-in through the hosted UI or a federated provider completed (`signInWithRedirect`).
    SignInWithRedirect,
    /// The hosted UI sign-in failed (`signInWithRedirect_failure`).
    SignInWithRedirectFailure(AuthError),
}

/// The signed-in state, as AWSMobileClient reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserState {
    /// Nothing is known yet (before the store is read).
    Unknown,
    /// No user, no guest identity.
    SignedOut,
    /// A user pool user is signed in.
    SignedIn,
    /// Only guest (unauthenticated) identity pool credentials are in use.
    Guest,
    /// The user pool tokens are no longer valid (the refresh token expired or was revoked).
    SignedOutUserPoolsTokensInvalid,
    /// A federated provider's token expired and no refresh handler gave a new one.
    SignedOutFederatedTokensInvalid,
}

/// Sends events and keeps the state.
#[derive(Debug)]
pub(crate) struct Events {
    events: broadcast::Sender<AuthEvent>,
    state: watch::Sender<UserState>,
}

impl Events {
    pub(crate) fn new() -> Events {
        let (events, _) = broadcast::channel(64);
        let (state, _) = watch::channel(UserState::Unknown);
        Events { events, state }
    }

    pub(crate) fn emit(&self, event: AuthEvent) {
        // No subscriber is fine: events are best-effort notifications.
        let _ = self.events.send(event);
    }

    pub(crate) fn set_state(&self, state: UserState) {
        self.state.send_if_modified(|current| {
            let changed = *current != state;
            *current = state;
            changed
        });
    }

    pub(crate) fn state(&self) -> UserState {
        *self.state.borrow()
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<AuthEvent> {
        self.events.subscribe()
    }

    pub(crate) fn watch_state(&self) -> watch::Receiver<UserState> {
        self.state.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_see_events_and_state_changes() {
        let events = Events::new();
        let mut receiver = events.subscribe();
        let mut state = events.watch_state();
        events.emit(AuthEvent::SignedIn { username: "alice".into() });
        events.set_state(UserState::SignedIn);
        assert_eq!(receiver.recv().await.unwrap(), AuthEvent::SignedIn { username: "alice".into() });
        state.changed().await.unwrap();
        assert_eq!(*state.borrow_and_update(), UserState::SignedIn);
        // Setting the same state again does not wake watchers.
        events.set_state(UserState::SignedIn);
        assert!(!state.has_changed().unwrap());
    }
}
