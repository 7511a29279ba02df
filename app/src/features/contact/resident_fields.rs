//! A resident's details as form fields: registering a resident and correcting one show the
//! same fields with the same labels, checked by the same `ResidentDraft::validate`.

use crate::ui::form::{field_error, TextField};
use leptos::prelude::*;
use shared::model::ResidentDraft;
use shared::rules::validation::FieldErrors;

/// `prefix` keeps the ids apart when several residents' fields are on one page; `set` writes
/// one typed value into the draft.
#[component]
pub fn ResidentFields<F>(
    #[prop(into)] prefix: String,
    initial: ResidentDraft,
    errors: RwSignal<FieldErrors>,
    set: F,
) -> impl IntoView
where
    F: Fn(fn(&mut ResidentDraft, String), String) + Copy + Send + Sync + 'static,
{
    let r = initial;
    let id = move |name: &str| format!("{prefix}{name}");
    let on = move |f: fn(&mut ResidentDraft, String)| move |value: String| set(f, value);
    view! {
        <div class="field-grid">
            <TextField id=id("given_name") label="Voornaam".into() initial=r.given_name required=true autocomplete="off"
                on_input=on(|d, v| d.given_name = v) error=field_error(errors, "given_name")/>
            <TextField id=id("family_name") label="Achternaam".into() initial=r.family_name required=true
                on_input=on(|d, v| d.family_name = v) error=field_error(errors, "family_name")/>
            <TextField id=id("birth_date") label="Geboortedatum".into() initial=r.birth_date input_type="date"
                on_input=on(|d, v| d.birth_date = v) error=field_error(errors, "birth_date")/>
            <TextField id=id("bsn") label="BSN".into() initial=r.bsn hint="9 cijfers; alleen als de inwoner het geeft."
                on_input=on(|d, v| d.bsn = v) error=field_error(errors, "bsn")/>
            <TextField id=id("street") label="Straat".into() initial=r.street
                on_input=on(|d, v| d.street = v) error=field_error(errors, "street")/>
            <TextField id=id("house_number") label="Huisnummer".into() initial=r.house_number
                on_input=on(|d, v| d.house_number = v) error=field_error(errors, "house_number")/>
            <TextField id=id("postcode") label="Postcode".into() initial=r.postcode hint="Bijvoorbeeld 1234 AB."
                on_input=on(|d, v| d.postcode = v) error=field_error(errors, "postcode")/>
            <TextField id=id("city") label="Plaats (woonplaats)".into() initial=r.city
                on_input=on(|d, v| d.city = v) error=field_error(errors, "city")/>
            <TextField id=id("phone") label="Telefoon".into() initial=r.phone input_type="tel"
                on_input=on(|d, v| d.phone = v) error=field_error(errors, "phone")/>
            <TextField id=id("email") label="E-mail".into() initial=r.email input_type="email"
                on_input=on(|d, v| d.email = v) error=field_error(errors, "email")/>
        </div>
    }
}
