//! Charts drawn as SVG on the page: no chart library, no script. Each chart has a text
//! alternative; the table below it carries every number.

use leptos::prelude::*;
use shared::figures::ChannelCount;
use shared::model::Channel;

const ROW: f64 = 34.0;
const LABEL_WIDTH: f64 = 320.0;
const WIDTH: f64 = 720.0;

/// Horizontal bars, one per row, longest scaled to the full width.
#[component]
pub fn BarChart(title: &'static str, rows: Vec<(String, i64)>) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let height = rows.len() as f64 * ROW + 8.0;
    let bar_space = WIDTH - LABEL_WIDTH - 60.0;
    let summary = rows
        .iter()
        .map(|(label, count)| format!("{label}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-label=format!("{title}. {summary}")>
            {rows.into_iter().enumerate().map(|(i, (label, count))| {
                let y = i as f64 * ROW + 4.0;
                let width = (count as f64 / max * bar_space).max(2.0);
                view! {
                    <text class="chart__label" x=LABEL_WIDTH - 8.0 y=y + 21.0 text-anchor="end">{label}</text>
                    <rect class="chart__bar" x=LABEL_WIDTH y=y + 5.0 width=width height=ROW - 10.0 rx="3"/>
                    <text class="chart__value" x=LABEL_WIDTH + width + 6.0 y=y + 21.0>{count}</text>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// Contacts per week, stacked by channel, with a legend.
#[component]
pub fn WeekChart(rows: Vec<ChannelCount>) -> impl IntoView {
    let mut weeks: Vec<String> = rows.iter().map(|r| r.period.clone()).collect();
    weeks.dedup();
    if weeks.is_empty() {
        return ().into_any();
    }
    let total = |week: &str| -> i64 {
        rows.iter()
            .filter(|r| r.period == week)
            .map(|r| r.count)
            .sum()
    };
    let max = weeks.iter().map(|w| total(w)).max().unwrap_or(1).max(1) as f64;
    let plot_height = 180.0;
    let step = (WIDTH - 40.0) / weeks.len() as f64;
    let bar = (step * 0.7).clamp(2.0, 36.0);
    let mut bars = Vec::new();
    for (i, week) in weeks.iter().enumerate() {
        let mut top = plot_height + 10.0;
        for (c, channel) in Channel::ALL.iter().enumerate() {
            let count: i64 = rows
                .iter()
                .filter(|r| &r.period == week && r.channel == channel.key())
                .map(|r| r.count)
                .sum();
            if count == 0 {
                continue;
            }
            let h = count as f64 / max * plot_height;
            top -= h;
            bars.push(view! {
                <rect class=format!("chart__series-{c}") x=40.0 + i as f64 * step y=top width=bar height=h>
                    <title>{format!("{}, {}: {count}", label(week), channel.label())}</title>
                </rect>
            });
        }
    }
    let summary = format!(
        "Contacten per week van {} tot {}, hoogste week {} contacten",
        weeks.first().map(|w| label(w)).unwrap_or_default(),
        weeks.last().map(|w| label(w)).unwrap_or_default(),
        max as i64
    );
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} 220") role="img" aria-label=summary>
            <text class="chart__value" x="0" y="20">{max as i64}</text>
            <text class="chart__value" x="0" y=plot_height + 10.0>"0"</text>
            <line class="chart__axis" x1="36" x2=WIDTH y1=plot_height + 10.0 y2=plot_height + 10.0/>
            {bars}
            <text class="chart__label" x="40" y="212">{weeks.first().map(|w| label(w)).unwrap_or_default()}</text>
            <text class="chart__label" x=WIDTH text-anchor="end" y="212">{weeks.last().map(|w| label(w)).unwrap_or_default()}</text>
        </svg>
        <ul class="chart-legend">
            {Channel::ALL.iter().enumerate().map(|(c, channel)| view! {
                <li><span class=format!("chart-legend__swatch chart__series-{c}") aria-hidden="true"></span>{channel.label()}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A week's Monday (ISO, as the figures carry it) as Dutch tables name the week.
fn label(monday: &str) -> String {
    shared::rules::validation::parse_date(monday).map_or_else(
        || monday.to_owned(),
        shared::rules::validation::display_week,
    )
}
