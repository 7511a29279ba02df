//! Configuration from the environment: every variable the server reads is read here.

use crate::{Error, Result};
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Pretty,
    /// One JSON object per line, for a log collector.
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: the PostgreSQL the server keeps its records in (required).
    pub database_url: String,
    /// `KEUKENTAFEL_MIGRATION_DATABASE_URL`: PostgreSQL itself, for the migrations at start,
    /// when `DATABASE_URL` goes through a pooler in transaction mode (the migrations hold a
    /// session lock, which such a pooler would leave on a connection it hands to others); else
    /// `DATABASE_URL`.
    pub migration_database_url: String,
    /// `KEUKENTAFEL_READ_DATABASE_URL`: a streaming replica the figures and the caseload list
    /// read from (they may lag the primary by the replica's delay); none: they read from
    /// `DATABASE_URL`.
    pub read_database_url: Option<String>,
    /// `KEUKENTAFEL_DB_CONNECTIONS`: connections in each pool (10); with several instances,
    /// their sum is what PostgreSQL (or the pooler) must accept.
    pub db_connections: u32,
    /// `KEUKENTAFEL_LISTEN`, else `LEPTOS_SITE_ADDR` (set by cargo-leptos), else 127.0.0.1:3000.
    pub listen: SocketAddr,
    /// `KEUKENTAFEL_LOG` (an `EnvFilter` directive such as `info` or `server=debug`).
    pub log_filter: String,
    /// `KEUKENTAFEL_LOG_FORMAT`: `pretty` (default) or `json`.
    pub log_format: LogFormat,
    /// `KEUKENTAFEL_SECURE_COOKIES=true` behind TLS: session cookies get `Secure`, responses HSTS.
    pub secure_cookies: bool,
    /// Sessions and sign-in: `KEUKENTAFEL_OFFICE_IDLE_MINUTES` (30), `KEUKENTAFEL_SIGN_IN_SLOTS`
    /// (the number of cores), `KEUKENTAFEL_SIGN_IN_QUEUE` (64),
    /// `KEUKENTAFEL_SIGN_IN_PER_ADDRESS` (per minute, 60; behind a proxy every worker shares an
    /// address), `KEUKENTAFEL_AUDIT_KEY` (the key for hashing unknown e-mail addresses in the
    /// audit log; random per start when unset, so hashes then compare only within one run).
    pub access: crate::accounts::guard::AccessSettings,
    /// `KEUKENTAFEL_METRICS_LISTEN`: an address (for the operations network) serving only
    /// `/metrics`, without a token.
    pub metrics_listen: Option<SocketAddr>,
    /// `KEUKENTAFEL_METRICS_TOKEN` (at least 16 characters): `/metrics` on the app's address
    /// with `Authorization: Bearer <token>`. Neither set: no `/metrics` anywhere.
    pub metrics_token: Option<String>,
    /// The ZGW export (`KEUKENTAFEL_ZGW_*`, see [`zgw_from`]); none: meldingen only queue.
    pub zgw: Option<crate::zgw::ZgwSettings>,
}

/// `DATABASE_URL`, for the commands that only need the database (`create-account`,
/// `create-team`, `retention`).
pub fn database_url() -> Result<String> {
    database_url_from(|key| std::env::var(key).ok())
}

fn database_url_from(lookup: impl Fn(&str) -> Option<String>) -> Result<String> {
    lookup("DATABASE_URL")
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| Error::Config("DATABASE_URL is not set".into()))
}

/// `KEUKENTAFEL_PASSWORD`: the first password `create-account` gives (else read from stdin).
pub fn provisioning_password() -> Option<String> {
    std::env::var("KEUKENTAFEL_PASSWORD").ok()
}

/// `KEUKENTAFEL_RETENTION_{WMO,NO_SUPPORT,YOUTH}_YEARS`: years a closed household is kept,
/// per basis (15, 5 and 20 by default).
pub fn retention_periods() -> Result<crate::retention::Periods> {
    retention_periods_from(|key| std::env::var(key).ok())
}

