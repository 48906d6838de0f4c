//! The single error type returned by every operation.

use std::fmt;
use std::time::Duration;

use super::message::ApiMessage;

/// Everything that can go wrong when calling the API.
///
/// One enum (rather than one per operation) so that callers can write a single `match`
/// for retries, logging and user-facing messages. Neither `Display` nor `Debug` ever
/// includes credentials (they live only in sensitive header values that no variant holds) or a
/// kept response body (see [`ResponseBody`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with its JSON envelope and reported failure: either a non-2xx
    /// status, or `"success": false` (which Cloudflare sometimes sends with a 2xx status).
    Api {
        /// HTTP status code of the response.
        status: u16,
        /// The envelope's `errors`, usually with a numeric `code` and a `message`.
        errors: Vec<ApiMessage>,
        /// The envelope's `messages` (informational).
        messages: Vec<ApiMessage>,
        /// The `cf-ray` response header, which Cloudflare support asks for.
        ray_id: Option<String>,
    },
    /// The response body was not what the operation expects: an HTML page from a proxy,
    /// truncated JSON, a JSON document without the API envelope, or a `result` that does
    /// not match the operation's type.
    UnexpectedBody {
        /// HTTP status code of the response.
        status: u16,
        /// The response's `Content-Type`, if any.
        content_type: Option<String>,
        /// The beginning of the body (at most ~200 characters), to recognise e.g. a proxy
        /// error page without dumping megabytes into logs.
        excerpt: String,
        /// The `cf-ray` response header, if any.
        ray_id: Option<String>,
        /// What exactly did not match (decoder message).
        reason: String,
    },
    /// A successful response whose `result` does not decode as the operation's type: a required
    /// field missing, a value of another JSON kind, a fraction in an integer field, or a `null`
    /// result where the operation returns an object. The whole body is kept, so nothing the
    /// server sent is lost; `magic_api::Call::send_value` gives any result as
    /// raw JSON instead.
    Decode {
        /// HTTP status code of the response.
        status: u16,
        /// Where decoding failed, from the envelope's root: `result[3].health_check.target`.
        path: String,
        /// What did not match there (the decoder's message).
        reason: String,
        /// The `cf-ray` response header, if any.
        ray_id: Option<String>,
        /// The whole response body, byte for byte. Its `Debug` shows only its length: the body
        /// may hold a secret (a generated PSK), and errors end up in logs.
        body: ResponseBody,
    },
    /// A successful JSON body larger than the client's limit
    /// ([`ClientBuilder::max_body_size`](super::ClientBuilder::max_body_size)); reading stops
    /// at the limit, so a runaway response cannot exhaust memory.
    BodyTooLarge {
        /// HTTP status code of the response.
        status: u16,
        /// The limit in bytes.
        limit: usize,
        /// The `cf-ray` response header, if any.
        ray_id: Option<String>,
    },
    /// The answer came from another URL than the request's: an HTTP client passed to
    /// [`ClientBuilder::http_client`](super::ClientBuilder::http_client) followed a redirect.
    /// It is refused, since it is not the API's answer to the request.
    Redirected {
        /// HTTP status code of the final response.
        status: u16,
        /// The host the final response came from (no path or query, which may be private).
        host: Option<String>,
    },
    /// A binary download answered 2xx with a JSON/HTML/text body instead of the file.
    UnexpectedContentType {
        /// HTTP status code of the response.
        status: u16,
        /// The response's `Content-Type`.
        content_type: Option<String>,
        /// The `cf-ray` response header, if any.
        ray_id: Option<String>,
    },
    /// No (complete) response arrived within the per-attempt timeout.
    Timeout {
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The HTTP exchange failed below the API level (DNS, connect, TLS, connection reset).
    ///
    /// The wrapped error has its URL removed; it never contains header values.
    Transport(reqwest::Error),
    /// The client could not be configured (bad base URL, missing environment variable, ...).
    Config(ConfigError),
    /// The request itself was rejected before anything was sent, e.g. a path parameter
    /// that would change the URL's path, a header value with control characters, or a body
    /// that failed to serialize.
    InvalidRequest {
        /// Why the request was refused.
        reason: String,
    },
    /// Local I/O failed while saving a download.
    Io(std::io::Error),
}

