//! The outbox's worker: takes a melding whose zaak has something waiting, brings the zaak up
//! to date step by step (`shared::zgw::steps`), and remembers each step that arrived, so a
//! retry only does what is left. Before making anything it asks the zaaksysteem whether it is
//! already there (a lost answer), so no retry makes a second zaak, status or document.
//!
//! A melding is leased (its due time pushed ahead) rather than held in a transaction across
//! the HTTP calls; each arrived step is committed on its own; the end of a run (done, or the
//! failure and its next try) is one transaction with its audit row.

use super::client::{results, url_of, Api, Failure, ZgwClient};
use crate::audit::{self, Action, Event};
use crate::{Error, Result};
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use shared::model::{Conversation, Id, Notification, Resident};
use shared::rules::validation::display_date;
use shared::zgw::{self, AgreedReport, Step};
use sqlx::PgPool;
use std::collections::HashMap;
use time::OffsetDateTime;

/// How long a claimed melding is left alone by other workers (longer than a run takes).
const LEASE_MINUTES: i32 = 10;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Meldingen whose zaak is now up to date.
    pub delivered: usize,
    /// Meldingen that failed and wait for their next try.
    pub failed: usize,
}

/// Delivers what is due, at most `limit` meldingen.
pub async fn deliver_due(pool: &PgPool, client: &ZgwClient, limit: usize) -> Result<Summary> {
    let mut summary = Summary::default();
    for _ in 0..limit {
        let Some(claim) = claim(pool).await? else {
            break;
        };
        let outcome = deliver(pool, client, claim.notification_id).await;
        if outcome.is_err() {
            client.forget_catalogue().await;
        }
        match finish(pool, &claim, outcome).await? {
            true => summary.delivered += 1,
            false => summary.failed += 1,
        }
    }
    crate::metrics::zgw_queue(pool).await;
    Ok(summary)
}

struct Claim {
    notification_id: Id,
    queued_at: OffsetDateTime,
    attempts: i32,
}

async fn claim(pool: &PgPool) -> Result<Option<Claim>> {
    let row = sqlx::query!(
        "UPDATE zgw_outbox
            SET due_at = now() + make_interval(mins => $1), last_attempt_at = now()
          WHERE notification_id = (
                SELECT notification_id FROM zgw_outbox WHERE due_at <= now()
                 ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING notification_id, queued_at, attempts",
        LEASE_MINUTES
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Claim {
        notification_id: r.notification_id,
        queued_at: r.queued_at,
        attempts: r.attempts,
    }))
}

/// The run's end: done (the row goes, unless a newer change queued it again meanwhile), or
/// the failure in words and the next try. Returns whether it was done.
async fn finish(
    pool: &PgPool,
    claim: &Claim,
    outcome: std::result::Result<Delivered, Failure>,
) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let done = match outcome {
        Ok(delivered) => {
            sqlx::query!(
                "DELETE FROM zgw_outbox WHERE notification_id = $1 AND queued_at = $2",
                claim.notification_id,
                claim.queued_at
            )
            .execute(&mut *tx)
            .await?;
            // A change queued during the run kept its row, already due now (`enqueue`).
            if !delivered.steps.is_empty() {
                let mut event = Event::new(Action::ZaakUpdated)
                    .record("notification", claim.notification_id)
                    .detail(&delivered.steps.join(", "));
                if let Some(household) = delivered.household {
                    event = event.household(household);
                }
                if let Some(municipality) = &delivered.municipality {
                    event = event.municipality(municipality);
                }
                audit::record(&mut *tx, event).await?;
            }
            crate::metrics::zgw_delivery("delivered");
            true
        }
        Err(Failure(words)) => {
            let wait = zgw::retry_after(claim.attempts.max(0) as u32);
            sqlx::query!(
                "UPDATE zgw_outbox
                    SET attempts = attempts + 1, last_error = $2,
                        due_at = now() + make_interval(secs => $3)
                  WHERE notification_id = $1",
                claim.notification_id,
                words,
                wait.as_seconds_f64()
            )
            .execute(&mut *tx)
            .await?;
            // The melding's id and the words: never the resident's data.
            tracing::warn!(notification = %claim.notification_id, failure = %words, "zgw delivery failed");
            crate::metrics::zgw_delivery("failed");
            false
        }
    };
    tx.commit().await?;
    Ok(done)
}

/// What one run delivered: the steps' keys, for the audit row.
struct Delivered {
    household: Option<Id>,
    municipality: Option<String>,
    steps: Vec<String>,
}

