//! The operator's commands (`server <command> ...`): provisioning a municipality's teams and
//! accounts, the demo municipality, and retention. Each connects and migrates first, so it
//! works on a new database.

use crate::{accounts, config, db, retention, Error, Result};
use sqlx::PgPool;

/// The demo municipality Lindeveen: one team (`wijkteam`) and a sample social map. Demo and
/// test data only; an installation starts without it (migration 0014).
pub const DEMO: &str = include_str!("../demo/lindeveen.sql");

/// The value after `flag` in `args`.
fn flag(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

async fn database() -> Result<PgPool> {
    let pool = db::connect(&config::database_url()?).await?;
    db::migrate(&pool).await?;
    Ok(pool)
}

/// Loads the demo municipality; running it again changes nothing.
pub async fn seed_demo(pool: &PgPool) -> Result<()> {
    sqlx::raw_sql(DEMO).execute(pool).await?;
    Ok(())
}

/// `server seed-demo`: the demo municipality Lindeveen with its team `wijkteam` and sample
/// social map, for trying the app (`scripts/run` does this on its own database).
pub async fn seed_demo_command() -> Result<()> {
    seed_demo(&database().await?).await?;
    println!("demo municipality lindeveen with team wijkteam ready");
    Ok(())
}

/// `server create-account`: creates an account (the first administrator, typically) from the
/// command line. The password comes from `KEUKENTAFEL_PASSWORD` or, when unset, standard input.
/// The municipality is the team's, or `--municipality` for an account without a team.
pub async fn create_account_command(args: &[String]) -> Result<()> {
    let usage = || {
        Error::Config(
            "usage: server create-account --email E --name N --role R [--team T | --municipality M] [--second-factor BASE32]"
                .into(),
        )
    };
    let role = flag(args, "--role")
        .and_then(|r| shared::model::Role::from_key(&r))
        .ok_or_else(usage)?;
    let password = match config::provisioning_password() {
        Some(password) => password,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| Error::Config(format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let pool = database().await?;
    let team = flag(args, "--team");
    let municipality = match (flag(args, "--municipality"), &team) {
        (Some(municipality), _) => municipality,
        (None, Some(team)) => {
            sqlx::query_scalar::<_, String>("SELECT municipality_id FROM team WHERE id = $1")
                .bind(team)
                .fetch_optional(&pool)
                .await?
                .ok_or_else(|| {
                    Error::Config(format!(
                        "there is no team {team}: make it with `server create-team`"
                    ))
                })?
        }
        (None, None) => return Err(usage()),
    };
    let id = accounts::create_account(
        &pool,
        accounts::NewAccount {
            email: flag(args, "--email").ok_or_else(usage)?,
            name: flag(args, "--name").ok_or_else(usage)?,
            role,
            team,
            municipality,
            password,
            // The operator typed this password for the person in front of them.
            must_change_password: false,
        },
    )
    .await?;
    // Provisioning (and the browser tests): the second factor enrolled with a known secret.
    if let Some(secret) = flag(args, "--second-factor") {
        let secret = accounts::second_factor::from_base32(&secret)
            .ok_or_else(|| Error::Config("--second-factor must be a base32 secret".into()))?;
        sqlx::query("UPDATE account SET totp_secret = $2 WHERE id = $1")
            .bind(id)
            .bind(secret)
            .execute(&pool)
            .await?;
    }
    println!("account {id} created");
    Ok(())
}

/// `server create-team --id T --name N --municipality M [--municipality-name NAME]`: a team
/// (and its place in the sync log), and its municipality when that is new. Running it again
/// for an existing team changes nothing.
pub async fn create_team_command(args: &[String]) -> Result<()> {
    let usage = || {
        Error::Config(
            "usage: server create-team --id T --name N --municipality M [--municipality-name NAME]"
                .into(),
        )
    };
    let id = flag(args, "--id").ok_or_else(usage)?;
    let name = flag(args, "--name").ok_or_else(usage)?;
    let municipality = flag(args, "--municipality").ok_or_else(usage)?;
    let municipality_name =
        flag(args, "--municipality-name").unwrap_or_else(|| format!("Gemeente {municipality}"));
    let pool = database().await?;
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO municipality (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(&municipality)
        .bind(&municipality_name)
        .execute(&mut *tx)
        .await?;
    // Devices ask for the social map and templates by this version.
    sqlx::query(
        "INSERT INTO reference_version (municipality_id) VALUES ($1) ON CONFLICT DO NOTHING",
    )
    .bind(&municipality)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO team (id, name, municipality_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(&name)
    .bind(&municipality)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO scope_counter (team_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    println!("team {id} ready");
    Ok(())
}

/// `server retention [--dry-run]`: removes closed households whose retention period passed,
/// then compacts every team's log (entries superseded more than
/// `KEUKENTAFEL_SUPERSEDED_LOG_DAYS` ago). Meant to run nightly.
pub async fn retention_command(args: &[String]) -> Result<()> {
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let periods = config::retention_periods()?;
    let log_days = config::superseded_log_days()?;
    let pool = database().await?;
    let removed = retention::run(&pool, periods, dry_run).await?;
    for household in &removed.households {
        println!(
            "{} household {household}",
            if dry_run { "would remove" } else { "removed" }
        );
    }
    println!(
        "{} households, {} records, {} closed signals, {} anonymous contacts{}",
        removed.households.len(),
        removed.records,
        removed.signals,
        removed.anonymous_contacts,
        if dry_run {
            " (dry run: nothing removed)"
        } else {
            ""
        }
    );
    let compacted = crate::sync::compact_log(&pool, None, log_days, dry_run).await?;
    println!(
        "log: {} superseded entries, {} deleted records' fields{}",
        compacted.entries(),
        compacted.tombstones_emptied,
        if dry_run { " (dry run)" } else { "" }
    );
    Ok(())
}
