//! The social map in PostgreSQL: one row per partner, the fields as JSON.

use crate::Result;
use shared::social_map::Partner;
use sqlx::PgExecutor;

/// The municipality's partners, by name.
pub async fn list<'e>(db: impl PgExecutor<'e>, municipality: &str) -> Result<Vec<Partner>> {
    let rows = sqlx::query!(
        r#"SELECT fields FROM partner WHERE municipality_id = $1 ORDER BY name, id"#,
        municipality
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|r| {
            serde_json::from_value(r.fields)
                .map_err(|e| crate::Error::Internal(format!("partner row: {e}")))
        })
        .collect()
}

/// What storing a partner did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Added,
    Changed,
    Unchanged,
}

/// Adds or replaces one partner (checked by the caller).
pub async fn save<'e>(
    db: impl PgExecutor<'e>,
    municipality: &str,
    partner: &Partner,
) -> Result<Saved> {
    let fields =
        serde_json::to_value(partner).map_err(|e| crate::Error::Internal(e.to_string()))?;
    // `xmax = 0` tells an inserted row from an updated one; an identical row is left alone.
    let row = sqlx::query!(
        r#"INSERT INTO partner (municipality_id, id, fields) VALUES ($1, $2, $3)
           ON CONFLICT (municipality_id, id) DO UPDATE SET fields = EXCLUDED.fields, updated_at = now()
               WHERE partner.fields IS DISTINCT FROM EXCLUDED.fields
           RETURNING (xmax = 0) AS "inserted!""#,
        municipality,
        partner.id,
        fields
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Saved::Unchanged,
        Some(r) if r.inserted => Saved::Added,
        Some(_) => Saved::Changed,
    })
}