/// Why a [`Client`](super::Client) could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is not set (or is empty). Holds its name only.
    MissingEnvVar(&'static str),
    /// An environment variable is set but not valid Unicode. Holds its name only.
    InvalidEnvVar(&'static str),
    /// The base URL cannot be used; the string explains why (the URL itself is not
    /// repeated because it might embed credentials).
    InvalidBaseUrl(String),
    /// The token, key or e-mail contains characters that cannot appear in an HTTP header.
    InvalidCredentials,
    /// The user agent contains characters that cannot appear in an HTTP header.
    InvalidUserAgent,
    /// The underlying HTTP client could not be created (e.g. TLS backend initialisation).
    HttpClient(reqwest::Error),
    /// The TLS configuration could not be built (the string says why).
    Tls(String),
}

impl Error {
    /// The HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedBody { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::Redirected { status, .. }
            | Error::UnexpectedContentType { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The `cf-ray` identifier of the response, to quote to Cloudflare support.
    pub fn ray_id(&self) -> Option<&str> {
        match self {
            Error::Api { ray_id, .. }
            | Error::UnexpectedBody { ray_id, .. }
            | Error::Decode { ray_id, .. }
            | Error::BodyTooLarge { ray_id, .. }
            | Error::UnexpectedContentType { ray_id, .. } => ray_id.as_deref(),
            _ => None,
        }
    }

    /// The whole response body of an [`Error::Decode`], exactly as received.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Decode { body, .. } => Some(body.as_bytes()),
            _ => None,
        }
    }

    /// The API's error messages for [`Error::Api`], empty otherwise.
    pub fn api_errors(&self) -> &[ApiMessage] {
        match self {
            Error::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    pub(crate) fn invalid_request(reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            reason: reason.into(),
        }
    }

    pub(crate) fn transport(e: reqwest::Error) -> Self {
        // The URL is not secret, but it can carry query values the caller did not expect
        // to see in logs; the operation name is a better context anyway.
        Error::Transport(e.without_url())
    }
}

impl fmt::Display for Error {
    /// The description, then the `cf-ray` of every error that carries one, written here once so
    /// that no variant can forget the identifier support asks for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)?;
        match self.ray_id() {
            Some(ray) => write!(f, " (cf-ray {ray})"),
            None => Ok(()),
        }
    }
}

/// A response body kept in an [`Error`]: all of it, readable with [`as_bytes`](Self::as_bytes)
/// (or through `Deref<Target = [u8]>`), but never printed. `{:?}` shows `ResponseBody(<N bytes>)`,
/// since a body can carry a secret (`ipsec_tunnels().psk_generate` answers with the PSK, which
/// "cannot be retrieved later") and an error's `Debug` is what ends up in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseBody(bytes::Bytes);

impl ResponseBody {
    /// The body, byte for byte.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as the `Bytes` it was received in.
    pub fn into_bytes(self) -> bytes::Bytes {
        self.0
    }
}

impl From<bytes::Bytes> for ResponseBody {
    fn from(body: bytes::Bytes) -> ResponseBody {
        ResponseBody(body)
    }
}

impl std::ops::Deref for ResponseBody {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for ResponseBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseBody(<{} bytes>)", self.0.len())
    }
}

