//! How many households a coordinator's device holds (issue 19 item 5): one household with a
//! full year of work (two residents, eight contacts, a quick scan, three questions, a
//! conversation over three life domains, a plan of three goals with three actions each and an
//! evaluation, a melding, a consent, two involved professionals) is saved through the app's own
//! store, sealed as on a tablet; its stored size is counted in UTF-16 code units, as browsers
//! count localStorage, in the format written now (compressed, packed) and in the first format
//! (base64 of the sealed JSON), and divided into Chromium's quota. Run: `bench/store-capacity`.

use app::store::kv::{KeyValue, MemoryKv};
use app::store::seal::{self, SealedKv};
use app::store::Store;
use app::store::PULL_RESERVE_BYTES;
use shared::model::consent::{Consent, ConsentForm};
use shared::model::plan::{
    Action, ActionStatus, Considered, Evaluation, Goal, Helper, Reached, SupportPlan,
};
use shared::model::Address;
use shared::model::{
    Answer, Channel, Contact, Conversation, Household, Id, InvolvedParty, Notification, Question,
    QuestionStatus, QuickScan, Resident, SharingBasis,
};
use shared::rules::legal_clock::LegalClock;
use shared::rules::postcode::Postcode;
use shared::sync::{
    ChangeOutcome, ChangeResult, LogBody, LogEntry, PushResponse, RecordState, RecordType,
};
use time::macros::{date, datetime};

/// Chromium's localStorage quota per origin, in UTF-16 code units (10 MiB; measured by
/// `bench/browser-figures`: 5,242,874 characters fit beside the test's own key).
const QUOTA_UNITS: usize = 5 * 1024 * 1024;

/// Sentences as workers write them: varied, so compression is not flattered by repetition.
const SENTENCES: [&str; 24] = [
    "Mevrouw vertelt dat ze sinds de heupoperatie niet meer zelf boodschappen kan doen.",
    "De trap naar de slaapkamer is lastig, ze slaapt nu beneden op de bank.",
    "Haar dochter woont in Groningen en komt eens per maand een weekend.",
    "De buurvrouw haalt soms brood, maar wil niet elke week vastzitten.",
    "Er liggen ongeopende brieven van de belastingdienst en de zorgverzekeraar op tafel.",
    "Meneer heeft vorig jaar zijn baan verloren en schaamt zich voor de schulden.",
    "De huur is twee maanden achterstallig; de woningcorporatie heeft een brief gestuurd.",
    "Ze gaat graag naar het koffieochtendje in het buurthuis als iemand haar brengt.",
    "Sinds het overlijden van haar man voelt ze zich vaak alleen, vooral in het weekend.",
    "De huisarts heeft fysiotherapie voorgeschreven, twee keer per week aan huis.",
    "Zoon Karim helpt met de administratie, maar heeft zelf drie jonge kinderen.",
    "Het inkomen bestaat uit AOW en een klein pensioen; toeslagen zijn niet aangevraagd.",
    "Ze wil zo lang mogelijk thuis blijven wonen en zelf blijven koken.",
    "Een traplift is besproken; eerst kijken of een verhuizing naar beneden mogelijk is.",
    "Welzijn Lindeveen heeft een maatje beschikbaar voor wandelen op dinsdag.",
    "De schuldhulpverlener van de gemeente neemt binnen twee weken contact op.",
    "Mantelzorger geeft aan dat het zwaar wordt en wil graag respijtzorg bespreken.",
    "Er is geen sprake van onveiligheid; de kinderen gaan goed naar school.",
    "Afgesproken dat de consulent over zes weken terugbelt om te horen hoe het gaat.",
    "Het huis is schoon en opgeruimd, de koelkast was bij het bezoek goed gevuld.",
    "Meneer wil graag vrijwilligerswerk doen bij de voedselbank om weer ritme te krijgen.",
    "De wijkverpleegkundige komt 's ochtends helpen met douchen.",
    "De boodschappenservice van de supermarkt is uitgelegd en samen uitgeprobeerd.",
    "Ze vindt het fijn dat er iemand meedenkt en wil de afspraken op papier hebben.",
];

