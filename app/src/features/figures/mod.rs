//! The front door in figures for the coordinator (`/cijfers`): per period and team, charts drawn
//! as SVG and every table downloadable as CSV. Online only: the figures are counted on the
//! server over the whole municipality's data.

mod charts;

use charts::{BarChart, WeekChart};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::figures::{FrontDoorFigures, Table};

fn default_period() -> (String, String) {
    let today = crate::clock::now().date();
    let from = today.replace_ordinal(1).unwrap_or(today);
    (from.to_string(), today.to_string())
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    let (from_default, to_default) = default_period();
    let from = RwSignal::new(from_default);
    let to = RwSignal::new(to_default);
    let team = RwSignal::new(String::new());
    let figures = RwSignal::new(None::<Result<FrontDoorFigures, String>>);
    let loading = RwSignal::new(false);
    // The query of the figures on screen (their CSV links must download the same period).
    let shown = RwSignal::new(String::new());
    let load = move || {
        let team = team.get_untracked();
        let query = format!(
            "from={}&to={}{}",
            from.get_untracked(),
            to.get_untracked(),
            if team.is_empty() {
                String::new()
            } else {
                format!("&team={team}")
            }
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = query;
        #[cfg(feature = "hydrate")]
        {
            let url = format!("/api/figures?{query}");
            loading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result =
                    crate::sync::browser::send::<FrontDoorFigures>("GET", &url, None).await;
                loading.set(false);
                shown.set(query);
                figures.set(Some(result.map_err(|e| match e {
                    crate::sync::browser::SyncError::Server(403, _) => {
                        "Alleen een coördinator kan de cijfers inzien.".to_owned()
                    }
                    crate::sync::browser::SyncError::Server(status, message) if status < 500 => {
                        message
                    }
                    other => other.words(),
                })));
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    // Show this year's figures as soon as the page is ready.
    Effect::new(move |_| load());
    #[cfg(not(feature = "hydrate"))]
    let _ = (shown, loading, figures);
    view! {
        <Title text="Cijfers"/>
        <h1>"De voordeur in cijfers"</h1>
        <form class="card form figures-filter" on:submit=submit>
            <div class="field-grid">
                <div class="field">
                    <label class="field__label" for="cijfers-van">"Van"</label>
                    <input id="cijfers-van" class="field__input" type="date" prop:value=move || from.get()
                        on:change=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label class="field__label" for="cijfers-tot">"Tot en met"</label>
                    <input id="cijfers-tot" class="field__input" type="date" prop:value=move || to.get()
                        on:change=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label class="field__label" for="cijfers-team">"Team"</label>
                    <select id="cijfers-team" class="field__input" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">"Mijn team"</option>
                        <option value="alle">"Alle teams van de gemeente"</option>
                    </select>
                </div>
            </div>
            <div class="actions">
                <button class="button button--primary" type="submit" disabled=move || loading.get()>"Toon cijfers"</button>
            </div>
        </form>
        {move || match figures.get() {
            None => view! { <p class="empty-state">"Cijfers worden geladen…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="notice notice--error" role="alert">{message}</p> }.into_any(),
            Some(Ok(f)) => view! { <Figures figures=f query=shown.get_untracked()/> }.into_any(),
        }}
    }
}

#[component]
fn Figures(figures: FrontDoorFigures, query: String) -> impl IntoView {
    let contacts: i64 = figures.contacts_per_day.iter().map(|c| c.count).sum();
    let lead = figures.melding_to_conversation.clone();
    let investigation = figures.deadlines.first().cloned();
    let table = |key: &str| figures.table(key).expect("every key has a table");
    let bars = |rows: &[shared::figures::Count]| {
        rows.iter()
            .map(|c| (c.label.clone(), c.count))
            .collect::<Vec<_>>()
    };
    let [per_day, per_week, domains, outcomes, referrals, lead_table, deadlines, anonymous, per_law, mix, signals] =
        shared::figures::TABLE_KEYS.map(table);
    let law_bars = bars(&figures.questions_per_scheme);
    let anonymous_total: i64 = figures
        .contacts_without_resident
        .iter()
        .map(|c| c.count)
        .sum();
    let week_rows = figures.contacts_per_week.clone();
    let domain_bars = bars(&figures.questions_per_domain);
    let outcome_bars = bars(&figures.outcomes);
    let referral_bars = bars(&figures.referrals);
    let lead_bars = bars(&lead.buckets);
    let dutch = |iso: &str| {
        shared::rules::validation::parse_date(iso)
            .map_or_else(|| iso.to_owned(), shared::rules::validation::display_date)
    };
    let scope = format!(
        "{} · {} t/m {}",
        figures.scope,
        dutch(&figures.from),
        dutch(&figures.to)
    );
    view! {
        <p class="figures-scope" data-testid="figures-scope">{scope}</p>
        <div class="stat-grid">
            <div class="stat"><span class="stat__value" data-testid="stat-contacts">{contacts}</span><span class="stat__label">"Contacten"</span></div>
            <div class="stat"><span class="stat__value" data-testid="stat-anonymous">{anonymous_total}</span><span class="stat__label">"Contacten zonder inwoner"</span></div>
            <div class="stat"><span class="stat__value">{lead.meldingen}</span><span class="stat__label">"Meldingen"</span></div>
            <div class="stat"><span class="stat__value">{lead.median_days.map_or("–".to_owned(), |d| format!("{d:.0}"))}</span><span class="stat__label">"Dagen van melding tot gesprek (mediaan)"</span></div>
            <div class="stat"><span class="stat__value">{investigation.map_or("–".to_owned(), |d| format!("{} / {}", d.met, d.met + d.missed))}</span><span class="stat__label">"Onderzoeken op tijd"</span></div>
        </div>
        <FigureCard table=per_week query=query.clone()>
            <WeekChart rows=week_rows/>
        </FigureCard>
        <FigureCard table=domains query=query.clone()>
            <BarChart title="Vragen per leefgebied" rows=domain_bars/>
        </FigureCard>
        <FigureCard table=outcomes query=query.clone()>
            <BarChart title="Uitkomsten van de vraagverkenning" rows=outcome_bars/>
        </FigureCard>
        <FigureCard table=referrals query=query.clone()>
            <BarChart title="Verwijzingen per partner" rows=referral_bars/>
        </FigureCard>
        <FigureCard table=lead_table query=query.clone()>
            <BarChart title="Tijd van melding tot gesprek" rows=lead_bars/>
        </FigureCard>
        <FigureCard table=deadlines query=query.clone()>
            <span></span>
        </FigureCard>
        <FigureCard table=per_law query=query.clone()>
            <BarChart title="Vragen per wet of regeling" rows=law_bars/>
        </FigureCard>
        <FigureCard table=mix query=query.clone()>
            <span></span>
        </FigureCard>
        <FigureCard table=anonymous query=query.clone()>
            <span></span>
        </FigureCard>
        <FigureCard table=signals query=query.clone()>
            <span></span>
        </FigureCard>
        <FigureCard table=per_day query=query collapsed=true>
            <span></span>
        </FigureCard>
    }
}

/// A figure: its chart, its table and the CSV download.
#[component]
fn FigureCard(
    table: Table,
    query: String,
    #[prop(optional)] collapsed: bool,
    children: Children,
) -> impl IntoView {
    let href = format!("/api/figures/csv/{}?{query}", table.key);
    let id = format!("tabel-{}", table.key);
    let grid = view! {
        <table class="table" id=id.clone()>
            <thead><tr>{table.headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
            <tbody>
                {table.rows.iter().map(|row| view! {
                    <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                }).collect_view()}
            </tbody>
        </table>
    };
    view! {
        <section class="card figure" data-testid=format!("figure-{}", table.key)>
            <div class="figure__head">
                <h2>{table.title}</h2>
                <a class="button button--secondary" href=href download=format!("{}.csv", table.key)>"Download CSV"</a>
            </div>
            {children()}
            {if table.rows.is_empty() {
                view! { <p class="empty-state">"Geen gegevens in deze periode."</p> }.into_any()
            } else if collapsed {
                view! { <details><summary>{format!("Toon de tabel ({})", crate::ui::counted(table.rows.len() as i64, "rij", "rijen"))}</summary>{grid}</details> }.into_any()
            } else {
                grid.into_any()
            }}
        </section>
    }
}
