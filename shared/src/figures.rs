//! The front door in figures (docs/figures.md): what the coordinator sees per period and team.
//! The server counts in SQL; the rules that decide a figure (which deadline, met or missed, the
//! median) and the tables every figure downloads as live here once.

use crate::model::contact::Channel;
use crate::rules::legal_clock::{deadline, DECISION_PERIOD, INVESTIGATION_PERIOD};
use crate::rules::validation::{
    display_count, display_date, display_decimal, display_week, parse_date,
};
use serde::{Deserialize, Serialize};
use time::Date;

/// The longest period one request may cover.
pub const MAX_PERIOD_DAYS: i64 = 2 * 366;

/// A count under a key, with the label the coordinator reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: i64,
}

/// Contacts of one channel in one day or week (`period` is the day, or the week's Monday).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub period: String,
    pub channel: String,
    pub count: i64,
}

/// Days from a melding to the first conversation held on or after it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadTime {
    pub meldingen: i64,
    pub with_conversation: i64,
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
    pub buckets: Vec<Count>,
}

/// One legal deadline: how often it was met, missed, or is still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineCount {
    pub key: String,
    pub label: String,
    pub met: i64,
    pub missed: i64,
    pub open: i64,
}

/// Every figure for one period and scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrontDoorFigures {
    pub from: String,
    pub to: String,
    pub scope: String,
    pub contacts_per_day: Vec<ChannelCount>,
    pub contacts_per_week: Vec<ChannelCount>,
    pub questions_per_domain: Vec<Count>,
    pub outcomes: Vec<Count>,
    pub referrals: Vec<Count>,
    pub melding_to_conversation: LeadTime,
    pub deadlines: Vec<DeadlineCount>,
    /// Contacts where no resident was registered (anonymous), by channel and what was given.
    #[serde(default)]
    pub contacts_without_resident: Vec<GivenCount>,
    /// Questions whose contact falls in the period, per law or scheme.
    #[serde(default)]
    pub questions_per_scheme: Vec<Count>,
    #[serde(default)]
    pub question_mix: QuestionMix,
    /// Signals from outside received in the period, per source and what became of them.
    #[serde(default)]
    pub signals_per_source: Vec<SignalCount>,
}

/// Signals from one source, by what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalCount {
    pub source: String,
    pub open: i64,
    pub became_question: i64,
    pub closed: i64,
}

/// Questions whose contact falls in the period: about one life domain or several, and how many
/// became a formal application (a melding of the question with an application date).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionMix {
    pub single_domain: i64,
    pub multi_domain: i64,
    pub applications: i64,
}

/// Anonymous contacts of one channel that got one kind of answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GivenCount {
    pub channel: String,
    pub given: String,
    pub count: i64,
}

/// A figure as a table: what the page shows and what its CSV holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub key: &'static str,
    pub title: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The tables, in page order. `key` names the CSV download.
pub const TABLE_KEYS: [&str; 11] = [
    "contacten-per-dag",
    "contacten-per-week",
    "vragen-per-leefgebied",
    "uitkomsten-vraagverkenning",
    "verwijzingen-per-partner",
    "melding-tot-gesprek",
    "wettelijke-termijnen",
    "contacten-zonder-inwoner",
    "vragen-per-wet",
    "vragen-samenstelling",
    "signalen-per-bron",
];

fn channel_label(key: &str) -> String {
    Channel::from_key(key).map_or_else(|| key.to_owned(), |c| c.label().to_owned())
}

fn counts(rows: &[Count]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|c| vec![c.label.clone(), display_count(c.count)])
        .collect()
}

