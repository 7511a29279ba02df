//! The SQL behind each figure. Every query counts within a scope (team ids) and a period of local
//! (Amsterdam) days, on the typed columns of `migrations/0007_figures.sql`.

use crate::Result;
use shared::figures::{ChannelCount, GivenCount, MeldingDates, QuestionMix, SignalCount};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use time::Date;

/// A read-only snapshot for the figures, so every figure of one page counts the same data.
/// Plans are made for the actual period and teams: a generic plan (PostgreSQL's choice after a
/// statement's fifth run on a connection) scanned a year of contacts by index, 10× slower.
pub async fn snapshot(pool: &PgPool) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("SET LOCAL plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Which teams and which days a figure counts.
#[derive(Debug, Clone)]
pub struct Scope {
    pub teams: Vec<String>,
    pub from: Date,
    pub to: Date,
}

pub async fn contacts_per_day(db: &mut PgConnection, scope: &Scope) -> Result<Vec<ChannelCount>> {
    let rows = sqlx::query!(
        r#"SELECT (c.started_at AT TIME ZONE 'Europe/Amsterdam')::date AS "day!",
                  c.channel AS "channel!", count(*) AS "count!"
           FROM contact c JOIN household h ON h.id = c.household_id
           WHERE h.team_id = ANY($1) AND NOT c.deleted
             AND c.started_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND c.started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1, 2 ORDER BY 1, 2"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChannelCount {
            period: r.day.to_string(),
            channel: r.channel,
            count: r.count,
        })
        .collect())
}

/// Kept apart from `contacts_per_day` on purpose: one query with the grain as a parameter
/// (`date_trunc($n, …)` or a CASE on it) measured slower for the day figure in every
/// `bench/figures` run (all teams 135–153 ms against 70–111 ms for this pair).
pub async fn contacts_per_week(db: &mut PgConnection, scope: &Scope) -> Result<Vec<ChannelCount>> {
    let rows = sqlx::query!(
        r#"SELECT date_trunc('week', c.started_at AT TIME ZONE 'Europe/Amsterdam')::date AS "week!",
                  c.channel AS "channel!", count(*) AS "count!"
           FROM contact c JOIN household h ON h.id = c.household_id
           WHERE h.team_id = ANY($1) AND NOT c.deleted
             AND c.started_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND c.started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1, 2 ORDER BY 1, 2"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChannelCount {
            period: r.week.to_string(),
            channel: r.channel,
            count: r.count,
        })
        .collect())
}

/// Questions whose contact falls in the period, once under each life domain they name.
pub async fn questions_per_domain(
    db: &mut PgConnection,
    scope: &Scope,
) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT d.domain AS "domain!", count(*) AS "count!"
           FROM question q
           JOIN household h ON h.id = q.household_id
           JOIN contact c ON c.id = q.contact_id
           CROSS JOIN LATERAL unnest(q.life_domains) AS d(domain)
           WHERE h.team_id = ANY($1) AND NOT q.deleted
             AND c.started_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND c.started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1 ORDER BY 2 DESC, 1"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.domain, r.count)).collect())
}

/// Questions whose contact falls in the period, by law or scheme ("" for not recorded).
pub async fn questions_per_scheme(
    db: &mut PgConnection,
    scope: &Scope,
) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT coalesce(q.scheme, '') AS "scheme!", count(*) AS "count!"
           FROM question q
           JOIN household h ON h.id = q.household_id
           JOIN contact c ON c.id = q.contact_id
           WHERE h.team_id = ANY($1) AND NOT q.deleted
             AND c.started_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND c.started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.scheme, r.count)).collect())
}

