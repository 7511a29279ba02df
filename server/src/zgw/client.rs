//! The municipality's zaaksysteem over HTTP: the Catalogi, Zaken and Documenten APIs of the
//! ZGW standard, each call signed with a JWT-ZGW. Every failure comes back in words for the
//! administrator's queue, never with the resident's data in it.

use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::Mutex;

/// How to reach the zaaksysteem (`KEUKENTAFEL_ZGW_*`, read in `config`).
#[derive(Debug, Clone)]
pub struct ZgwSettings {
    /// The APIs' base URLs, e.g. `https://zaken.gemeente.nl/zaken/api/v1`.
    pub zaken_url: String,
    pub documenten_url: String,
    pub catalogi_url: String,
    /// The catalogus (URL) that holds the zaaktype and the informatieobjecttype.
    pub catalogus: String,
    /// The zaaktype's identificatie in the catalogus; its published version is used.
    pub zaaktype: String,
    /// The informatieobjecttype (its omschrijving) of the report.
    pub informatieobjecttype: String,
    /// The municipality's RSIN: bronorganisatie and verantwoordelijke organisatie.
    pub rsin: String,
    pub client_id: String,
    pub secret: String,
    /// How often the outbox is looked at when nothing wakes it.
    pub interval: Duration,
}

/// A delivery step that did not succeed, in words (Dutch: the administrator reads it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

/// The catalogue's URLs Keukentafel needs, looked up once and kept.
#[derive(Debug, Clone)]
pub struct CatalogueRefs {
    pub zaaktype: String,
    /// The zaaktype's statustypen by volgnummer: the five milestones in order.
    pub statustypen: Vec<String>,
    pub initiator: String,
    pub informatieobjecttype: String,
}

pub struct ZgwClient {
    pub settings: ZgwSettings,
    http: reqwest::Client,
    catalogue: Mutex<Option<CatalogueRefs>>,
}

#[derive(Clone, Copy)]
pub enum Api {
    Zaken,
    Documenten,
    Catalogi,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Zaken => "Zaken API",
            Api::Documenten => "Documenten API",
            Api::Catalogi => "Catalogi API",
        }
    }
}