impl FrontDoorFigures {
    pub fn table(&self, key: &str) -> Option<Table> {
        // Dutch in every cell: dd-mm-jjjj, "week 47", 1.234 and 3,5.
        let per_channel = |rows: &[ChannelCount], period: fn(Date) -> String| {
            rows.iter()
                .map(|r| {
                    vec![
                        parse_date(&r.period).map_or_else(|| r.period.clone(), period),
                        channel_label(&r.channel),
                        display_count(r.count),
                    ]
                })
                .collect()
        };
        let table = match key {
            "contacten-per-dag" => Table {
                key: TABLE_KEYS[0],
                title: "Contacten per kanaal per dag",
                headers: vec!["Dag", "Kanaal", "Contacten"],
                rows: per_channel(&self.contacts_per_day, display_date),
            },
            "contacten-per-week" => Table {
                key: TABLE_KEYS[1],
                title: "Contacten per kanaal per week",
                headers: vec!["Week", "Kanaal", "Contacten"],
                rows: per_channel(&self.contacts_per_week, display_week),
            },
            "vragen-per-leefgebied" => Table {
                key: TABLE_KEYS[2],
                title: "Vragen per leefgebied",
                headers: vec!["Leefgebied", "Vragen"],
                rows: counts(&self.questions_per_domain),
            },
            "uitkomsten-vraagverkenning" => Table {
                key: TABLE_KEYS[3],
                title: "Uitkomsten van de vraagverkenning",
                headers: vec!["Uitkomst", "Vraagverkenningen"],
                rows: counts(&self.outcomes),
            },
            "verwijzingen-per-partner" => Table {
                key: TABLE_KEYS[4],
                title: "Verwijzingen per partner",
                headers: vec!["Partner", "Verwijzingen"],
                rows: counts(&self.referrals),
            },
            "melding-tot-gesprek" => {
                let lead = &self.melding_to_conversation;
                let days = |v: Option<f64>| v.map_or("-".to_owned(), display_decimal);
                let mut rows = vec![
                    vec!["Meldingen".to_owned(), display_count(lead.meldingen)],
                    vec![
                        "Met gesprek".to_owned(),
                        display_count(lead.with_conversation),
                    ],
                    vec!["Mediaan (dagen)".to_owned(), days(lead.median_days)],
                    vec!["Gemiddeld (dagen)".to_owned(), days(lead.mean_days)],
                ];
                rows.extend(counts(&lead.buckets));
                Table {
                    key: TABLE_KEYS[5],
                    title: "Tijd van melding tot gesprek",
                    headers: vec!["", "Aantal"],
                    rows,
                }
            }
            "wettelijke-termijnen" => Table {
                key: TABLE_KEYS[6],
                title: "Wettelijke termijnen",
                headers: vec!["Termijn", "Gehaald", "Niet gehaald", "Loopt nog"],
                rows: self
                    .deadlines
                    .iter()
                    .map(|d| {
                        vec![
                            d.label.clone(),
                            display_count(d.met),
                            display_count(d.missed),
                            display_count(d.open),
                        ]
                    })
                    .collect(),
            },
            "contacten-zonder-inwoner" => Table {
                key: TABLE_KEYS[7],
                title: "Contacten zonder inwoner (anoniem)",
                headers: vec!["Kanaal", "Gegeven", "Contacten"],
                rows: self
                    .contacts_without_resident
                    .iter()
                    .map(|c| {
                        vec![
                            channel_label(&c.channel),
                            crate::model::Given::from_key(&c.given)
                                .map_or_else(|| c.given.clone(), |g| g.label().to_owned()),
                            display_count(c.count),
                        ]
                    })
                    .collect(),
            },
            "signalen-per-bron" => Table {
                key: TABLE_KEYS[10],
                title: "Signalen van buiten per bron",
                headers: vec![
                    "Bron",
                    "Werd een vraag",
                    "Afgesloten",
                    "Nog open",
                    "Signalen",
                ],
                rows: self
                    .signals_per_source
                    .iter()
                    .map(|c| {
                        vec![
                            crate::model::outside_signal::Source::from_key(&c.source)
                                .map_or_else(|| c.source.clone(), |s| s.label().to_owned()),
                            display_count(c.became_question),
                            display_count(c.closed),
                            display_count(c.open),
                            display_count(c.became_question + c.closed + c.open),
                        ]
                    })
                    .collect(),
            },
            "vragen-per-wet" => Table {
                key: TABLE_KEYS[8],
                title: "Vragen per wet of regeling",
                headers: vec!["Wet of regeling", "Vragen"],
                rows: counts(&self.questions_per_scheme),
            },
            "vragen-samenstelling" => {
                let mix = &self.question_mix;
                Table {
                    key: TABLE_KEYS[9],
                    title: "Enkelvoudige en meervoudige vragen",
                    headers: vec!["", "Vragen"],
                    rows: vec![
                        vec![
                            "Over één leefgebied".to_owned(),
                            display_count(mix.single_domain),
                        ],
                        vec![
                            "Over meer leefgebieden".to_owned(),
                            display_count(mix.multi_domain),
                        ],
                        vec![
                            "Werd een formele aanvraag".to_owned(),
                            display_count(mix.applications),
                        ],
                    ],
                }
            }
            _ => return None,
        };
        Some(table)
    }
}

