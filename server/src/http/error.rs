//! The server's one error type, mapped to HTTP responses in one place. The extractors in
//! [`super::extract`] turn axum's rejections into it, so a malformed request is refused in the
//! same words and shape as any other.
//!
//! A client error says what was wrong; a server error says only that it was ours: details go to
//! the log, never to the response.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed or invalid: the message says why, in words for the client.
    #[error("{0}")]
    BadRequest(String),
    /// A form with problems in named fields: 422, each problem beside its field.
    #[error("invalid fields: {0:?}")]
    Invalid(shared::rules::validation::FieldErrors),
    #[error("not found")]
    NotFound,
    /// A refusal with its own status (403, 409, 413, 426, …) and a stable code for programs.
    #[error("{message}")]
    Refused {
        status: StatusCode,
        message: String,
        code: Option<&'static str>,
    },
    /// A dependency (the database) does not answer right now: try again later.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("internal: {0}")]
    Internal(String),
}

/// The JSON body of every error response (the same type the app reads).
pub use shared::sync::ErrorResponse as ErrorBody;

impl Error {
    pub fn refused(status: StatusCode, message: impl Into<String>) -> Self {
        Error::Refused {
            status,
            message: message.into(),
            code: None,
        }
    }

    pub fn with_code(self, code: &'static str) -> Self {
        match self {
            Error::Refused {
                status, message, ..
            } => Error::Refused {
                status,
                message,
                code: Some(code),
            },
            other => other,
        }
    }
}

/// Malformed JSON, wrong types, a body over the limit: a 4xx that says in Dutch what was
/// wrong, with the technical detail after it for whoever reads the log or builds a client.
impl From<axum::extract::rejection::JsonRejection> for Error {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        let words = match &rejection {
            J::JsonDataError(_) => {
                "De gegevens kloppen niet: een veld ontbreekt of heeft een verkeerde waarde"
            }
            J::JsonSyntaxError(_) => "De gegevens zijn geen geldige JSON",
            J::MissingJsonContentType(_) => {
                "Stuur de gegevens als JSON (Content-Type: application/json)"
            }
            J::BytesRejection(_) => "Het verzoek is te groot of kwam niet helemaal aan",
            _ => "De gegevens konden niet worden gelezen",
        };
        Error::refused(
            rejection.status(),
            format!("{words}. ({})", rejection.body_text()),
        )
    }
}

impl From<axum::extract::rejection::QueryRejection> for Error {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        Error::refused(
            rejection.status(),
            format!(
                "Het adres bevat een ontbrekende of ongeldige waarde. ({})",
                rejection.body_text()
            ),
        )
    }
}

/// A path segment that does not parse (a household id that is no UUID): 400 in words.
impl From<axum::extract::rejection::PathRejection> for Error {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        Error::refused(
            StatusCode::BAD_REQUEST,
            format!(
                "Het adres klopt niet: een deel ervan heeft een ongeldige waarde. ({})",
                rejection.body_text()
            ),
        )
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) | Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Refused { status, .. } => *status,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::Database(sqlx::Error::Database(e))
                if e.code().is_some_and(|c| transient(&c)) =>
            {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::Config(_) | Error::Database(_) | Error::Migrate(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the client is told.
    fn public_message(&self) -> String {
        match self {
            Error::BadRequest(message) => message.clone(),
            // Every problem in the sentence too, for a client that does not place `fields`.
            Error::Invalid(errors) => errors.sentence(),
            Error::NotFound => "Niet gevonden.".into(),
            Error::Refused { message, .. } => message.clone(),
            _ if self.status() == StatusCode::SERVICE_UNAVAILABLE => {
                "De server is even niet bereikbaar. Probeer het zo opnieuw; wat je typte blijft bewaard.".into()
            }
            _ => "Er ging iets mis op de server. Probeer het later opnieuw; de beheerder vindt de details in het logboek.".into(),
        }
    }
}

/// SQLSTATEs that say "not now" rather than "never": a concurrent transaction won
/// (serialization failure, deadlock), the connection broke (class 08), or the database is
/// shutting down, restarting or terminated this connection (57P01 to 57P03). The client
/// tries again; its queue is kept.
fn transient(code: &str) -> bool {
    matches!(code, "40001" | "40P01" | "57P01" | "57P02" | "57P03") || code.starts_with("08")
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let body = ErrorBody {
            error: self.public_message(),
            code: match &self {
                Error::Refused { code, .. } => code.map(str::to_owned),
                _ => None,
            },
            fields: match self {
                Error::Invalid(errors) => errors.0,
                _ => Vec::new(),
            },
        };
        (status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_keep_their_message() {
        let error = Error::BadRequest("postcode is not valid".into());
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.public_message(), "postcode is not valid");
    }

    #[test]
    fn a_database_going_away_is_not_our_bug() {
        // Found by the soak: a pull on a connection the database had just terminated
        // answered 500.
        for code in [
            "57P01", "57P02", "57P03", "08006", "08003", "40001", "40P01",
        ] {
            assert!(transient(code), "{code}");
        }
        for code in ["23505", "22P05", "42P01", "XX000"] {
            assert!(!transient(code), "{code}");
        }
    }

    #[test]
    fn field_errors_travel_beside_their_fields() {
        let mut errors = shared::rules::validation::FieldErrors::default();
        errors.add("email", "Vul een geldig e-mailadres in.");
        errors.add("name", "Vul een naam in.");
        let error = Error::Invalid(errors);
        assert_eq!(error.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            error.public_message(),
            "Vul een geldig e-mailadres in. Vul een naam in."
        );
    }

    #[test]
    fn server_errors_hide_internals() {
        let error = Error::Internal("password=secret in connection string".into());
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!error.public_message().contains("secret"));
        let unavailable = Error::Database(sqlx::Error::PoolTimedOut);
        assert_eq!(unavailable.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}