fn text(start: usize, sentences: usize) -> String {
    (0..sentences)
        .map(|i| SENTENCES[(start + i * 7) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ids that differ per household, as on a device.
struct Ids(u128);
impl Ids {
    fn next(&mut self) -> Id {
        self.0 += 1;
        Id::from_u128(self.0 * 0x9E37_79B9_7F4A_7C15)
    }
}

fn household_year(store: &Store<SealedKv<MemoryKv>>, n: usize, ids: &mut Ids) {
    let (home, main, partner) = (ids.next(), ids.next(), ids.next());
    let mut household = Household::for_resident(home, main, &format!("Huishouden Öztürk {n}"));
    for (i, role) in ["huisarts", "schuldhulpverlener"].into_iter().enumerate() {
        household.involved.push(InvolvedParty {
            id: ids.next(),
            name: ["Sanne Bakker", "Ruud de Vries"][i].into(),
            organisation: ["Huisartsenpraktijk De Linde", "Gemeente Lindeveen"][i].into(),
            partner_id: None,
            role: role.into(),
            phone: "030 123 45 67".into(),
            email: String::new(),
            from: Some(date!(2026 - 02 - 01)),
            until: None,
            basis: SharingBasis::LegalGround,
            consent_id: None,
            legal_ground: "Wmo 2015 art. 5.2.1".into(),
        });
    }
    store.put(&household).unwrap();
    for (id, given) in [(main, "Fatma"), (partner, "Mehmet")] {
        let resident = Resident {
            id,
            household_id: home,
            given_name: given.into(),
            family_name: "Öztürk".into(),
            birth_date: Some(date!(1948 - 05 - 17)),
            bsn: None,
            address: Some(Address {
                street: "Lindelaan".into(),
                house_number: "12".into(),
                postcode: Postcode::parse("3511 AB").unwrap(),
                city: "Lindeveen".into(),
            }),
            phone: "06 12345678".into(),
            email: "f.ozturk@example.nl".into(),
        };
        store.put(&resident).unwrap();
    }
    let scan_id = ids.next();
    for c in 0..8 {
        let contact = Contact {
            id: ids.next(),
            household_id: home,
            resident_id: main,
            channel: [Channel::HomeVisit, Channel::Phone][c % 2],
            place: ["Bij de inwoner thuis", "Telefonisch"][c % 2].into(),
            worker: "Anne de Wit".into(),
            started_at: datetime!(2026-01-12 10:30 UTC) + time::Duration::days(40 * c as i64),
            ended_at: None,
            quick_scan_id: if c == 0 { scan_id } else { ids.next() },
            told_notice: (c == 0).then(|| "2026.1".to_owned()),
            signal: None,
        };
        store.put(&contact).unwrap();
    }
    let scan = QuickScan {
        id: scan_id,
        contact_id: ids.next(),
        household_id: home,
        resident_id: main,
        template_version: "2026.1".into(),
        answers: [
            ("own_words".to_owned(), Answer::Text(text(n, 2))),
            (
                "life_domains".to_owned(),
                Answer::Choices(vec!["practical".into(), "social_network".into()]),
            ),
            ("more_going_on".to_owned(), Answer::YesNo(true)),
            (
                "more_going_on_note".to_owned(),
                Answer::Text(text(n + 3, 1)),
            ),
        ]
        .into(),
        step: 6,
        outcome: None,
        completed_at: Some(datetime!(2026-01-12 11:15 UTC)),
    };
    store.put(&scan).unwrap();
    let mut questions = Vec::new();
    for q in 0..3 {
        let question = Question {
            id: ids.next(),
            household_id: home,
            resident_id: main,
            contact_id: ids.next(),
            own_words: text(n + q, 2),
            life_domains: vec!["practical".into()],
            owner: "Anne de Wit".into(),
            owner_account: None,
            team_owned: false,
            status: QuestionStatus::Open,
            next_date: Some(date!(2026 - 03 - 01)),
            next_step: text(n + q + 5, 1),
            crisis: None,
            scheme: None,
        };
        store.put(&question).unwrap();
        questions.push(question.id);
    }
    let mut talk = Conversation::start(
        ids.next(),
        home,
        "2026.1",
        "Anne de Wit",
        date!(2026 - 02 - 03),
    );
    for (d, domain) in ["practical", "social_network", "finances"]
        .into_iter()
        .enumerate()
    {
        talk.open_domain(domain);
        let entry = talk.entry_mut(domain).unwrap();
        for (a, question) in ["situation", "going_well", "problem", "wanted_result"]
            .into_iter()
            .enumerate()
        {
            entry
                .answers
                .insert(question.into(), text(n + d * 4 + a, 2));
        }
        entry.own_strength = text(n + d + 11, 1);
        entry.network = text(n + d + 13, 1);
        entry.community_services = text(n + d + 17, 1);
        entry.score = Some(3);
    }
    store.put(&talk).unwrap();
    let goals = (0..3)
        .map(|g| Goal {
            id: ids.next(),
            life_domain: "practical".into(),
            result: text(n + g + 2, 1),
            considered: Considered {
                own_strength: text(n + g, 1),
                network: text(n + g + 1, 1),
                community_services: text(n + g + 2, 1),
            },
            actions: (0..3)
                .map(|a| Action {
                    id: ids.next(),
                    description: text(n + g * 3 + a, 1),
                    helper: [Helper::Network, Helper::Volunteer, Helper::CommunityService][a],
                    who: ["dochter Aylin", "maatje van Welzijn", "Welzijn Lindeveen"][a].into(),
                    partner_id: None,
                    owner_account: None,
                    due: Some(date!(2026 - 04 - 01)),
                    status: ActionStatus::Done,
                })
                .collect(),
            evaluation: (g == 0).then(|| Evaluation {
                held_on: date!(2026 - 09 - 15),
                reached: Reached::Partly,
                resident_words: text(n + 20, 2),
                follow_up: text(n + 21, 1),
            }),
        })
        .collect();
    store
        .put(&SupportPlan {
            id: ids.next(),
            household_id: home,
            coordinator: "Anne de Wit".into(),
            goals,
        })
        .unwrap();
    store
        .put(&Notification {
            id: ids.next(),
            household_id: home,
            question_id: questions[0],
            clock: LegalClock {
                notification_date: Some(date!(2026 - 01 - 20)),
                ..LegalClock::default()
            },
        })
        .unwrap();
    store
        .put(&Consent {
            id: ids.next(),
            household_id: home,
            resident_id: main,
            partner_id: "schuldhulp".into(),
            purpose: "warme overdracht schuldhulp".into(),
            form: ConsentForm::Signed,
            given_on: date!(2026 - 02 - 03),
            withdrawn_on: None,
        })
        .unwrap();
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

fn main() {
    let (kv, keyring) = seal::unlocked(MemoryKv::default());
    let store = Store::open(kv, || Id::from_u128(7)).unwrap();
    // A fresh device of the same worker: the same keyring, in a store with Chromium's quota.
    let fresh_device = || {
        let kv = SealedKv::new(MemoryKv::with_quota(2 * QUOTA_UNITS));
        kv.save_keyring(&keyring).unwrap();
        Store::open(kv, || Id::from_u128(8)).unwrap()
    };
    const HOUSEHOLDS: usize = 20;
    let mut ids = Ids(1);
    let started = std::time::Instant::now();
    for n in 0..HOUSEHOLDS {
        household_year(&store, n, &mut ids);
    }
    let saving = started.elapsed();
    // Synced: the outbox settles and only the records stay.
    let queued = store.begin_push(10_000).unwrap();
    let response = PushResponse {
        applied_through: queued.last().map_or(0, |c| c.seq),
        results: queued
            .iter()
            .map(|c| ChangeResult {
                seq: c.seq,
                outcome: ChangeOutcome::Applied,
                reason: None,
                version: Some(1),
            })
            .collect(),
        wipe: false,
    };
    store.settle(&response, &queued).unwrap();
    let kv = store.kv();
    let (mut now, mut first, mut plain, mut keys) = (0, 0, 0, 0);
    for key in kv.keys("kt/rec/") {
        keys += units(&key);
        let raw = kv.raw(&key).unwrap();
        let opened = kv.get(&key).unwrap();
        now += units(&key) + units(&raw);
        first += units(&key) + units(&seal::first_format(&opened).unwrap());
        plain += units(&key) + units(&opened);
    }
    let per = |total: usize| total / HOUSEHOLDS;
    println!("one household with a year of work, synced, in localStorage (UTF-16 code units):");
    println!("  plain JSON (never stored):             {:>7}", per(plain));
    println!(
        "  before: sealed, base64 (kt1)           {:>7}  -> {:>5} households fit",
        per(first),
        QUOTA_UNITS / per(first)
    );
    println!(
        "  after:  compressed, sealed, packed     {:>7}  -> {:>5} households fit",
        per(now),
        QUOTA_UNITS / per(now)
    );
    println!(
        "  ratio: {:.2}x the households",
        per(first) as f64 / per(now) as f64
    );
    println!(
        "  of which the keys (kt/rec/<type>/<id>): {:>7}, in {} records",
        per(keys),
        kv.keys("kt/rec/").len() / HOUSEHOLDS
    );
    println!(
        "saving {HOUSEHOLDS} households through the store: {:.1} ms ({:.2} ms per household)",
        saving.as_secs_f64() * 1e3,
        saving.as_secs_f64() * 1e3 / HOUSEHOLDS as f64
    );
    pulled_by_a_fresh_device(&store, &mut ids, fresh_device());
}

/// Households a fresh device pulls in one sync (pages of 500, one `begin_pull`) before it
/// stops at the reserve: with what each entry really took (now), and by the rule before it
/// (three bytes a byte of JSON, counted for the same entries in the same run).
fn pulled_by_a_fresh_device(
    team: &Store<SealedKv<MemoryKv>>,
    ids: &mut Ids,
    device: Store<SealedKv<MemoryKv>>,
) {
    const TEAM: usize = 1_500;
    for n in team.list::<Household>().len()..TEAM {
        household_year(team, n, ids);
    }
    let kv = team.kv();
    let mut entries: Vec<LogEntry> = kv
        .keys("kt/rec/")
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let stored: serde_json::Value = serde_json::from_str(&kv.get(key).unwrap()).unwrap();
            let fields = stored["record"].as_object().unwrap().clone();
            let record_type = RecordType::from_key(key.split('/').nth(2).unwrap()).unwrap();
            let record_id: Id = fields["id"].as_str().unwrap().parse().unwrap();
            let household_id = match record_type {
                RecordType::Household => record_id,
                _ => fields["household_id"].as_str().unwrap().parse().unwrap(),
            };
            LogEntry {
                position: 1 + i as u64,
                body: LogBody::Record(RecordState {
                    record_type,
                    record_id,
                    household_id,
                    version: 1,
                    deleted: false,
                    fields,
                }),
            }
        })
        .collect();
    // As a log has them: a household's records together, the household first.
    entries.sort_by_key(|entry| match &entry.body {
        LogBody::Record(s) => (s.household_id, s.record_type != RecordType::Household),
        _ => unreachable!(),
    });
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.position = 1 + i as u64;
    }
    let (used, quota) = device.kv().room().unwrap();
    let mut left = quota - used - PULL_RESERVE_BYTES;
    let by_the_rule_before = entries
        .iter()
        .take_while(|entry| {
            let most = 3 * serde_json::to_string(&entry.body).unwrap().len();
            let fits = most <= left;
            left = left.saturating_sub(most);
            fits
        })
        .filter(|entry| matches!(&entry.body, LogBody::Record(s) if s.record_type == RecordType::Household))
        .count();
    let started = std::time::Instant::now();
    let mut pulling = device.begin_pull();
    let mut stopped = false;
    for page in entries.chunks(500) {
        if device.apply_part(&mut pulling, page).is_err() {
            stopped = true;
            break;
        }
    }
    let took = started.elapsed();
    let now = device.list::<Household>().len();
    println!(
        "a fresh device pulling a team of {TEAM} such households ({} entries) in one sync, Chromium's quota:",
        entries.len()
    );
    println!("  by the rule before (3 bytes a byte of JSON): {by_the_rule_before:>5} households, then \"bijna vol\"");
    println!(
        "  now (what each entry took):                 {now:>5} households{}, {:.1} s",
        if stopped {
            ", then \"bijna vol\""
        } else {
            ", all of them"
        },
        took.as_secs_f64()
    );
}
