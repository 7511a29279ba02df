//! Published template versions in PostgreSQL: appended, never changed (a trigger refuses it).

use crate::Result;
use shared::model::Id;
use shared::reference::{PublishedTemplate, TemplateKind};
use sqlx::PgExecutor;
use time::format_description::well_known::Rfc3339;

/// The bodies of the municipality's published templates of `kind`, oldest first.
pub async fn bodies<'e>(
    db: impl PgExecutor<'e>,
    municipality: &str,
    kind: TemplateKind,
) -> Result<Vec<serde_json::Value>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT body FROM template WHERE municipality_id = $1 AND kind = $2
           ORDER BY published_at, version"#,
        municipality,
        kind.key()
    )
    .fetch_all(db)
    .await?)
}

/// The published versions with when and by whom, oldest first.
pub async fn list<'e>(
    db: impl PgExecutor<'e>,
    municipality: &str,
) -> Result<Vec<PublishedTemplate>> {
    let rows = sqlx::query!(
        r#"SELECT t.kind, t.version, t.body->>'title' AS "title!", t.published_at, a.name AS "by?"
           FROM template t LEFT JOIN account a ON a.id = t.published_by
           WHERE t.municipality_id = $1 ORDER BY t.published_at, t.version"#,
        municipality
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PublishedTemplate {
                kind: TemplateKind::from_key(&r.kind)?,
                version: r.version,
                title: r.title,
                published_at: r.published_at.format(&Rfc3339).ok(),
                published_by: r.by,
            })
        })
        .collect())
}

/// Stores a checked template; false when that version was published meanwhile.
pub async fn publish<'e>(
    db: impl PgExecutor<'e>,
    municipality: &str,
    kind: TemplateKind,
    version: &str,
    body: &serde_json::Value,
    by: Id,
) -> Result<bool> {
    let done = sqlx::query!(
        r#"INSERT INTO template (municipality_id, kind, version, body, published_by)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"#,
        municipality,
        kind.key(),
        version,
        body,
        by
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