impl Error {
    /// What went wrong, without the `cf-ray` suffix that [`Display`](fmt::Display) adds.
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                errors,
                messages,
                ..
            } => {
                write!(f, "Cloudflare API error (HTTP {status})")?;
                let shown = if errors.is_empty() { messages } else { errors };
                for (i, m) in shown.iter().enumerate() {
                    f.write_str(if i == 0 { ": " } else { "; " })?;
                    write!(f, "[{}] {}", m.code, m.message)?;
                }
                Ok(())
            }
            Error::UnexpectedBody {
                status,
                content_type,
                excerpt,
                reason,
                ..
            } => write!(
                f,
                "unexpected response body (HTTP {status}, content-type {}): {reason}; body begins {excerpt:?}",
                content_type.as_deref().unwrap_or("none")
            ),
            Error::Decode {
                status,
                path,
                reason,
                body,
                ..
            } => write!(
                f,
                "response (HTTP {status}, {} bytes) did not decode at `{path}`: {reason}",
                body.len()
            ),
            Error::BodyTooLarge { status, limit, .. } => write!(
                f,
                "response body (HTTP {status}) exceeds the {limit}-byte limit"
            ),
            Error::Redirected { status, host } => write!(
                f,
                "the answer (HTTP {status}) came from a redirect to {}, not from the API; \
                 use reqwest::redirect::Policy::none() in the client passed to http_client",
                host.as_deref().unwrap_or("another URL")
            ),
            Error::UnexpectedContentType {
                status,
                content_type,
                ..
            } => write!(
                f,
                "expected binary data but got content-type {} (HTTP {status})",
                content_type.as_deref().unwrap_or("none")
            ),
            Error::Timeout { after } => write!(f, "request timed out after {after:?}"),
            Error::Transport(e) => {
                let what = if e.is_connect() {
                    "could not connect"
                } else if e.is_body() || e.is_decode() {
                    "connection failed while reading the response body"
                } else {
                    "connection failed"
                };
                write!(f, "HTTP transport error: {what}")
            }
            Error::Config(e) => write!(f, "invalid client configuration: {e}"),
            Error::InvalidRequest { reason } => write!(f, "invalid request: {reason}"),
            Error::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Config(e) => Some(e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingEnvVar(name) => {
                write!(f, "environment variable {name} is not set")
            }
            ConfigError::InvalidEnvVar(name) => {
                write!(f, "environment variable {name} is not valid Unicode")
            }
            ConfigError::InvalidBaseUrl(why) => write!(f, "invalid base URL: {why}"),
            ConfigError::InvalidCredentials => {
                f.write_str("credentials contain characters not allowed in HTTP headers")
            }
            ConfigError::InvalidUserAgent => {
                f.write_str("user agent contains characters not allowed in HTTP headers")
            }
            ConfigError::HttpClient(_) => f.write_str("could not create the HTTP client"),
            ConfigError::Tls(why) => write!(f, "could not configure TLS: {why}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::HttpClient(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// The first ~200 characters of a body, for error messages.
///
/// Works on arbitrary bytes: invalid UTF-8 is replaced, and the cut is always on a
/// character boundary so that slicing can never panic.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX_CHARS: usize = 200;
    // 4 bytes per char is the UTF-8 maximum, so this prefix always holds enough text.
    let prefix = &body[..body.len().min(MAX_CHARS * 4)];
    let text = String::from_utf8_lossy(prefix);
    let text = text.trim();
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if prefix.len() < body.len() => format!("{text}…"),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_and_char_safe() {
        let body = "é".repeat(1000);
        let e = excerpt(body.as_bytes());
        assert_eq!(e.chars().count(), 201); // 200 + ellipsis
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"  short  "), "short");
        // A multi-byte char cut in half by the byte prefix must not panic.
        let mut tricky = vec![b'a'; 799];
        tricky.extend_from_slice("€€€".as_bytes());
        let e = excerpt(&tricky);
        assert!(e.chars().count() <= 201);
        assert_eq!(excerpt(&[0xff, 0xfe, b'x']), "\u{fffd}\u{fffd}x");
    }

    #[test]
    fn api_display_lists_errors_and_ray() {
        let e = Error::Api {
            status: 400,
            errors: vec![ApiMessage::new(1004, "DNS Validation Error")],
            messages: vec![],
            ray_id: Some("8a1b2c3d4e5f6789-SJC".into()),
        };
        assert_eq!(
            e.to_string(),
            "Cloudflare API error (HTTP 400): [1004] DNS Validation Error (cf-ray 8a1b2c3d4e5f6789-SJC)"
        );
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.ray_id(), Some("8a1b2c3d4e5f6789-SJC"));
        assert_eq!(e.api_errors()[0].code, 1004);
    }

    #[test]
    fn every_error_with_a_ray_ends_with_it_once() {
        let ray = || Some("8a1b2c3d4e5f6789-SJC".to_owned());
        let with_ray = [
            Error::UnexpectedBody {
                status: 502,
                content_type: Some("text/html".into()),
                excerpt: "<html>".into(),
                ray_id: ray(),
                reason: "expected value".into(),
            },
            Error::Decode {
                status: 200,
                path: "result.id".into(),
                reason: "invalid type".into(),
                ray_id: ray(),
                body: bytes::Bytes::from_static(b"{}").into(),
            },
            Error::BodyTooLarge {
                status: 200,
                limit: 10,
                ray_id: ray(),
            },
            Error::UnexpectedContentType {
                status: 200,
                content_type: None,
                ray_id: ray(),
            },
        ];
        for e in with_ray {
            let text = e.to_string();
            assert!(text.ends_with(" (cf-ray 8a1b2c3d4e5f6789-SJC)"), "{text}");
            assert_eq!(text.matches("cf-ray").count(), 1, "{text}");
        }
        let without = Error::BodyTooLarge {
            status: 200,
            limit: 10,
            ray_id: None,
        };
        assert_eq!(
            without.to_string(),
            "response body (HTTP 200) exceeds the 10-byte limit"
        );
    }

    #[test]
    fn a_decode_error_never_prints_its_body() {
        let e = Error::Decode {
            status: 200,
            path: "result.psk".into(),
            reason: "invalid type".into(),
            ray_id: None,
            body: bytes::Bytes::from_static(br#"{"result":{"psk":"s3cr3t-psk"}}"#).into(),
        };
        for text in [format!("{e:?}"), format!("{e:#?}"), e.to_string()] {
            assert!(!text.contains("s3cr3t"), "{text}");
        }
        assert!(
            format!("{e:?}").contains("ResponseBody(<31 bytes>)"),
            "{e:?}"
        );
        assert!(e.body().is_some_and(|b| b.ends_with(b"\"s3cr3t-psk\"}}")));
    }

    #[test]
    fn missing_env_names_variable() {
        let e: Error = ConfigError::MissingEnvVar("CLOUDFLARE_API_TOKEN").into();
        assert_eq!(
            e.to_string(),
            "invalid client configuration: environment variable CLOUDFLARE_API_TOKEN is not set"
        );
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<E: std::error::Error + Send + Sync + 'static>() {}
        check::<Error>();
    }
}
