//! Labelled form fields with their error text: one way to build every form.

use leptos::prelude::*;
use shared::rules::validation::FieldErrors;

/// The error text of one field, if any.
pub fn field_error(errors: RwSignal<FieldErrors>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.for_field(field).map(str::to_owned)))
}

#[component]
pub fn ErrorText(id: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="field__error" id=id.clone()>{move || error.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// `aria-describedby` of a control: its hint (when it has one) and its error (while shown).
fn described_by(
    id: &str,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-fout"));
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The label (with "niet verplicht" when optional), the hint and the error above a control.
#[component]
fn FieldHead(
    id: String,
    label: String,
    required: bool,
    hint: Option<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="field__label" for=id.clone()>
            {label}
            {(!required).then(|| view! { <span class="field__optional">" (niet verplicht)"</span> })}
        </label>
        {hint.map(|h| view! { <p class="field__hint" id=format!("{id}-hint")>{h}</p> })}
        <ErrorText id=format!("{id}-fout") error=error/>
    }
}

/// A single-line text input. `initial` is the value shown (a signal keeps it current when the
/// record changes elsewhere); `on_input` gets every keystroke.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: String,
    #[prop(into)] initial: Signal<String>,
    on_input: impl Fn(String) + 'static,
    #[prop(into, optional)] error: Option<Signal<Option<String>>>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let described = described_by(&id, hint.is_some(), error);
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <FieldHead id=id.clone() label required hint=hint.map(str::to_owned) error/>
            <input
                class="field__input"
                id=id.clone()
                name=id
                list=list
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete.unwrap_or("off")
                prop:value=move || initial.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| on_input(event_target_value(&ev))
            />
        </div>
    }
}

/// A multi-line text field, comfortable for typing on a tablet.
#[component]
pub fn TextArea(
    id: String,
    label: String,
    #[prop(into)] initial: Signal<String>,
    on_input: impl Fn(String) + 'static,
    #[prop(into, optional)] error: Option<Signal<Option<String>>>,
    /// Shown under the label when not empty.
    #[prop(optional)]
    hint: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let hint = (!hint.is_empty()).then_some(hint);
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let described = described_by(&id, hint.is_some(), error);
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <FieldHead id=id.clone() label required hint error/>
            <textarea
                class="field__input field__input--long"
                id=id.clone()
                name=id
                rows="5"
                prop:value=move || initial.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                on:input=move |ev| on_input(event_target_value(&ev))
            ></textarea>
        </div>
    }
}

/// Whether a choice group takes one answer (radio buttons) or several (checkboxes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    One,
    Several,
}

/// A group of large touch targets with a legend, its hint and its error.
#[allow(clippy::too_many_arguments)]
fn choice_group(
    pick: Pick,
    name: String,
    legend: String,
    options: Vec<(String, String)>,
    initial: Vec<String>,
    on_change: impl Fn(String, bool) + Clone + 'static,
    error: Option<Signal<Option<String>>>,
    hint: String,
) -> impl IntoView {
    let hint = (!hint.is_empty()).then_some(hint);
    let error = error.unwrap_or_else(|| Signal::derive(|| None));
    let error_id = format!("{name}-fout");
    let input_type = if pick == Pick::One {
        "radio"
    } else {
        "checkbox"
    };
    view! {
        <fieldset class="choices" class:field--invalid=move || error.get().is_some()>
            <legend class="field__label">{legend}</legend>
            {hint.map(|h| view! { <p class="field__hint">{h}</p> })}
            <ErrorText id=error_id error=error/>
            <div class="choices__options">
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let input_id = format!("{name}-{value}");
                        let for_id = input_id.clone();
                        let checked = initial.contains(&value);
                        let on_change = on_change.clone();
                        let changed = value.clone();
                        view! {
                            <label class="choice" for=for_id>
                                <input
                                    type=input_type
                                    id=input_id
                                    name=name.clone()
                                    value=value
                                    prop:checked=checked
                                    on:change=move |ev| on_change(changed.clone(), event_target_checked(&ev))
                                />
                                <span>{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// One choice out of a few, as large touch targets.
#[component]
pub fn ChoiceGroup(
    name: String,
    legend: String,
    options: Vec<(String, String)>,
    initial: Option<String>,
    on_choose: impl Fn(String) + Clone + 'static,
    #[prop(into, optional)] error: Option<Signal<Option<String>>>,
    /// Shown under the legend when not empty.
    #[prop(optional)]
    hint: String,
) -> impl IntoView {
    let on_change = move |value: String, _checked: bool| on_choose(value);
    choice_group(
        Pick::One,
        name,
        legend,
        options,
        initial.into_iter().collect(),
        on_change,
        error,
        hint,
    )
}

/// Several choices at once, as large touch targets.
#[component]
pub fn CheckboxGroup(
    name: String,
    legend: String,
    options: Vec<(String, String)>,
    initial: Vec<String>,
    on_toggle: impl Fn(String, bool) + Clone + 'static,
    #[prop(into, optional)] error: Option<Signal<Option<String>>>,
    /// Shown under the legend when not empty.
    #[prop(optional)]
    hint: String,
) -> impl IntoView {
    choice_group(
        Pick::Several,
        name,
        legend,
        options,
        initial,
        on_toggle,
        error,
        hint,
    )
}
