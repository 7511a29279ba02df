//! What the bench programs share: a worker with a session, as the app holds one after signing
//! in (the password and second factor are not what they measure).

use shared::model::{Id, Role};
use sqlx::PgPool;

/// A worker of `team` in `role`, enrolled in the second factor as every account must be before
/// it syncs, with a session as "cookie:unlock".
pub async fn worker_session(pool: &PgPool, team: &str, role: Role, name: &str) -> String {
    let id = server::accounts::create_account(
        pool,
        server::accounts::NewAccount {
            email: format!("{}@bench.example", Id::now_v7()),
            name: name.to_owned(),
            role,
            team: Some(team.into()),
            municipality: "lindeveen".into(),
            password: "a long enough bench password".into(),
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    sqlx::query("UPDATE account SET totp_secret = $2 WHERE id = $1")
        .bind(id)
        .bind(vec![7u8; 20])
        .execute(pool)
        .await
        .unwrap();
    let session = server::accounts::session::create(pool, id).await.unwrap();
    format!("{}:{}", session.cookie, session.unlock)
}
