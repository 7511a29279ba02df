//! Who may touch a household, decided in one place: the push (every record), assigning
//! consultants and the regisseur, handovers, closing and reopening all ask [`may_touch`].

use crate::http::Principal;
use crate::{Error, Result};
use axum::http::StatusCode;
use shared::model::{Id, Role};
use sqlx::PgConnection;
use std::collections::HashMap;

/// What the worker wants to do with the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// See what was done with it (its handovers): the team's workers with residents' data; a
    /// consultant only once added to it; also when closed.
    Read,
    /// Write its records: the team's workers with residents' data; a consultant only once
    /// added to it; not while it is closed.
    Write,
    /// Hand it over to a colleague or a partner: the team's coordinator, a consultant added to
    /// it, or the front office; not while it is closed.
    HandOver,
    /// Manage it as a whole (its consultants, its regisseur, closing, reopening): the team's
    /// coordinator.
    Manage,
}

/// The household as the check found it. Its row stays key-share locked until the caller's
/// transaction ends, so a transfer or removal waits (a plain edit of the household does not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: Id,
    pub team: String,
    pub closed: bool,
}

/// Why not, in words the worker sees beside their refused change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    Unknown,
    OtherTeam,
    Role,
    NotAdded,
    Closed,
}

impl Denied {
    pub fn words(self) -> &'static str {
        match self {
            Denied::Unknown => "Het huishouden is niet bekend op de server.",
            Denied::OtherTeam => "Dit huishouden hoort niet bij je team.",
            Denied::Role => "Je rol mag dit niet bij dit huishouden.",
            Denied::NotAdded => "Je bent niet aan dit huishouden toegevoegd.",
            Denied::Closed => {
                "Dit huishouden is afgesloten. Vraag de regisseur het te heropenen; je tekst is bewaard."
            }
        }
    }
}

/// For a route: another team's household does not exist for this worker (404); the rest say why.
impl From<Denied> for Error {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Unknown | Denied::OtherTeam => Error::NotFound,
            Denied::Role | Denied::NotAdded => {
                Error::refused(StatusCode::FORBIDDEN, denied.words())
                    .with_code(shared::sync::codes::FORBIDDEN)
            }
            Denied::Closed => Error::refused(StatusCode::CONFLICT, denied.words()),
        }
    }
}

/// Whether `principal` may touch `household` for `purpose`. The outer error is the database's;
/// the inner one the refusal, which the push turns into a rejected change and a route into a
/// response (`?` twice).
pub async fn may_touch(
    tx: &mut PgConnection,
    principal: &Principal,
    household: Id,
    purpose: Purpose,
) -> Result<Result<Household, Denied>> {
    let mut found = may_touch_many(tx, principal, &[household], purpose).await?;
    Ok(found.remove(&household).unwrap_or(Err(Denied::Unknown)))
}

/// [`may_touch`] for many households in one query (a push's batch). A household the server
/// does not know is missing from the answer.
pub async fn may_touch_many(
    tx: &mut PgConnection,
    principal: &Principal,
    households: &[Id],
    purpose: Purpose,
) -> Result<HashMap<Id, Result<Household, Denied>>> {
    let rows = sqlx::query!(
        r#"SELECT h.id, h.team_id,
                  EXISTS (SELECT 1 FROM household_closure c WHERE c.household_id = h.id) AS "closed!",
                  EXISTS (SELECT 1 FROM household_worker w
                          WHERE w.household_id = h.id AND w.account_id = $2) AS "added!",
                  EXISTS (SELECT 1 FROM household_guest g
                          WHERE g.household_id = h.id AND g.account_id = $2) AS "guest!",
                  h.deleted
           FROM household h WHERE h.id = ANY($1)
           ORDER BY h.id
           FOR KEY SHARE OF h"#,
        households,
        principal.account_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            // A deleted household's records still take changes (they become conflicts the
            // worker settles); nothing else is done with it.
            if row.deleted && purpose != Purpose::Write {
                return (row.id, Err(Denied::Unknown));
            }
            let found = Household {
                id: row.id,
                team: row.team_id,
                closed: row.closed,
            };
            let added = Added {
                as_worker: row.added,
                as_guest: row.guest,
            };
            (
                row.id,
                decide(principal, &found, added, purpose).map(|()| found),
            )
        })
        .collect())
}

/// What [`may_touch`] will answer for writing a household `principal` registers in the push
/// being applied (in their team; a consultant is added to it as they register it), before it
/// is stored.
pub fn registering(principal: &Principal, household: Id, team: &str) -> Result<Household, Denied> {
    let found = Household {
        id: household,
        team: team.to_owned(),
        closed: false,
    };
    let added = Added {
        as_worker: true,
        as_guest: false,
    };
    decide(principal, &found, added, Purpose::Write).map(|()| found)
}

/// How the worker was added to the household, if at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Added {
    /// A consultant of the team added by its coordinator.
    as_worker: bool,
    /// A worker of another team whose access request the coordinator granted.
    as_guest: bool,
}

