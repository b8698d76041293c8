//! Captured email and SMS.
//!
//! Real Cognito sends verification codes, forgot-password codes and SMS MFA codes through SES
//! and SNS. fakecloud hands them to an `EmailDispatcher` / `SmsDispatcher` instead; we keep them
//! in memory so a test can read "its inbox" through `/_local/outbox/...`. Delivery happens on a
//! spawned task after the API call has answered, which is why the harness polls for messages
//! with a deadline rather than reading once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use fakecloud_core::delivery::{EmailDispatcher, SmsDispatcher};
use parking_lot::Mutex;
use serde::Serialize;

/// Oldest messages are dropped beyond this many per channel, so a long-lived server stays small.
const CAPACITY: usize = 10_000;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    Email,
    Sms,
}

/// One captured message. `id` increases across both channels, so "messages after id N" is a
/// cursor that survives interleaved email and SMS.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: u64,
    pub channel: Channel,
    pub account_id: String,
    pub to: String,
    /// Email only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Email only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Email text body, or the SMS text.
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// SMS only: the region the message was sent from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub sent_at_ms: u64,
}

/// Which messages a reader wants. Every field narrows the result.
#[derive(Default, Debug)]
pub struct Filter {
    pub channel: Option<Channel>,
    pub account_id: Option<String>,
    pub to: Option<String>,
    pub after_id: Option<u64>,
}

#[derive(Default)]
pub struct Outbox {
    next_id: AtomicU64,
    messages: Mutex<VecDeque<Message>>,
}

impl Outbox {
    fn push(&self, mut message: Message) {
        message.id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut messages = self.messages.lock();
        let same_channel = messages.iter().filter(|m| m.channel == message.channel).count();
        if same_channel >= CAPACITY
            && let Some(pos) = messages.iter().position(|m| m.channel == message.channel)
        {
            messages.remove(pos);
        }
        tracing::info!(channel = ?message.channel, to = %message.to, account = %message.account_id, "captured message");
        messages.push_back(message);
    }

    /// Messages matching `filter`, oldest first.
    pub fn list(&self, filter: &Filter) -> Vec<Message> {
        self.messages
            .lock()
            .iter()
            .filter(|m| filter.channel.as_ref().is_none_or(|c| *c == m.channel))
            .filter(|m| filter.account_id.as_ref().is_none_or(|a| *a == m.account_id))
            .filter(|m| filter.to.as_ref().is_none_or(|t| t.eq_ignore_ascii_case(&m.to)))
            .filter(|m| filter.after_id.is_none_or(|after| m.id > after))
            .cloned()
            .collect()
    }

    /// Forget one account's messages, or all of them.
    pub fn clear(&self, account_id: Option<&str>) {
        let mut messages = self.messages.lock();
        match account_id {
            Some(acct) => messages.retain(|m| m.account_id != acct),
            None => messages.clear(),
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

impl EmailDispatcher for Outbox {
    fn send_email(
        &self,
        account_id: &str,
        from: &str,
        to: &str,
        subject: &str,
        body_text: &str,
        body_html: Option<&str>,
    ) {
        self.push(Message {
            id: 0,
            channel: Channel::Email,
            account_id: account_id.to_string(),
            to: to.to_string(),
            from: Some(from.to_string()),
            subject: Some(subject.to_string()),
            body: body_text.to_string(),
            body_html: body_html.map(str::to_string),
            region: None,
            sent_at_ms: now_ms(),
        });
    }
}

impl SmsDispatcher for Outbox {
    fn send_sms(&self, account_id: &str, region: &str, phone_number: &str, message: &str) {
        self.push(Message {
            id: 0,
            channel: Channel::Sms,
            account_id: account_id.to_string(),
            to: phone_number.to_string(),
            from: None,
            subject: None,
            body: message.to_string(),
            body_html: None,
            region: Some(region.to_string()),
            sent_at_ms: now_ms(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_cursor() {
        let o = Outbox::default();
        o.send_email("111111111111", "no-reply@x", "a@x.test", "s", "code 123456", None);
        o.send_sms("111111111111", "us-east-1", "+15550100", "code 654321");
        o.send_email("222222222222", "no-reply@x", "a@x.test", "s", "other", None);
        let all = o.list(&Filter::default());
        assert_eq!(all.iter().map(|m| m.id).collect::<Vec<_>>(), vec![1, 2, 3]);
        let acct1_email = o.list(&Filter {
            channel: Some(Channel::Email),
            account_id: Some("111111111111".into()),
            ..Default::default()
        });
        assert_eq!(acct1_email.len(), 1);
        assert_eq!(acct1_email[0].body, "code 123456");
        let after = o.list(&Filter { after_id: Some(2), to: Some("A@X.TEST".into()), ..Default::default() });
        assert_eq!(after.iter().map(|m| m.id).collect::<Vec<_>>(), vec![3]);
        o.clear(Some("111111111111"));
        assert_eq!(o.list(&Filter::default()).len(), 1);
        o.clear(None);
        assert!(o.list(&Filter::default()).is_empty());
    }
}
