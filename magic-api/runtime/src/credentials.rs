//! API credentials and their conversion to (sensitive) request headers.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use super::error::{ConfigError, Error};

/// How requests authenticate against the Cloudflare API.
///
/// Cloudflare accepts either a scoped API token (preferred) or the legacy global API key
/// together with the account e-mail. The secret parts are never printed: `Debug` shows
/// `"<redacted>"`, and the header values built from them are marked sensitive so that
/// `reqwest`/`hyper` (and HTTP/2 HPACK) treat them as such.
#[derive(Clone)]
pub struct Credentials(Kind);

#[derive(Clone)]
enum Kind {
    ApiToken(String),
    ApiKey { email: String, key: String },
}

impl Credentials {
    /// A scoped API token, sent as `Authorization: Bearer <token>`.
    pub fn api_token(token: impl Into<String>) -> Self {
        Self(Kind::ApiToken(token.into()))
    }

    /// The legacy global API key, sent as `X-Auth-Email` + `X-Auth-Key`.
    pub fn api_key(email: impl Into<String>, key: impl Into<String>) -> Self {
        Self(Kind::ApiKey {
            email: email.into(),
            key: key.into(),
        })
    }

    /// Reads `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`, through
    /// `lookup` (so the logic can be tested without mutating the process environment).
    ///
    /// A variable that is set but empty counts as missing: an empty token can never
    /// authenticate and would only produce a confusing 401 later.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    ) -> Result<Self, Error> {
        let get = |name: &'static str| -> Result<Option<String>, Error> {
            Ok(lookup(name)?.filter(|v| !v.is_empty()))
        };
        if let Some(token) = get("CLOUDFLARE_API_TOKEN")? {
            return Ok(Self::api_token(token));
        }
        match (get("CLOUDFLARE_EMAIL")?, get("CLOUDFLARE_API_KEY")?) {
            (Some(email), Some(key)) => Ok(Self::api_key(email, key)),
            // Name the variable the user most likely forgot: with neither e-mail nor key set
            // they almost certainly meant to use a token.
            (None, None) => Err(ConfigError::MissingEnvVar("CLOUDFLARE_API_TOKEN").into()),
            (Some(_), None) => Err(ConfigError::MissingEnvVar("CLOUDFLARE_API_KEY").into()),
            (None, Some(_)) => Err(ConfigError::MissingEnvVar("CLOUDFLARE_EMAIL").into()),
        }
    }

    /// Builds the authentication headers once per client, so that invalid characters are
    /// reported at construction time rather than on every request.
    pub(crate) fn headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        // The error deliberately carries no part of the value.
        let sensitive = |value: String| -> Result<HeaderValue, Error> {
            let mut v =
                HeaderValue::try_from(value).map_err(|_| ConfigError::InvalidCredentials)?;
            v.set_sensitive(true);
            Ok(v)
        };
        Ok(match &self.0 {
            Kind::ApiToken(token) => vec![(AUTHORIZATION, sensitive(format!("Bearer {token}"))?)],
            Kind::ApiKey { email, key } => vec![
                (
                    HeaderName::from_static("x-auth-email"),
                    sensitive(email.clone())?,
                ),
                (
                    HeaderName::from_static("x-auth-key"),
                    sensitive(key.clone())?,
                ),
            ],
        })
    }

    /// Short description of the scheme for `Debug` output of the client.
    pub(crate) fn scheme(&self) -> &'static str {
        match self.0 {
            Kind::ApiToken(_) => "api_token",
            Kind::ApiKey { .. } => "api_key",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The e-mail is an identifier, not a secret, and helps tell accounts apart in logs;
        // the token and key are never shown.
        match &self.0 {
            Kind::ApiToken(_) => f.debug_tuple("ApiToken").field(&"<redacted>").finish(),
            Kind::ApiKey { email, .. } => f
                .debug_struct("ApiKey")
                .field("email", email)
                .field("key", &"<redacted>")
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(
        vars: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&'static str) -> Result<Option<String>, ConfigError> {
        move |name| {
            Ok(vars
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned()))
        }
    }

    fn missing(result: Result<Credentials, Error>) -> &'static str {
        match result {
            Err(Error::Config(ConfigError::MissingEnvVar(name))) => name,
            other => panic!("expected a missing variable, got {other:?}"),
        }
    }

    #[test]
    fn token_wins_over_key() {
        let c = Credentials::from_lookup(env(&[
            ("CLOUDFLARE_API_TOKEN", "tok"),
            ("CLOUDFLARE_EMAIL", "a@b.c"),
            ("CLOUDFLARE_API_KEY", "key"),
        ]))
        .unwrap();
        assert_eq!(c.scheme(), "api_token");
    }

    #[test]
    fn email_and_key_used_without_token() {
        let c = Credentials::from_lookup(env(&[
            ("CLOUDFLARE_API_TOKEN", ""),
            ("CLOUDFLARE_EMAIL", "a@b.c"),
            ("CLOUDFLARE_API_KEY", "key"),
        ]))
        .unwrap();
        assert_eq!(c.scheme(), "api_key");
    }

    #[test]
    fn missing_variables_are_named() {
        assert_eq!(
            missing(Credentials::from_lookup(env(&[]))),
            "CLOUDFLARE_API_TOKEN"
        );
        assert_eq!(
            missing(Credentials::from_lookup(env(&[(
                "CLOUDFLARE_EMAIL",
                "a@b.c"
            )]))),
            "CLOUDFLARE_API_KEY"
        );
        assert_eq!(
            missing(Credentials::from_lookup(env(&[(
                "CLOUDFLARE_API_KEY",
                "secret-key"
            )]))),
            "CLOUDFLARE_EMAIL"
        );
    }

    #[test]
    fn secrets_are_not_in_debug_and_headers_are_sensitive() {
        let token = Credentials::api_token("tok-SECRET-123");
        assert!(!format!("{token:?}").contains("SECRET"));
        let key = Credentials::api_key("me@example.com", "key-SECRET-456");
        let dbg = format!("{key:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
        assert!(dbg.contains("me@example.com"));
        for (_, v) in token
            .headers()
            .unwrap()
            .iter()
            .chain(key.headers().unwrap().iter())
        {
            assert!(v.is_sensitive());
            assert!(!format!("{v:?}").contains("SECRET"));
        }
    }

    #[test]
    fn invalid_token_characters_are_a_config_error_without_the_value() {
        let err = Credentials::api_token("bad\ntoken-SECRET")
            .headers()
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Config(ConfigError::InvalidCredentials)
        ));
        assert!(!format!("{err} {err:?}").contains("SECRET"));
    }
}