fn retention_periods_from(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<crate::retention::Periods> {
    let years = |name: &str, default: i32| -> Result<i32> {
        match lookup(name) {
            Some(value) => value
                .trim()
                .parse()
                .ok()
                .filter(|y| *y > 0)
                .ok_or_else(|| Error::Config(format!("{name} must be a number of years"))),
            None => Ok(default),
        }
    };
    let d = crate::retention::Periods::default();
    Ok(crate::retention::Periods {
        wmo_support: years("KEUKENTAFEL_RETENTION_WMO_YEARS", d.wmo_support)?,
        no_support: years("KEUKENTAFEL_RETENTION_NO_SUPPORT_YEARS", d.no_support)?,
        youth_act: years("KEUKENTAFEL_RETENTION_YOUTH_YEARS", d.youth_act)?,
    })
}

/// `KEUKENTAFEL_SUPERSEDED_LOG_DAYS`: days a log entry stays once a later one supersedes it
/// (7 by default; 0 compacts at once). See `sync::compact_log`.
pub fn superseded_log_days() -> Result<i32> {
    superseded_log_days_from(|key| std::env::var(key).ok())
}

fn superseded_log_days_from(lookup: impl Fn(&str) -> Option<String>) -> Result<i32> {
    const NAME: &str = "KEUKENTAFEL_SUPERSEDED_LOG_DAYS";
    match lookup(NAME) {
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|d: &i32| (0..=3650).contains(d))
            .ok_or_else(|| Error::Config(format!("{NAME} must be a number of days (0 to 3650)"))),
        None => Ok(7),
    }
}

impl Config {
    pub fn from_env(default_listen: SocketAddr) -> Result<Self> {
        Self::from_lookup(default_listen, |key| std::env::var(key).ok())
    }

    /// Reads through `lookup` so tests need not touch the process environment.
    pub fn from_lookup(
        default_listen: SocketAddr,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let database_url = database_url_from(&lookup)?;
        let listen = match lookup("KEUKENTAFEL_LISTEN") {
            Some(value) => value.parse().map_err(|_| {
                Error::Config(format!("KEUKENTAFEL_LISTEN is not an address: {value:?}"))
            })?,
            None => default_listen,
        };
        let log_filter = lookup("KEUKENTAFEL_LOG").unwrap_or_else(|| "info".into());
        let log_format = match lookup("KEUKENTAFEL_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(Error::Config(format!(
                    "KEUKENTAFEL_LOG_FORMAT must be pretty or json, not {other:?}"
                )))
            }
        };
        let secure_cookies = match lookup("KEUKENTAFEL_SECURE_COOKIES").as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => {
                return Err(Error::Config(format!(
                    "KEUKENTAFEL_SECURE_COOKIES must be true or false, not {other:?}"
                )))
            }
        };
        let mut access = crate::accounts::guard::AccessSettings::default();
        let number = |key: &str, default: usize| -> Result<usize> {
            match lookup(key) {
                None => Ok(default),
                Some(value) => value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        Error::Config(format!("{key} must be a positive number, not {value:?}"))
                    }),
            }
        };
        access.office_idle_minutes = number(
            "KEUKENTAFEL_OFFICE_IDLE_MINUTES",
            access.office_idle_minutes as usize,
        )? as u32;
        access.hashing_slots = number("KEUKENTAFEL_SIGN_IN_SLOTS", access.hashing_slots)?;
        access.hashing_queue = number("KEUKENTAFEL_SIGN_IN_QUEUE", access.hashing_queue)?;
        access.per_address_per_minute = number(
            "KEUKENTAFEL_SIGN_IN_PER_ADDRESS",
            access.per_address_per_minute as usize,
        )? as u32;
        match lookup("KEUKENTAFEL_AUDIT_KEY") {
            Some(key) if key.len() >= 16 => access.audit_key = key.into_bytes(),
            Some(_) => {
                return Err(Error::Config(
                    "KEUKENTAFEL_AUDIT_KEY must be at least 16 characters".into(),
                ))
            }
            None => {}
        }
        let metrics_listen = match lookup("KEUKENTAFEL_METRICS_LISTEN") {
            Some(value) => Some(value.parse().map_err(|_| {
                Error::Config(format!(
                    "KEUKENTAFEL_METRICS_LISTEN is not an address: {value:?}"
                ))
            })?),
            None => None,
        };
        let metrics_token = match lookup("KEUKENTAFEL_METRICS_TOKEN") {
            Some(token) if token.trim().len() >= 16 => Some(token.trim().to_owned()),
            Some(_) => {
                return Err(Error::Config(
                    "KEUKENTAFEL_METRICS_TOKEN must be at least 16 characters".into(),
                ))
            }
            None => None,
        };
        let zgw = zgw_from(&lookup)?;
        let url = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        Ok(Self {
            zgw,
            access,
            migration_database_url: url("KEUKENTAFEL_MIGRATION_DATABASE_URL")
                .unwrap_or_else(|| database_url.clone()),
            read_database_url: url("KEUKENTAFEL_READ_DATABASE_URL"),
            db_connections: number("KEUKENTAFEL_DB_CONNECTIONS", 10)? as u32,
            database_url,
            listen,
            log_filter,
            log_format,
            secure_cookies,
            metrics_listen,
            metrics_token,
        })
    }
}