/// A database error during a run is a failure too: the melding waits for its next try.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        tracing::error!(%error, "zgw delivery: database");
        Failure("Keukentafel kon de gegevens van de melding niet lezen of vastleggen.".into())
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::from(Error::from(error))
    }
}

/// Everything the zaak is made from, read once per run.
struct Melding {
    id: Id,
    household_id: Id,
    municipality: String,
    notification: Notification,
    identificatie: String,
    zaak: Option<String>,
    delivered: HashMap<String, String>,
    reports: Vec<(AgreedReport, Conversation)>,
    initiator: Option<Resident>,
}

async fn deliver(
    pool: &PgPool,
    client: &ZgwClient,
    id: Id,
) -> std::result::Result<Delivered, Failure> {
    let Some(melding) = load(pool, id).await? else {
        // The melding was deleted: nothing is sent any more.
        return Ok(Delivered {
            household: None,
            municipality: None,
            steps: Vec::new(),
        });
    };
    let wanted = zgw::steps(
        &melding.notification.clock,
        &melding.reports.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
    );
    let mut run = Run {
        pool,
        client,
        melding,
        statussen: None,
        done: Vec::new(),
    };
    for step in wanted {
        if run.melding.delivered.contains_key(&step.key()) {
            continue;
        }
        let url = run.deliver(&step).await?;
        run.remember(&step, &url).await?;
    }
    Ok(Delivered {
        household: Some(run.melding.household_id),
        municipality: Some(run.melding.municipality),
        steps: run.done,
    })
}

async fn load(pool: &PgPool, id: Id) -> Result<Option<Melding>> {
    let Some(row) = sqlx::query!(
        "SELECT n.household_id, n.fields, z.identificatie, z.url, t.municipality_id
           FROM notification n
           JOIN zgw_zaak z ON z.notification_id = n.id
           JOIN household h ON h.id = n.household_id
           JOIN team t ON t.id = h.team_id
          WHERE n.id = $1 AND NOT n.deleted AND NOT h.deleted",
        id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let parse = |e: serde_json::Error| Error::Internal(format!("stored record: {e}"));
    let notification: Notification = serde_json::from_value(row.fields).map_err(parse)?;
    let delivered = sqlx::query!(
        "SELECT step, url FROM zgw_delivered WHERE notification_id = $1",
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.step, r.url))
    .collect();
    // The household's meldingen decide which zaak each agreed report belongs to.
    let meldingen: Vec<(Id, time::Date)> = sqlx::query_scalar!(
        "SELECT fields FROM notification WHERE household_id = $1 AND NOT deleted",
        row.household_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|fields| serde_json::from_value::<Notification>(fields).ok())
    .filter_map(|n| Some((n.id, n.clock.notification_date?)))
    .collect();
    let reports = sqlx::query_scalar!(
        "SELECT fields FROM conversation WHERE household_id = $1 AND NOT deleted",
        row.household_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|fields| serde_json::from_value::<Conversation>(fields).ok())
    .filter_map(|c| Some((AgreedReport::of(&c)?, c)))
    .filter(|(report, _)| zgw::zaak_of_report(&meldingen, report) == Some(id))
    .collect();
    let initiator = sqlx::query_scalar!(
        "SELECT r.fields FROM question q JOIN resident r ON r.id::text = q.fields->>'resident_id'
          WHERE q.id = $1 AND NOT r.deleted",
        notification.question_id
    )
    .fetch_optional(pool)
    .await?
    .and_then(|fields| serde_json::from_value(fields).ok());
    Ok(Some(Melding {
        id,
        household_id: row.household_id,
        municipality: row.municipality_id,
        notification,
        identificatie: row.identificatie,
        zaak: row.url,
        delivered,
        reports,
        initiator,
    }))
}

struct Run<'a> {
    pool: &'a PgPool,
    client: &'a ZgwClient,
    melding: Melding,
    /// The zaak's statussen as the zaaksysteem has them, asked once per run.
    statussen: Option<Vec<Value>>,
    done: Vec<String>,
}

