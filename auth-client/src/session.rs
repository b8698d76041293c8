//! The token cache: hands out valid tokens without I/O, and refreshes them single-flight.
//!
//! The fast path is a read lock, a clock read and an `Arc` clone. When the tokens are within the
//! refresh margin of their expiry, one caller runs the refresh while the others wait for its result
//! (a generation counter tells a waiter that a refresh finished while it waited, so it takes that
//! result instead of starting another). What a refresh failure means is decided here:
//! - a network failure keeps the tokens (the caller sees [`AuthError::Network`], the user stays
//!   signed in, a later call tries again);
//! - `NotAuthorized` (refresh token expired or revoked) clears them: [`AuthError::SessionExpired`].

use crate::clock::Clock;
use crate::error::AuthError;
use crate::events::{AuthEvent, Events, UserState};
use crate::tokens::Tokens;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How long before expiry tokens are refreshed (Amplify uses five minutes; so do we).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub(crate) struct SessionCache {
    current: RwLock<Option<Arc<Tokens>>>,
    refresh_lock: tokio::sync::Mutex<Option<Result<Arc<Tokens>, AuthError>>>,
    generation: AtomicU64,
    clock: Arc<dyn Clock>,
    margin: Duration,
}

/// What a refresh must report for the cache to decide.
pub(crate) type RefreshResult = Result<Tokens, AuthError>;

impl SessionCache {
    pub(crate) fn new(clock: Arc<dyn Clock>, margin: Duration) -> SessionCache {
        SessionCache {
            current: RwLock::new(None),
            refresh_lock: tokio::sync::Mutex::new(None),
            generation: AtomicU64::new(0),
            clock,
            margin,
        }
    }

    pub(crate) fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The cached tokens, valid or not.
    pub(crate) fn cached(&self) -> Option<Arc<Tokens>> {
        self.current.read().ok().and_then(|current| current.clone())
    }

