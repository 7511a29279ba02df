//! What a new installation holds: nothing of the demo municipality (issue 14, item 6), which
//! `server seed-demo` brings when asked for.

use sqlx::PgPool;

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_new_installation_starts_without_the_demo_municipality(pool: PgPool) {
    for table in ["municipality", "team", "partner", "reference_version"] {
        assert_eq!(count(&pool, table).await, 0, "{table}");
    }
    // Asked for (twice: the second time changes nothing), the demo is there.
    server::commands::seed_demo(&pool).await.unwrap();
    server::commands::seed_demo(&pool).await.unwrap();
    assert_eq!(count(&pool, "municipality").await, 1);
    assert_eq!(count(&pool, "team").await, 1);
    assert_eq!(count(&pool, "scope_counter").await, 1);
    assert_eq!(count(&pool, "partner").await, 8);
    assert_eq!(count(&pool, "reference_version").await, 1);
}

#[sqlx::test(migrations = false)]
async fn a_demo_municipality_in_use_stays(pool: PgPool) {
    // An installation from before: the demo rows came with the migrations and a worker of
    // `wijkteam` signed in.
    let all = sqlx::migrate!("./migrations");
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = all
        .migrations
        .iter()
        .filter(|m| m.version < 14)
        .cloned()
        .collect();
    before.run(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO account (id, municipality_id, team_id, email, name, role, password_hash)
         VALUES (gen_random_uuid(), 'lindeveen', 'wijkteam', 'anne@example.nl', 'Anne',
                 'coordinator', 'x')",
    )
    .execute(&pool)
    .await
    .unwrap();
    all.run(&pool).await.unwrap();
    assert_eq!(count(&pool, "team").await, 1);
    assert_eq!(count(&pool, "municipality").await, 1);
    assert_eq!(count(&pool, "partner").await, 8);
}