/// The zaaksysteem: `KEUKENTAFEL_ZGW_ZAKEN_URL` turns the export on and then asks for the rest:
/// `_DOCUMENTEN_URL`, `_CATALOGI_URL` (the APIs' base URLs), `_CATALOGUS` (URL), `_ZAAKTYPE`
/// (identificatie), `_INFORMATIEOBJECTTYPE` (omschrijving, default "Gespreksverslag"), `_RSIN`,
/// `_CLIENT_ID`, `_SECRET` (JWT-ZGW, at least 32 characters) and `_INTERVAL_SECONDS` (60).
fn zgw_from(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<crate::zgw::ZgwSettings>> {
    let get =
        |name: &str| lookup(&format!("KEUKENTAFEL_ZGW_{name}")).filter(|v| !v.trim().is_empty());
    let Some(zaken_url) = get("ZAKEN_URL") else {
        if let Some(name) = ["DOCUMENTEN_URL", "CATALOGI_URL", "CLIENT_ID", "SECRET"]
            .into_iter()
            .find(|name| get(name).is_some())
        {
            return Err(Error::Config(format!(
                "KEUKENTAFEL_ZGW_{name} is set but KEUKENTAFEL_ZGW_ZAKEN_URL is not"
            )));
        }
        return Ok(None);
    };
    let required = |name: &str| {
        get(name).map(|v| v.trim().to_owned()).ok_or_else(|| {
            Error::Config(format!(
                "KEUKENTAFEL_ZGW_ZAKEN_URL is set, so KEUKENTAFEL_ZGW_{name} is needed too"
            ))
        })
    };
    let url = |name: &str| url_checked(required(name)?, name);
    let rsin = required("RSIN")?;
    if shared::rules::bsn::Bsn::parse(&rsin).is_err() {
        return Err(Error::Config(format!(
            "KEUKENTAFEL_ZGW_RSIN is not a valid RSIN (nine digits, eleven test): {rsin:?}"
        )));
    }
    let secret = required("SECRET")?;
    if secret.len() < 32 {
        return Err(Error::Config(
            "KEUKENTAFEL_ZGW_SECRET must be at least 32 characters".into(),
        ));
    }
    let interval = match get("INTERVAL_SECONDS") {
        None => 60,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| {
                Error::Config(format!(
                    "KEUKENTAFEL_ZGW_INTERVAL_SECONDS must be a positive number, not {v:?}"
                ))
            })?,
    };
    Ok(Some(crate::zgw::ZgwSettings {
        zaken_url: url_checked(zaken_url, "ZAKEN_URL")?,
        documenten_url: url("DOCUMENTEN_URL")?,
        catalogi_url: url("CATALOGI_URL")?,
        catalogus: url("CATALOGUS")?,
        zaaktype: required("ZAAKTYPE")?,
        informatieobjecttype: get("INFORMATIEOBJECTTYPE")
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| "Gespreksverslag".into()),
        rsin,
        client_id: required("CLIENT_ID")?,
        secret,
        interval: std::time::Duration::from_secs(interval),
    }))
}