/// Questions whose contact falls in the period: about one life domain or several, and those
/// whose melding got an application.
pub async fn question_mix(db: &mut PgConnection, scope: &Scope) -> Result<QuestionMix> {
    let row = sqlx::query!(
        // The questions with an application are found once (a hash join), not asked per
        // question: a correlated EXISTS took 620 ms on a large city's year (bench/figures).
        r#"WITH applied AS (
               SELECT DISTINCT n.household_id, n.fields->>'question_id' AS question_id
               FROM notification n
               WHERE NOT n.deleted AND n.application_date IS NOT NULL
                 AND n.fields->>'question_id' IS NOT NULL)
           SELECT count(*) FILTER (WHERE cardinality(q.life_domains) = 1) AS "single!",
                  count(*) FILTER (WHERE cardinality(q.life_domains) > 1) AS "multi!",
                  count(a.question_id) AS "applications!"
           FROM question q
           JOIN household h ON h.id = q.household_id
           JOIN contact c ON c.id = q.contact_id
           LEFT JOIN applied a ON a.household_id = q.household_id AND a.question_id = q.id::text
           WHERE h.team_id = ANY($1) AND NOT q.deleted
             AND c.started_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND c.started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(QuestionMix {
        single_domain: row.single,
        multi_domain: row.multi,
        applications: row.applications,
    })
}

/// Quick scans completed in the period, by confirmed outcome.
pub async fn outcomes(db: &mut PgConnection, scope: &Scope) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT s.outcome_kind AS "kind!", count(*) AS "count!"
           FROM quick_scan s JOIN household h ON h.id = s.household_id
           WHERE h.team_id = ANY($1) AND NOT s.deleted AND s.outcome_kind IS NOT NULL
             AND s.completed_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND s.completed_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1 ORDER BY 2 DESC, 1"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.count)).collect())
}

/// Referrals from quick scans completed in the period, by partner.
pub async fn referrals(db: &mut PgConnection, scope: &Scope) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT s.partner_id AS "partner!", count(*) AS "count!"
           FROM quick_scan s JOIN household h ON h.id = s.household_id
           WHERE h.team_id = ANY($1) AND NOT s.deleted AND s.outcome_kind = 'referred'
             AND s.partner_id IS NOT NULL
             AND s.completed_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND s.completed_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1 ORDER BY 2 DESC, 1"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.partner, r.count)).collect())
}

/// Anonymous contacts in the period, by channel and what was given.
pub async fn contacts_without_resident(
    db: &mut PgConnection,
    scope: &Scope,
) -> Result<Vec<GivenCount>> {
    let rows = sqlx::query!(
        r#"SELECT channel, given, count(*) AS "count!"
           FROM anonymous_contact
           WHERE team_id = ANY($1)
             AND at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1, 2 ORDER BY 1, 2"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| GivenCount {
            channel: r.channel,
            given: r.given,
            count: r.count,
        })
        .collect())
}

/// Signals from outside received in the period, per source and what became of them.
pub async fn signals_per_source(db: &mut PgConnection, scope: &Scope) -> Result<Vec<SignalCount>> {
    let rows = sqlx::query!(
        r#"SELECT source,
                  count(*) FILTER (WHERE status = 'open') AS "open!",
                  count(*) FILTER (WHERE status = 'became_question') AS "became_question!",
                  count(*) FILTER (WHERE status = 'closed') AS "closed!"
           FROM outside_signal
           WHERE team_id = ANY($1)
             AND received_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'
             AND received_at < ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
           GROUP BY 1 ORDER BY count(*) DESC, 1"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SignalCount {
            source: r.source,
            open: r.open,
            became_question: r.became_question,
            closed: r.closed,
        })
        .collect())
}

/// Meldingen made in the period, each with the first conversation of its household held on or
/// after the melding date.
pub async fn meldingen(
    db: &mut PgConnection,
    scope: &Scope,
) -> Result<Vec<(MeldingDates, Option<Date>)>> {
    let rows = sqlx::query!(
        r#"SELECT n.notification_date AS "notification_date!", n.investigation_done_on,
                  n.application_date, n.decision_on,
                  (SELECT min(cv.held_on) FROM conversation cv
                   WHERE cv.household_id = n.household_id AND NOT cv.deleted
                     AND cv.held_on >= n.notification_date) AS first_conversation
           FROM notification n JOIN household h ON h.id = n.household_id
           WHERE h.team_id = ANY($1) AND NOT n.deleted
             AND n.notification_date BETWEEN $2 AND $3"#,
        &scope.teams,
        scope.from,
        scope.to
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                MeldingDates {
                    notification_date: r.notification_date,
                    investigation_done_on: r.investigation_done_on,
                    application_date: r.application_date,
                    decision_on: r.decision_on,
                },
                r.first_conversation,
            )
        })
        .collect())
}
