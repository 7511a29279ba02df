//! The audit log for the privacy officer: who read, changed or printed a household's data, when
//! and from which device; searchable by household and exportable. Online only (it lives on the
//! server, never on the device).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub account_name: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub household_id: Option<String>,
    pub record_type: Option<String>,
    pub detail: Option<String>,
}

fn action_label(action: &str, detail: Option<&str>) -> String {
    let base = match action {
        "read" if detail == Some("on the device") => "Geopend op het apparaat",
        "read" => "Naar apparaat gestuurd",
        "print" => "Afgedrukt",
        "create" => "Aangemaakt",
        "change" => "Gewijzigd",
        "delete" => "Verwijderd",
        "export" => "Geëxporteerd",
        "sign_in" => "Ingelogd",
        "sign_in_failed" => "Mislukte inlogpoging",
        "sign_out" => "Uitgelogd",
        "account_created" => "Account aangemaakt",
        "assigned" => "Consulent toegevoegd",
        "unassigned" => "Consulent verwijderd",
        "coordinator_assigned" => "Regisseur toegewezen",
        "handover" => "Warme overdracht",
        "handover_picked_up" => "Overdracht opgepakt",
        "sign_in_refused" => "Inloggen geweigerd",
        "account_changed" => "Rol of team gewijzigd",
        "account_disabled" => "Account uitgeschakeld",
        "account_enabled" => "Account ingeschakeld",
        "password_reset" => "Wachtwoord opnieuw ingesteld",
        "password_changed" => "Wachtwoord gewijzigd",
        "device_lost" => "Apparaat kwijt gemeld",
        "second_factor_enrolled" => "Tweestapsverificatie ingesteld",
        "second_factor_reset" => "Tweestapsverificatie opnieuw laten instellen",
        "rejected_discarded" => "Niet verwerkte wijziging weggegooid",
        "reopened" => "Huishouden heropend",
        "resident_lookup" => "Inwoner gezocht in de gemeente",
        "access_requested" => "Toegang gevraagd",
        "access_granted" => "Toegang gegeven",
        "access_refused" => "Toegang geweigerd",
        "access_revoked" => "Toegang ingetrokken",
        "duplicate_merged" => "Dubbele registratie samengevoegd",
        "duplicate_dismissed" => "Geen dubbele registratie",
        "appointment_booked" => "Afspraak met collega gemaakt",
        "anonymous_contacts_recorded" => "Anonieme contacten vastgelegd",
        "signal_recorded" => "Signaal vastgelegd",
        "signals_read" => "Signalen bekeken",
        "signal_closed" => "Signaal afgesloten",
        "signal_became_question" => "Signaal werd een vraag",
        "signal_reporter_told" => "Melder laten weten",
        "zaak_updated" => "Zaak bijgewerkt in zaaksysteem",
        "zaak_retried" => "Zaak opnieuw laten versturen",
        "transferred" => "Naar een ander team",
        "discarded" => "Niet-verwerkte wijziging weggegooid",
        other => other,
    };
    base.to_owned()
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let household = RwSignal::new(String::new());
    let rows = RwSignal::new(None::<Result<Vec<AuditRow>, String>>);
    let query = move || {
        let h = household.get_untracked();
        let h = h.trim();
        if h.is_empty() {
            String::new()
        } else {
            format!("?household_id={h}")
        }
    };
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let url = format!("/api/audit{}", query());
            wasm_bindgen_futures::spawn_local(async move {
                let result = crate::sync::browser::send::<Vec<AuditRow>>("GET", &url, None).await;
                rows.set(Some(result.map_err(|e| match e {
                    crate::sync::browser::SyncError::Server(403, _) => {
                        "Alleen de privacyfunctionaris kan het auditlog inzien.".to_owned()
                    }
                    other => other.words(),
                })));
            });
        }
    };
    view! {
        <Title text="Auditlog"/>
        <h1>"Auditlog"</h1>
        <form class="card form" on:submit=search>
            <p>"Wie heeft welke gegevens van een huishouden gelezen, gewijzigd of afgedrukt, wanneer en op welk apparaat."</p>
            <crate::ui::form::TextField id="audit-huishouden" label="Huishouden (id)".into()
                initial=Signal::derive(move || household.get()) on_input=move |v| household.set(v)
                hint="Leeg: de laatste gebeurtenissen van de gemeente"/>
            <div class="actions">
                <button class="button button--primary" type="submit">"Zoeken"</button>
                <a class="button button--secondary" href=move || format!("/api/audit/export{}", { household.track(); query() })>"Exporteren als CSV"</a>
            </div>
        </form>
        {move || match rows.get() {
            None => view! { <p class="empty-state">"Zoek om gebeurtenissen te zien."</p> }.into_any(),
            Some(Err(message)) => view! { <p class="notice notice--error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="empty-state">"Geen gebeurtenissen gevonden."</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="table" data-testid="audit-table">
                    <thead><tr><th scope="col">"Tijd"</th><th scope="col">"Medewerker"</th><th scope="col">"Wat"</th><th scope="col">"Onderdeel"</th><th scope="col">"Apparaat"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <td>{crate::clock::moment(&r.at)}</td>
                                <td>{r.account_name.clone().unwrap_or_default()}</td>
                                <td>{action_label(&r.action, r.detail.as_deref())}</td>
                                <td>{r.record_type.as_deref().and_then(shared::sync::RecordType::from_key).map(crate::sync::record_label).unwrap_or_default()}</td>
                                <td>{r.device_id.clone().map(|d| d.chars().take(8).collect::<String>()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