    /// Replaces the tokens (after a sign-in), or clears them (`None`).
    pub(crate) fn set(&self, tokens: Option<Tokens>) {
        if let Ok(mut current) = self.current.write() {
            *current = tokens.map(Arc::new);
        }
        // Anyone waiting on an older refresh must not take its result over these tokens.
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Valid tokens if cached, without I/O.
    #[inline]
    pub(crate) fn valid(&self) -> Option<Arc<Tokens>> {
        let current = self.current.read().ok()?;
        let tokens = current.as_ref()?;
        if tokens.is_valid_at(self.clock.now(), self.margin) { Some(tokens.clone()) } else { None }
    }

    /// Valid tokens, refreshing them with `refresh` when they are about to expire.
    pub(crate) async fn current<F, Fut>(&self, events: &Events, refresh: F) -> Result<Arc<Tokens>, AuthError>
    where
        F: FnOnce(Arc<Tokens>) -> Fut,
        Fut: Future<Output = RefreshResult>,
    {
        if let Some(tokens) = self.valid() {
            return Ok(tokens);
        }
        let seen = self.generation.load(Ordering::SeqCst);
        let mut last = self.refresh_lock.lock().await;
        if self.generation.load(Ordering::SeqCst) != seen {
            // Someone refreshed (or signed in or out) while we waited: take that outcome.
            if let Some(tokens) = self.valid() {
                return Ok(tokens);
            }
            match last.as_ref() {
                Some(Ok(tokens)) if self.cached().is_some_and(|current| Arc::ptr_eq(&current, tokens)) => {
                    return Ok(tokens.clone());
                }
                Some(Err(error)) => return Err(error.clone()),
                _ => {}
            }
        }
        // Re-check under the lock: the generation may have moved before we read it.
        if let Some(tokens) = self.valid() {
            return Ok(tokens);
        }
        let stale = self.cached().ok_or(AuthError::SignedOut)?;
        if stale.refresh_token.is_none() {
            return Err(AuthError::SessionExpired);
        }
        let outcome = refresh(stale.clone()).await;
        let result = match outcome {
            Ok(mut fresh) => {
                if fresh.refresh_token.is_none() {
                    fresh.refresh_token = stale.refresh_token.clone();
                }
                let fresh = Arc::new(fresh);
                if let Ok(mut current) = self.current.write() {
                    *current = Some(fresh.clone());
                }
                events.emit(AuthEvent::TokenRefresh);
                Ok(fresh)
            }
            Err(AuthError::NotAuthorized(_) | AuthError::SessionExpired) => {
                if let Ok(mut current) = self.current.write() {
                    *current = None;
                }
                events.emit(AuthEvent::TokenRefreshFailure(AuthError::SessionExpired));
                events.emit(AuthEvent::SessionExpired);
                events.set_state(UserState::SignedOutUserPoolsTokensInvalid);
                Err(AuthError::SessionExpired)
            }
            Err(error) => {
                // Network and other transient failures keep the tokens: the user stays signed in.
                events.emit(AuthEvent::TokenRefreshFailure(error.clone()));
                Err(error)
            }
        };
        self.generation.fetch_add(1, Ordering::SeqCst);
        *last = Some(result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::tokens::tests::tokens;
    use std::sync::atomic::AtomicUsize;
    use std::time::UNIX_EPOCH;

    fn setup() -> (Arc<ManualClock>, Arc<SessionCache>, Events) {
        let clock = Arc::new(ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_000)));
        let cache = Arc::new(SessionCache::new(clock.clone(), DEFAULT_REFRESH_MARGIN));
        cache.set(Some(tokens("alice", 1_000 + 3_600)));
        (clock, cache, Events::new())
    }

    #[tokio::test]
    async fn valid_tokens_need_no_refresh() {
        let (_clock, cache, events) = setup();
        let got = cache.current(&events, |_| async { panic!("no refresh expected") }).await.unwrap();
        assert_eq!(got.username, "alice");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_hundred_callers_across_an_expiry_cause_one_refresh() {
        let (clock, cache, events) = setup();
        let events = Arc::new(events);
        let mut receiver = events.subscribe();
        clock.advance(Duration::from_secs(3_600 - 60)); // inside the margin
        let calls = Arc::new(AtomicUsize::new(0));
        let (release, gate) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let (cache, events, calls, clock) = (cache.clone(), events.clone(), calls.clone(), clock.clone());
            let mut gate = gate.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .current(&events, |_| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        // Hold the refresh until every task has queued behind it.
                        let _ = gate.wait_for(|open| *open).await;
                        let now = crate::tokens::unix(clock.now());
                        let mut fresh = tokens("alice", now + 3_600);
                        fresh.refresh_token = None;
                        Ok(fresh)
                    })
                    .await
            }));
        }
        tokio::task::yield_now().await;
        release.send(true).unwrap();
        for task in tasks {
            let tokens = task.await.unwrap().unwrap();
            assert!(tokens.is_valid_at(clock.now(), DEFAULT_REFRESH_MARGIN));
            // The refresh token Cognito does not resend is kept.
            assert_eq!(tokens.refresh_token.as_ref().unwrap().expose(), "refresh");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(receiver.recv().await.unwrap(), AuthEvent::TokenRefresh);
        assert!(receiver.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_network_failure_keeps_the_tokens() {
        let (clock, cache, events) = setup();
        events.set_state(UserState::SignedIn);
        clock.advance(Duration::from_secs(3_600));
        let error = cache.current(&events, |_| async { Err(AuthError::Network("offline".into())) }).await.unwrap_err();
        assert!(error.is_network());
        assert!(cache.cached().is_some());
        assert_eq!(events.state(), UserState::SignedIn);
        // The next call tries again and succeeds.
        let now = crate::tokens::unix(clock.now());
        let got = cache.current(&events, |_| async move { Ok(tokens("alice", now + 3_600)) }).await.unwrap();
        assert!(got.expires_at > now);
    }

    #[tokio::test]
    async fn concurrent_waiters_share_a_network_failure() {
        let (clock, cache, events) = setup();
        let events = Arc::new(events);
        clock.advance(Duration::from_secs(3_600));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, events, calls) = (cache.clone(), events.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .current(&events, |_| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        Err(AuthError::Network("offline".into()))
                    })
                    .await
            }));
        }
        for task in tasks {
            assert!(task.await.unwrap().unwrap_err().is_network());
        }
        // Callers that queued behind a failed refresh take its result instead of retrying.
        assert!(calls.load(Ordering::SeqCst) < 50, "{} refreshes", calls.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn an_invalid_refresh_token_expires_the_session() {
        let (clock, cache, events) = setup();
        let mut receiver = events.subscribe();
        clock.advance(Duration::from_secs(3_600));
        let error = cache
            .current(&events, |_| async { Err(AuthError::NotAuthorized("Refresh Token has expired".into())) })
            .await
            .unwrap_err();
        assert_eq!(error, AuthError::SessionExpired);
        assert!(cache.cached().is_none());
        assert_eq!(events.state(), UserState::SignedOutUserPoolsTokensInvalid);
        assert_eq!(receiver.recv().await.unwrap(), AuthEvent::TokenRefreshFailure(AuthError::SessionExpired));
        assert_eq!(receiver.recv().await.unwrap(), AuthEvent::SessionExpired);
        // With no tokens, the caller is told to sign in.
        let error = cache.current(&events, |_| async { panic!("nothing to refresh") }).await.unwrap_err();
        assert_eq!(error, AuthError::SignedOut);
    }
}
