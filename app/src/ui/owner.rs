//! Picking who owns a piece of work from the team's roster (kept on the device, so offline
//! too): a colleague, or the team itself (its tray). What a select shows for the current owner.

use crate::store::use_store;
use leptos::prelude::*;
use shared::model::caseload::Roster;
use shared::model::{Id, Owner};

/// The value of the team's option in an owner select.
const TEAM: &str = "team";

/// The roster on this device (empty before the first sync).
pub fn roster() -> Roster {
    use_store()
        .read(|s| s.roster())
        .flatten()
        .unwrap_or_default()
}

/// The roster with the signed-in worker in it, also before the first sync brought the roster:
/// one can always book work with oneself.
pub fn roster_with_me() -> Roster {
    let mut roster = roster();
    let me = use_store().read(|s| s.account()).flatten();
    if let Some(me) = me.filter(|me| roster.member(me.account_id).is_none()) {
        roster.members.insert(
            0,
            shared::model::caseload::TeamMember {
                account_id: me.account_id,
                name: me.name,
                role: me.role,
            },
        );
    }
    roster
}

/// A select of the roster's members and the team. `current`: the account, or `Some(None)` for
/// the team, or `None` for anything else (a name in words).
#[component]
pub fn OwnerSelect(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] current: Signal<Option<Option<Id>>>,
    on_choose: impl Fn(Owner) + 'static,
) -> impl IntoView {
    let roster = roster();
    let members = roster.members.clone();
    let team_name = roster.team_name.clone();
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == TEAM {
            on_choose(Owner::Team {
                name: team_name.clone(),
            });
        } else if let Some(m) = Id::parse_str(&value)
            .ok()
            .and_then(|id| members.iter().find(|m| m.account_id == id))
        {
            on_choose(Owner::Person {
                account_id: m.account_id,
                name: m.name.clone(),
            });
        }
    };
    let selected = move |value: Option<Id>| current.get() == Some(value);
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <select id=id class="field__input" on:change=choose>
                <option value="" selected=move || current.get().is_none()>"Kies een collega of het team"</option>
                {roster.members.iter().map(|m| {
                    let account = m.account_id;
                    view! {
                        <option value=account.to_string() selected=move || selected(Some(account))>
                            {format!("{} ({})", m.name, m.role.label().to_lowercase())}
                        </option>
                    }
                }).collect_view()}
                <option value=TEAM selected=move || selected(None)>{format!("{} (werkvoorraad)", roster.team_name)}</option>
            </select>
        </div>
    }
}
