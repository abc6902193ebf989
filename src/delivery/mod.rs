//! Ways a code reaches the user: an HTTP SMS gateway, SMTP, or the dev outbox.

pub mod http_gateway;
pub mod outbox;
pub mod smtp;