impl ZgwClient {
    pub fn new(settings: ZgwSettings) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("Keukentafel/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a TLS client with the bundled roots");
        ZgwClient {
            settings,
            http,
            catalogue: Mutex::new(None),
        }
    }

    fn base(&self, api: Api) -> &str {
        let s = &self.settings;
        match api {
            Api::Zaken => &s.zaken_url,
            Api::Documenten => &s.documenten_url,
            Api::Catalogi => &s.catalogi_url,
        }
        .trim_end_matches('/')
    }

    /// A JWT-ZGW: HS256 over the client id, issued now (the APIs refuse old ones).
    fn token(&self) -> Result<String, Failure> {
        let claims = json!({
            "iss": self.settings.client_id,
            "iat": time::OffsetDateTime::now_utc().unix_timestamp(),
            "client_id": self.settings.client_id,
            "user_id": "keukentafel",
            "user_representation": "Keukentafel",
        });
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(self.settings.secret.as_bytes()),
        )
        .map_err(|e| Failure(format!("Het JWT-ZGW-token kon niet gemaakt worden: {e}")))
    }

    /// One call; `what` says in words what it was for ("het aanmaken van de zaak").
    pub async fn call(
        &self,
        api: Api,
        method: Method,
        path_or_url: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        what: &str,
    ) -> Result<Value, Failure> {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}/{}", self.base(api), path_or_url)
        };
        let mut request = self
            .http
            .request(method, &url)
            .query(query)
            .bearer_auth(self.token()?)
            .header("Accept", "application/json");
        if matches!(api, Api::Zaken) {
            // The Zaken API asks every zaak call which coordinate system its geometry uses.
            request = request
                .header("Accept-Crs", "EPSG:4326")
                .header("Content-Crs", "EPSG:4326");
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let name = api.name();
        let response = request.send().await.map_err(|e| {
            Failure(if e.is_timeout() {
                format!("De {name} antwoordde niet op tijd bij {what}.")
            } else {
                format!("De {name} is niet bereikbaar ({}).", host_of(&url))
            })
        })?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(Failure(refusal(name, what, status, &text)));
        }
        serde_json::from_str(&text).map_err(|_| {
            Failure(format!(
                "De {name} gaf bij {what} een antwoord dat geen JSON is."
            ))
        })
    }

    /// The catalogue's URLs, looked up on first use (and again after a failure: `forget`).
    pub async fn catalogue(&self) -> Result<CatalogueRefs, Failure> {
        let mut cached = self.catalogue.lock().await;
        if let Some(refs) = cached.as_ref() {
            return Ok(refs.clone());
        }
        let s = &self.settings;
        let get = |path: &'static str, query: Vec<(&'static str, String)>, what: &'static str| async move {
            let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = self
                .call(Api::Catalogi, Method::GET, path, &query, None, what)
                .await?;
            Ok::<Vec<Value>, Failure>(results(&page))
        };
        let zaaktypen = get(
            "zaaktypen",
            vec![
                ("catalogus", s.catalogus.clone()),
                ("identificatie", s.zaaktype.clone()),
                ("status", "definitief".into()),
            ],
            "het opzoeken van het zaaktype",
        )
        .await?;
        let today = time::OffsetDateTime::now_utc().date().to_string();
        // The version valid today: begun, not ended.
        let zaaktype = zaaktypen
            .iter()
            .filter(|z| {
                z["beginGeldigheid"]
                    .as_str()
                    .is_none_or(|b| b <= today.as_str())
            })
            .find(|z| {
                z["eindeGeldigheid"]
                    .as_str()
                    .is_none_or(|e| e >= today.as_str())
            })
            .and_then(url_of)
            .ok_or_else(|| {
                Failure(format!(
                    "Het zaaktype {} staat niet (gepubliceerd en geldig) in de catalogus.",
                    s.zaaktype
                ))
            })?;
        let mut statustypen = get(
            "statustypen",
            vec![
                ("zaaktype", zaaktype.clone()),
                ("status", "definitief".into()),
            ],
            "het opzoeken van de statustypen",
        )
        .await?;
        statustypen.sort_by_key(|t| t["volgnummer"].as_i64());
        let statustypen: Vec<String> = statustypen.iter().filter_map(url_of).collect();
        if statustypen.len() < 5 {
            return Err(Failure(format!(
                "Het zaaktype heeft {} statustypen; Keukentafel heeft er vijf nodig, op volgorde: melding ontvangen, gesprek gevoerd, verslag overhandigd, aanvraag ontvangen, besluit genomen.",
                statustypen.len()
            )));
        }
        let initiator = get(
            "roltypen",
            vec![
                ("zaaktype", zaaktype.clone()),
                ("omschrijvingGeneriek", "initiator".into()),
            ],
            "het opzoeken van het roltype initiator",
        )
        .await?
        .first()
        .and_then(url_of)
        .ok_or_else(|| Failure("Het zaaktype heeft geen roltype initiator.".into()))?;
        let informatieobjecttype = get(
            "informatieobjecttypen",
            vec![
                ("catalogus", s.catalogus.clone()),
                ("omschrijving", s.informatieobjecttype.clone()),
            ],
            "het opzoeken van het informatieobjecttype",
        )
        .await?
        .iter()
        .find(|t| t["omschrijving"].as_str() == Some(s.informatieobjecttype.as_str()))
        .and_then(url_of)
        .ok_or_else(|| {
            Failure(format!(
                "Het informatieobjecttype {} staat niet in de catalogus.",
                s.informatieobjecttype
            ))
        })?;
        let refs = CatalogueRefs {
            zaaktype,
            statustypen,
            initiator,
            informatieobjecttype,
        };
        *cached = Some(refs.clone());
        Ok(refs)
    }

    /// After a failure the catalogue may have changed (a new zaaktype version): look it up again.
    pub async fn forget_catalogue(&self) {
        *self.catalogue.lock().await = None;
    }
}

/// The objects of a list answer: paginated (`results`) or a plain array.
pub fn results(page: &Value) -> Vec<Value> {
    match page {
        Value::Array(items) => items.clone(),
        _ => page["results"].as_array().cloned().unwrap_or_default(),
    }
}

pub fn url_of(object: &Value) -> Option<String> {
    object["url"].as_str().map(str::to_owned)
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "onbekend adres".into())
}

/// A refusal in words: the status and which fields were refused with which code. The
/// reasons' free text is left out, as it may repeat a value sent (a BSN).
fn refusal(api: &str, what: &str, status: StatusCode, body: &str) -> String {
    let problem: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let fields: Vec<String> = problem["invalidParams"]
        .as_array()
        .map(|params| {
            params
                .iter()
                .filter_map(|p| Some(format!("{} ({})", p["name"].as_str()?, p["code"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    let reason = match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            " Controleer de client-id, het geheim en de rechten van Keukentafel in het zaaksysteem."
                .to_owned()
        }
        _ if !fields.is_empty() => format!(" Geweigerd: {}.", fields.join(", ")),
        _ => String::new(),
    };
    format!(
        "De {api} weigerde {what} ({} {}).{reason}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_fields_but_not_the_values() {
        let body = r#"{"invalidParams":[{"name":"betrokkeneIdentificatie.inpBsn","code":"invalid","reason":"'12345' is te kort"}]}"#;
        let words = refusal(
            "Zaken API",
            "het vastleggen van de initiator",
            StatusCode::BAD_REQUEST,
            body,
        );
        assert!(
            words.contains("betrokkeneIdentificatie.inpBsn (invalid)"),
            "{words}"
        );
        assert!(!words.contains("12345"), "{words}");
        let words = refusal(
            "Zaken API",
            "het aanmaken van de zaak",
            StatusCode::FORBIDDEN,
            "",
        );
        assert!(words.contains("client-id"), "{words}");
    }
}