/// The rule itself, without the database.
fn decide(
    principal: &Principal,
    household: &Household,
    added: Added,
    purpose: Purpose,
) -> Result<(), Denied> {
    if !principal.role.works_with_residents() {
        return Err(Denied::Role);
    }
    if principal.team.as_deref() != Some(household.team.as_str()) {
        // A guest reads and writes, as if added; the household's own team manages it.
        return match purpose {
            _ if !added.as_guest => Err(Denied::OtherTeam),
            Purpose::Read => Ok(()),
            Purpose::Write if household.closed => Err(Denied::Closed),
            Purpose::Write => Ok(()),
            Purpose::HandOver | Purpose::Manage => Err(Denied::Role),
        };
    }
    let added = added.as_worker || added.as_guest;
    let role = principal.role;
    match purpose {
        Purpose::Manage if role != Role::Coordinator => return Err(Denied::Role),
        Purpose::HandOver
            if !matches!(
                role,
                Role::Coordinator | Role::Consultant | Role::FrontOffice
            ) =>
        {
            return Err(Denied::Role)
        }
        _ => {}
    }
    if purpose != Purpose::Manage && role.only_assigned_households() && !added {
        return Err(Denied::NotAdded);
    }
    if household.closed && matches!(purpose, Purpose::Write | Purpose::HandOver) {
        return Err(Denied::Closed);
    }
    Ok(())
}

/// The role of a colleague in `team`, if they are in it (for choosing a consultant, a
/// regisseur or the receiver of a handover).
pub(super) async fn colleague(
    tx: &mut PgConnection,
    team: &str,
    account: Id,
) -> Result<Option<Role>> {
    Ok(sqlx::query_scalar!(
        "SELECT role FROM account WHERE id = $1 AND team_id = $2 AND active",
        account,
        team
    )
    .fetch_optional(&mut *tx)
    .await?
    .and_then(|role| Role::from_key(&role)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(role: Role, team: &str) -> Principal {
        Principal {
            account_id: Id::from_u128(1),
            name: "Anne".into(),
            email: "anne@example.org".into(),
            role,
            team: Some(team.into()),
            municipality: "lindeveen".into(),
            active: true,
        }
    }

    fn household(closed: bool) -> Household {
        Household {
            id: Id::from_u128(9),
            team: "wijkteam".into(),
            closed,
        }
    }

    #[test]
    fn the_rule_per_role_and_purpose() {
        use Purpose::*;
        let open = household(false);
        let cases = [
            (Role::FrontOffice, false, Write, Ok(())),
            (Role::FrontOffice, false, Read, Ok(())),
            (Role::Consultant, false, Read, Err(Denied::NotAdded)),
            // The front office takes the call and hands it on (issue 16 item 4).
            (Role::FrontOffice, false, HandOver, Ok(())),
            (Role::FrontOffice, false, Manage, Err(Denied::Role)),
            (Role::Consultant, false, Write, Err(Denied::NotAdded)),
            (Role::Consultant, true, Write, Ok(())),
            (Role::Consultant, true, HandOver, Ok(())),
            (Role::Consultant, true, Manage, Err(Denied::Role)),
            (Role::Coordinator, false, Manage, Ok(())),
            (Role::Coordinator, false, HandOver, Ok(())),
        ];
        for (role, added, purpose, expected) in cases {
            let added = Added {
                as_worker: added,
                as_guest: false,
            };
            let got = decide(&worker(role, "wijkteam"), &open, added, purpose);
            assert_eq!(got, expected, "{role:?} {purpose:?} {added:?}");
        }
        let worker_added = Added {
            as_worker: true,
            as_guest: false,
        };
        let elsewhere = worker(Role::Coordinator, "gebiedsteam");
        assert_eq!(
            decide(&elsewhere, &open, worker_added, Manage),
            Err(Denied::OtherTeam)
        );
        // Granted access from another team: read and write, never manage or hand over.
        let guest = Added {
            as_worker: false,
            as_guest: true,
        };
        let consultant_elsewhere = worker(Role::Consultant, "gebiedsteam");
        assert_eq!(decide(&consultant_elsewhere, &open, guest, Write), Ok(()));
        assert_eq!(decide(&consultant_elsewhere, &open, guest, Read), Ok(()));
        assert_eq!(decide(&elsewhere, &open, guest, Manage), Err(Denied::Role));
        assert_eq!(
            decide(&consultant_elsewhere, &household(true), guest, Write),
            Err(Denied::Closed)
        );
        let mut office = worker(Role::Administrator, "wijkteam");
        office.team = None;
        assert_eq!(
            decide(&office, &open, worker_added, Write),
            Err(Denied::Role)
        );
    }

    #[test]
    fn a_closed_household_is_only_managed() {
        let closed = household(true);
        let coordinator = worker(Role::Coordinator, "wijkteam");
        let added = Added {
            as_worker: true,
            as_guest: false,
        };
        assert_eq!(
            decide(&coordinator, &closed, added, Purpose::Write),
            Err(Denied::Closed)
        );
        assert_eq!(
            decide(&coordinator, &closed, added, Purpose::HandOver),
            Err(Denied::Closed)
        );
        assert_eq!(
            decide(&coordinator, &closed, added, Purpose::Manage),
            Ok(())
        );
        assert_eq!(decide(&coordinator, &closed, added, Purpose::Read), Ok(()));
    }
}