impl Run<'_> {
    fn rsin(&self) -> &str {
        &self.client.settings.rsin
    }

    fn zaak(&self) -> Result<&str, Failure> {
        self.melding
            .zaak
            .as_deref()
            .ok_or_else(|| Failure("De zaak is nog niet aangemaakt.".into()))
    }

    async fn deliver(&mut self, step: &Step) -> Result<String, Failure> {
        match step {
            Step::Zaak { start } => self.zaak_made(*start).await,
            Step::Initiator => self.initiator().await,
            Step::Status { milestone, on } => self.status(*milestone, *on).await,
            Step::Report {
                conversation,
                agreed_on,
            } => self.report(*conversation, *agreed_on).await,
        }
    }

    /// Remembers an arrived step at once, so a failure further on does not repeat it.
    async fn remember(&mut self, step: &Step, url: &str) -> Result<(), Failure> {
        let mut tx = self.pool.begin().await?;
        sqlx::query!(
            "INSERT INTO zgw_delivered (notification_id, step, url) VALUES ($1, $2, $3)
             ON CONFLICT (notification_id, step) DO UPDATE SET url = EXCLUDED.url",
            self.melding.id,
            step.key(),
            url
        )
        .execute(&mut *tx)
        .await?;
        let zaak_url = matches!(step, Step::Zaak { .. }).then_some(url);
        sqlx::query!(
            "UPDATE zgw_zaak SET updated_at = now(), url = coalesce($2, url)
              WHERE notification_id = $1",
            self.melding.id,
            zaak_url
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if let Some(url) = zaak_url {
            self.melding.zaak = Some(url.to_owned());
        }
        self.melding.delivered.insert(step.key(), url.to_owned());
        self.done.push(step.key());
        Ok(())
    }

    async fn zaak_made(&mut self, start: time::Date) -> Result<String, Failure> {
        let ident = self.melding.identificatie.clone();
        let rsin = self.rsin().to_owned();
        let found = self
            .client
            .call(
                Api::Zaken,
                Method::GET,
                "zaken",
                &[("identificatie", &ident), ("bronorganisatie", &rsin)],
                None,
                "het zoeken naar de zaak",
            )
            .await?;
        if let Some(url) = results(&found).first().and_then(url_of) {
            return Ok(url);
        }
        let catalogue = self.client.catalogue().await?;
        let body = json!({
            "identificatie": ident,
            "bronorganisatie": rsin,
            "verantwoordelijkeOrganisatie": rsin,
            "zaaktype": catalogue.zaaktype,
            "omschrijving": "Wmo-melding",
            "startdatum": start.to_string(),
            "registratiedatum": OffsetDateTime::now_utc().date().to_string(),
            "vertrouwelijkheidaanduiding": "vertrouwelijk",
        });
        let made = self
            .client
            .call(
                Api::Zaken,
                Method::POST,
                "zaken",
                &[],
                Some(&body),
                "het aanmaken van de zaak",
            )
            .await?;
        url_of(&made).ok_or_else(|| Failure("De Zaken API gaf de nieuwe zaak zonder url.".into()))
    }

    async fn initiator(&mut self) -> Result<String, Failure> {
        let zaak = self.zaak()?.to_owned();
        let catalogue = self.client.catalogue().await?;
        let found = self
            .client
            .call(
                Api::Zaken,
                Method::GET,
                "rollen",
                &[("zaak", &zaak), ("omschrijvingGeneriek", "initiator")],
                None,
                "het zoeken naar de initiator",
            )
            .await?;
        if let Some(url) = results(&found)
            .iter()
            .find(|r| r["roltype"].as_str() == Some(catalogue.initiator.as_str()))
            .and_then(url_of)
        {
            return Ok(url);
        }
        // By BSN where the municipality knows it; else by name and birth date.
        let person = match &self.melding.initiator {
            Some(r) => match &r.bsn {
                Some(bsn) => json!({ "inpBsn": bsn.as_str() }),
                None => json!({
                    "geslachtsnaam": r.family_name,
                    "voornamen": r.given_name,
                    "geboortedatum": r.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                }),
            },
            None => json!({}),
        };
        let body = json!({
            "zaak": zaak,
            "betrokkeneType": "natuurlijk_persoon",
            "roltype": catalogue.initiator,
            "roltoelichting": "Inwoner die de melding deed",
            "betrokkeneIdentificatie": person,
        });
        let made = self
            .client
            .call(
                Api::Zaken,
                Method::POST,
                "rollen",
                &[],
                Some(&body),
                "het vastleggen van de initiator",
            )
            .await?;
        url_of(&made).ok_or_else(|| Failure("De Zaken API gaf de rol zonder url.".into()))
    }

    async fn status(
        &mut self,
        milestone: zgw::Milestone,
        on: time::Date,
    ) -> Result<String, Failure> {
        let zaak = self.zaak()?.to_owned();
        let catalogue = self.client.catalogue().await?;
        let statustype = catalogue.statustypen[milestone.position()].clone();
        if self.statussen.is_none() {
            let found = self
                .client
                .call(
                    Api::Zaken,
                    Method::GET,
                    "statussen",
                    &[("zaak", &zaak)],
                    None,
                    "het opvragen van de statussen",
                )
                .await?;
            self.statussen = Some(results(&found));
        }
        if let Some(url) = self
            .statussen
            .iter()
            .flatten()
            .find(|s| s["statustype"].as_str() == Some(statustype.as_str()))
            .and_then(url_of)
        {
            return Ok(url);
        }
        // A date, not a moment: midday UTC keeps the day in every time zone, and the seconds
        // keep the order of two milestones on one day.
        let body = json!({
            "zaak": zaak,
            "statustype": statustype,
            "datumStatusGezet": format!("{on}T12:00:{:02}Z", milestone.position()),
            "statustoelichting": milestone.label(),
        });
        let made = self
            .client
            .call(
                Api::Zaken,
                Method::POST,
                "statussen",
                &[],
                Some(&body),
                &format!("de status \"{}\"", milestone.label()),
            )
            .await?;
        url_of(&made).ok_or_else(|| Failure("De Zaken API gaf de status zonder url.".into()))
    }

    async fn report(&mut self, conversation: Id, agreed_on: time::Date) -> Result<String, Failure> {
        let zaak = self.zaak()?.to_owned();
        let catalogue = self.client.catalogue().await?;
        let ident = zgw::report_identificatie(&self.melding.identificatie, conversation, agreed_on);
        let rsin = self.rsin().to_owned();
        let found = self
            .client
            .call(
                Api::Documenten,
                Method::GET,
                "enkelvoudiginformatieobjecten",
                &[("identificatie", &ident), ("bronorganisatie", &rsin)],
                None,
                "het zoeken naar het verslag",
            )
            .await?;
        let document = match results(&found).first().and_then(url_of) {
            Some(url) => url,
            None => {
                self.report_made(
                    conversation,
                    agreed_on,
                    &ident,
                    &catalogue.informatieobjecttype,
                )
                .await?
            }
        };
        let links = self
            .client
            .call(
                Api::Zaken,
                Method::GET,
                "zaakinformatieobjecten",
                &[("zaak", &zaak), ("informatieobject", &document)],
                None,
                "het zoeken naar de koppeling van het verslag",
            )
            .await?;
        if !results(&links)
            .iter()
            .any(|l| l["informatieobject"].as_str() == Some(document.as_str()))
        {
            let body =
                json!({ "zaak": zaak, "informatieobject": document, "titel": "Verslag en plan" });
            self.client
                .call(
                    Api::Zaken,
                    Method::POST,
                    "zaakinformatieobjecten",
                    &[],
                    Some(&body),
                    "het koppelen van het verslag aan de zaak",
                )
                .await?;
        }
        Ok(document)
    }

    async fn report_made(
        &mut self,
        conversation: Id,
        agreed_on: time::Date,
        ident: &str,
        informatieobjecttype: &str,
    ) -> Result<String, Failure> {
        let held_on = self
            .melding
            .reports
            .iter()
            .find(|(r, _)| r.conversation == conversation)
            .map(|(_, c)| c.held_on)
            .unwrap_or(agreed_on);
        let mut conn = self.pool.acquire().await?;
        let report = crate::households::report::build(
            &mut conn,
            self.pool,
            &self.melding.municipality,
            self.melding.household_id,
            Some(conversation),
        )
        .await?
        .ok_or_else(|| {
            Failure("Het verslag kon niet gemaakt worden: het huishouden is weg.".into())
        })?;
        drop(conn);
        let pdf = crate::pdf::report(&report)
            .map_err(|_| Failure("Het verslag kon niet als pdf gemaakt worden.".into()))?;
        let body = json!({
            "identificatie": ident,
            "bronorganisatie": self.rsin(),
            "creatiedatum": agreed_on.to_string(),
            "titel": format!("Verslag en plan, gesprek van {}", display_date(held_on)),
            "auteur": "Keukentafel",
            "status": "definitief",
            "formaat": "application/pdf",
            "taal": "dut",
            "bestandsnaam": format!("verslag-en-plan-{}.pdf", display_date(held_on)),
            "inhoud": base64::engine::general_purpose::STANDARD.encode(&pdf),
            "bestandsomvang": pdf.len(),
            "informatieobjecttype": informatieobjecttype,
            "vertrouwelijkheidaanduiding": "vertrouwelijk",
            "indicatieGebruiksrecht": false,
        });
        let made = self
            .client
            .call(
                Api::Documenten,
                Method::POST,
                "enkelvoudiginformatieobjecten",
                &[],
                Some(&body),
                "het opslaan van het verslag",
            )
            .await?;
        url_of(&made).ok_or_else(|| Failure("De Documenten API gaf het verslag zonder url.".into()))
    }
}