/// The buckets of the lead time, in days (inclusive upper bounds; the last is open).
pub const LEAD_TIME_BUCKETS: [(i64, &str); 5] = [
    (7, "Binnen 1 week"),
    (14, "1 tot 2 weken"),
    (28, "2 tot 4 weken"),
    (42, "4 tot 6 weken"),
    (i64::MAX, "Meer dan 6 weken"),
];

/// The lead time figure from the number of meldingen and the days to each first conversation.
pub fn lead_time(meldingen: i64, mut days: Vec<i64>) -> LeadTime {
    days.sort_unstable();
    let n = days.len();
    let median_days = (n > 0).then(|| {
        if n % 2 == 1 {
            days[n / 2] as f64
        } else {
            (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
        }
    });
    let mean_days = (n > 0).then(|| days.iter().sum::<i64>() as f64 / n as f64);
    let mut lower = i64::MIN;
    let buckets = LEAD_TIME_BUCKETS
        .iter()
        .map(|&(upper, label)| {
            let count = days.iter().filter(|&&d| d > lower && d <= upper).count() as i64;
            lower = upper;
            Count {
                key: upper.to_string(),
                label: label.to_owned(),
                count,
            }
        })
        .collect();
    LeadTime {
        meldingen,
        with_conversation: n as i64,
        median_days,
        mean_days,
        buckets,
    }
}

/// The dates of one melding that the deadline figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeldingDates {
    pub notification_date: Date,
    pub investigation_done_on: Option<Date>,
    pub application_date: Option<Date>,
    pub decision_on: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineState {
    Met,
    Missed,
    Open,
}

/// Met when done on or before the deadline; missed when done later, or not done and the
/// deadline has passed; otherwise still open.
pub fn deadline_state(due: Date, done: Option<Date>, today: Date) -> DeadlineState {
    match done {
        Some(done) if done <= due => DeadlineState::Met,
        Some(_) => DeadlineState::Missed,
        None if today > due => DeadlineState::Missed,
        None => DeadlineState::Open,
    }
}

/// The Wmo deadlines the municipality must meet: the investigation within six weeks of the
/// melding, the decision within two weeks of the application.
pub fn deadline_counts(meldingen: &[MeldingDates], today: Date) -> Vec<DeadlineCount> {
    let mut investigation = DeadlineCount {
        key: "investigation".into(),
        label: "Onderzoek binnen 6 weken na melding".into(),
        met: 0,
        missed: 0,
        open: 0,
    };
    let mut decision = DeadlineCount {
        key: "decision".into(),
        label: "Besluit binnen 2 weken na aanvraag".into(),
        met: 0,
        missed: 0,
        open: 0,
    };
    let add = |count: &mut DeadlineCount, state| match state {
        DeadlineState::Met => count.met += 1,
        DeadlineState::Missed => count.missed += 1,
        DeadlineState::Open => count.open += 1,
    };
    for m in meldingen {
        let due = deadline(m.notification_date, INVESTIGATION_PERIOD);
        add(
            &mut investigation,
            deadline_state(due, m.investigation_done_on, today),
        );
        if let Some(application) = m.application_date {
            let due = deadline(application, DECISION_PERIOD);
            add(&mut decision, deadline_state(due, m.decision_on, today));
        }
    }
    vec![investigation, decision]
}

/// Checks a requested period: from on or before to, at most [`MAX_PERIOD_DAYS`].
pub fn check_period(from: Date, to: Date) -> Result<(), String> {
    if from > to {
        return Err("De begindatum ligt na de einddatum.".into());
    }
    if (to - from).whole_days() > MAX_PERIOD_DAYS {
        return Err("Kies een periode van hooguit twee jaar.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn median_and_buckets_by_hand() {
        let lead = lead_time(5, vec![30, 3, 10, 50]);
        assert_eq!(lead.with_conversation, 4);
        assert_eq!(lead.median_days, Some(20.0));
        assert_eq!(lead.mean_days, Some(23.25));
        let by_bucket: Vec<i64> = lead.buckets.iter().map(|b| b.count).collect();
        assert_eq!(by_bucket, vec![1, 1, 0, 1, 1]);
        assert_eq!(lead_time(0, vec![]).median_days, None);
    }

    #[test]
    fn deadline_met_missed_open() {
        // Melding Monday 23 February 2026: six weeks ends Monday 6 April, but that is Easter
        // Monday, so the investigation may end on Tuesday 7 April.
        let melding = date!(2026 - 02 - 23);
        let at = |done| MeldingDates {
            notification_date: melding,
            investigation_done_on: done,
            application_date: None,
            decision_on: None,
        };
        let today = date!(2026 - 04 - 20);
        let counts = deadline_counts(
            &[
                at(Some(date!(2026 - 04 - 07))),
                at(Some(date!(2026 - 04 - 08))),
                at(None),
            ],
            today,
        );
        assert_eq!((counts[0].met, counts[0].missed, counts[0].open), (1, 2, 0));
        let early = deadline_counts(&[at(None)], date!(2026 - 04 - 07));
        assert_eq!(early[0].open, 1);
        assert_eq!(counts[1].met + counts[1].missed + counts[1].open, 0);
    }

    #[test]
    fn every_table_has_a_header_and_rows_of_its_width() {
        let figures = FrontDoorFigures {
            from: "2026-01-01".into(),
            to: "2026-12-31".into(),
            scope: "Wijkteam".into(),
            contacts_per_day: vec![ChannelCount {
                period: "2026-01-05".into(),
                channel: "walk_in".into(),
                count: 3,
            }],
            contacts_per_week: vec![ChannelCount {
                period: "2026-01-05".into(),
                channel: "walk_in".into(),
                count: 1234,
            }],
            questions_per_domain: vec![Count {
                key: "finances".into(),
                label: "Geld, \"schulden\"".into(),
                count: 2,
            }],
            outcomes: vec![],
            referrals: vec![],
            melding_to_conversation: lead_time(0, vec![]),
            deadlines: deadline_counts(&[], date!(2026 - 01 - 01)),
            contacts_without_resident: vec![GivenCount {
                channel: "phone".into(),
                given: "practical_support".into(),
                count: 2,
            }],
            questions_per_scheme: vec![Count {
                key: "wmo".into(),
                label: "Wmo 2015".into(),
                count: 1234,
            }],
            question_mix: QuestionMix {
                single_domain: 3,
                multi_domain: 1,
                applications: 1,
            },
            signals_per_source: vec![SignalCount {
                source: "gp".into(),
                open: 1,
                became_question: 2,
                closed: 1,
            }],
        };
        for key in TABLE_KEYS {
            let table = figures.table(key).unwrap();
            assert_eq!(table.key, key);
            assert!(table.rows.iter().all(|r| r.len() == table.headers.len()));
        }
        let per_day = figures.table("contacten-per-dag").unwrap();
        assert_eq!(per_day.headers, ["Dag", "Kanaal", "Contacten"]);
        // Dutch: dd-mm-jjjj.
        assert_eq!(per_day.rows, [["05-01-2026", "Wijkspreekuur", "3"]]);
        assert_eq!(
            figures.table("contacten-per-week").unwrap().rows,
            [["week 2 (05-01-2026)", "Wijkspreekuur", "1.234"]]
        );
        assert_eq!(
            figures.table("vragen-per-leefgebied").unwrap().rows[0][0],
            "Geld, \"schulden\""
        );
        assert_eq!(
            figures.table("contacten-zonder-inwoner").unwrap().rows,
            [[
                "Telefoon",
                "Praktische ondersteuning (zoals hulp bij een formulier)",
                "2"
            ]]
        );
        assert_eq!(
            figures.table("vragen-per-wet").unwrap().rows,
            [["Wmo 2015", "1.234"]]
        );
        assert_eq!(
            figures.table("signalen-per-bron").unwrap().rows,
            [["Huisarts", "2", "1", "1", "4"]]
        );
        assert_eq!(
            figures.table("vragen-samenstelling").unwrap().rows[1],
            ["Over meer leefgebieden", "1"]
        );
        assert!(figures.table("bestaat-niet").is_none());
    }

    #[test]
    fn periods_are_checked() {
        assert!(check_period(date!(2026 - 01 - 02), date!(2026 - 01 - 01)).is_err());
        assert!(check_period(date!(2024 - 01 - 01), date!(2026 - 12 - 31)).is_err());
        assert!(check_period(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).is_ok());
    }

    proptest! {
        #[test]
        fn buckets_count_every_lead_time_once(days in proptest::collection::vec(0i64..400, 0..50)) {
            let lead = lead_time(days.len() as i64, days.clone());
            prop_assert_eq!(lead.buckets.iter().map(|b| b.count).sum::<i64>(), days.len() as i64);
            if let (Some(median), Some(min), Some(max)) = (lead.median_days, days.iter().min(), days.iter().max()) {
                prop_assert!(median >= *min as f64 && median <= *max as f64);
            }
        }
    }
}