fn url_checked(value: String, name: &str) -> Result<String> {
    match value.trim().parse::<axum::http::Uri>() {
        Ok(uri) if matches!(uri.scheme_str(), Some("http" | "https")) => {
            Ok(value.trim().to_owned())
        }
        _ => Err(Error::Config(format!(
            "KEUKENTAFEL_ZGW_{name} is not an http(s) URL: {value:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup("127.0.0.1:3000".parse().unwrap(), |k| vars.get(k).cloned())
    }

    #[test]
    fn database_url_is_required() {
        let error = config(&[]).unwrap_err();
        assert!(error.to_string().contains("DATABASE_URL"), "{error}");
    }

    #[test]
    fn migrations_and_reads_go_to_the_database_unless_told_otherwise() {
        let one = config(&[("DATABASE_URL", "postgres://primary")]).unwrap();
        assert_eq!(one.migration_database_url, "postgres://primary");
        assert_eq!(one.read_database_url, None);
        assert_eq!(one.db_connections, 10);
        let several = config(&[
            ("DATABASE_URL", "postgres://pooler"),
            ("KEUKENTAFEL_MIGRATION_DATABASE_URL", "postgres://primary"),
            ("KEUKENTAFEL_READ_DATABASE_URL", "postgres://replica"),
            ("KEUKENTAFEL_DB_CONNECTIONS", "4"),
        ])
        .unwrap();
        assert_eq!(several.database_url, "postgres://pooler");
        assert_eq!(several.migration_database_url, "postgres://primary");
        assert_eq!(
            several.read_database_url.as_deref(),
            Some("postgres://replica")
        );
        assert_eq!(several.db_connections, 4);
        let error = config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_DB_CONNECTIONS", "0")]);
        assert!(error
            .unwrap_err()
            .to_string()
            .contains("KEUKENTAFEL_DB_CONNECTIONS"));
    }

    #[test]
    fn listen_address_defaults_and_overrides() {
        let default = config(&[("DATABASE_URL", "postgres://x")]).unwrap();
        assert_eq!(default.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(default.log_format, LogFormat::Pretty);
        let custom = config(&[
            ("DATABASE_URL", "postgres://x"),
            ("KEUKENTAFEL_LISTEN", "0.0.0.0:8080"),
            ("KEUKENTAFEL_LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(custom.listen.to_string(), "0.0.0.0:8080");
        assert_eq!(custom.log_format, LogFormat::Json);
    }

    #[test]
    fn access_settings_are_read_and_checked() {
        let read = config(&[
            ("DATABASE_URL", "x"),
            ("KEUKENTAFEL_OFFICE_IDLE_MINUTES", "15"),
            ("KEUKENTAFEL_SIGN_IN_PER_ADDRESS", "200"),
        ])
        .unwrap();
        assert_eq!(read.access.office_idle_minutes, 15);
        assert_eq!(read.access.per_address_per_minute, 200);
        let error =
            config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_SIGN_IN_SLOTS", "0")]).unwrap_err();
        assert!(
            error.to_string().contains("KEUKENTAFEL_SIGN_IN_SLOTS"),
            "{error}"
        );
        let error =
            config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_AUDIT_KEY", "kort")]).unwrap_err();
        assert!(
            error.to_string().contains("KEUKENTAFEL_AUDIT_KEY"),
            "{error}"
        );
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let error = config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_LISTEN", "nope")]).unwrap_err();
        assert!(error.to_string().contains("KEUKENTAFEL_LISTEN"), "{error}");
        let error =
            config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_LOG_FORMAT", "xml")]).unwrap_err();
        assert!(
            error.to_string().contains("KEUKENTAFEL_LOG_FORMAT"),
            "{error}"
        );
        for (key, value) in [
            ("KEUKENTAFEL_METRICS_LISTEN", "overal"),
            ("KEUKENTAFEL_METRICS_TOKEN", "kort"),
        ] {
            let error = config(&[("DATABASE_URL", "x"), (key, value)]).unwrap_err();
            assert!(error.to_string().contains(key), "{error}");
        }
    }

    #[test]
    fn metrics_are_off_unless_configured() {
        let plain = config(&[("DATABASE_URL", "x")]).unwrap();
        assert_eq!((plain.metrics_listen, plain.metrics_token), (None, None));
        let on = config(&[
            ("DATABASE_URL", "x"),
            ("KEUKENTAFEL_METRICS_LISTEN", "127.0.0.1:9187"),
            ("KEUKENTAFEL_METRICS_TOKEN", "een lang genoeg token"),
        ])
        .unwrap();
        assert_eq!(on.metrics_listen, Some("127.0.0.1:9187".parse().unwrap()));
        assert_eq!(on.metrics_token.as_deref(), Some("een lang genoeg token"));
    }

    #[test]
    fn retention_periods_default_and_are_checked() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let periods = retention_periods_from(vars(&[])).unwrap();
        assert_eq!(periods, crate::retention::Periods::default());
        let periods =
            retention_periods_from(vars(&[("KEUKENTAFEL_RETENTION_WMO_YEARS", "20")])).unwrap();
        assert_eq!(periods.wmo_support, 20);
        let error = retention_periods_from(vars(&[("KEUKENTAFEL_RETENTION_YOUTH_YEARS", "-1")]))
            .unwrap_err();
        assert!(error.to_string().contains("YOUTH"), "{error}");
        assert_eq!(superseded_log_days_from(vars(&[])).unwrap(), 7);
        let now = vars(&[("KEUKENTAFEL_SUPERSEDED_LOG_DAYS", "0")]);
        assert_eq!(superseded_log_days_from(now).unwrap(), 0);
        let error = superseded_log_days_from(vars(&[("KEUKENTAFEL_SUPERSEDED_LOG_DAYS", "week")]))
            .unwrap_err();
        assert!(error.to_string().contains("SUPERSEDED"), "{error}");
    }

    #[test]
    fn the_zgw_export_is_off_unless_complete() {
        let base = [("DATABASE_URL", "x")];
        assert!(config(&base).unwrap().zgw.is_none());
        let half = config(&[("DATABASE_URL", "x"), ("KEUKENTAFEL_ZGW_SECRET", "s")]).unwrap_err();
        assert!(half.to_string().contains("ZAKEN_URL"), "{half}");
        let mut vars = vec![
            ("DATABASE_URL", "x"),
            (
                "KEUKENTAFEL_ZGW_ZAKEN_URL",
                "https://zs.example/zaken/api/v1",
            ),
            (
                "KEUKENTAFEL_ZGW_DOCUMENTEN_URL",
                "https://zs.example/documenten/api/v1",
            ),
            (
                "KEUKENTAFEL_ZGW_CATALOGI_URL",
                "https://zs.example/catalogi/api/v1",
            ),
            (
                "KEUKENTAFEL_ZGW_CATALOGUS",
                "https://zs.example/catalogi/api/v1/catalogussen/1",
            ),
            ("KEUKENTAFEL_ZGW_ZAAKTYPE", "WMO-MELDING"),
            ("KEUKENTAFEL_ZGW_RSIN", "002220647"),
            ("KEUKENTAFEL_ZGW_CLIENT_ID", "keukentafel"),
            (
                "KEUKENTAFEL_ZGW_SECRET",
                "een geheim van minstens 32 tekens lang",
            ),
        ];
        let on = config(&vars).unwrap().zgw.unwrap();
        assert_eq!(on.informatieobjecttype, "Gespreksverslag");
        assert_eq!(on.interval, std::time::Duration::from_secs(60));
        vars.push(("KEUKENTAFEL_ZGW_RSIN", "123456789"));
        let words = config(&vars).unwrap_err().to_string();
        assert!(words.contains("RSIN"), "{words}");
        vars.retain(|(k, _)| *k != "KEUKENTAFEL_ZGW_RSIN");
        vars.push(("KEUKENTAFEL_ZGW_RSIN", "002220647"));
        vars.retain(|(k, _)| *k != "KEUKENTAFEL_ZGW_CATALOGI_URL");
        vars.push(("KEUKENTAFEL_ZGW_CATALOGI_URL", "zs.example"));
        let words = config(&vars).unwrap_err().to_string();
        assert!(words.contains("CATALOGI_URL"), "{words}");
    }
}
