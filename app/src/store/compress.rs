//! Deflate primed with what stored values share. A record is a few hundred bytes of JSON whose
//! field names and common words deflate cannot refer back to on its own; compressed after the
//! primer (and stored without it), it can. Inflating puts the primer back in front as a stored
//! block, so any deflate implementation's output reads the same. Changing [`PRIMER`] makes a
//! new stored format: values written with this one would no longer open.

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

const LEVEL: i32 = 6;

/// Every field name of the records (as serde writes them, sorted), their common values, and
/// words workers often write. Most used last: the nearest is the cheapest to refer to.
const PRIMER: &[u8] = br#""actions":"address":"agreement":"answer":"answers":"application_date":"base_version":"basis":"birth_date":"bsn":"carer_support":"case_manager":"channel":"choices":"city":"client_support_told_on":"clock":"closed":"community_services":"completed_at":"consent_id":"considered":"contact_id":"coordinator":"custom_provision_needed":"custom_provision_reason":"date":"deceased":"decision_on":"description":"domain":"domains":"due":"email":"ended_at":"evaluation":"family_name":"flagged_domains":"follow_up":"form":"from":"given_name":"given_on":"goals":"going_well":"held_on":"helper":"house_number":"household_id":"id":"investigation_done_on":"involved":"kind":"left_on":"legal_ground":"life_domain":"life_domains":"members":"more_going_on":"more_going_on_note":"name":"needs":"network":"next_date":"next_step":"notification_date":"organisation":"outcome":"own_strength":"own_version":"own_words":"owner":"owner_account":"participants":"partner_id":"personal_plan_received_on":"phone":"place":"postcode":"problem":"purpose":"question_id":"quick_scan_id":"reached":"record":"relation":"remarks":"report_handed_over_on":"resident_id":"resident_words":"result":"role":"score":"signal":"situation":"started_at":"status":"step":"street":"team_owned":"template_version":"text":"told_notice":"until":"wanted_result":"who":"withdrawn_on":"worker":"yes_no":"main_contact","partner","child","home_visit","phone","desk","walk_in","open","planned","started","done","cancelled","network","volunteer","community_service","professional","custom_provision","resident","legal_ground","consent","spoken","signed","yes","partly","no","2026.1",null,true,false,[],{},"00000000-0000-de het een en van in is dat op te met voor niet zijn er ze zich aan om ook als bij maar dan nog wel heeft wordt kan door naar haar hij zij meneer mevrouw geen meer sinds graag samen thuis huis hulp zorg week maand keer wil wilt kunnen moet gaat goed lastig alleen dochter zoon buurvrouw huisarts gemeente wijkteam consulent inwoner huishouden boodschappen schulden administratie inkomen huur toeslag vrijwilliger maatje buurthuis afspraak contact gesprek ondersteuning mantelzorger "#;

thread_local! {
    /// A compressor that has read the primer: copying it is cheaper than priming each time.
    static PRIMED: CompressorOxide = {
        let flags = create_comp_flags_from_zip_params(LEVEL, 0, 0);
        let mut compressor = CompressorOxide::new(flags);
        let mut skipped = vec![0; PRIMER.len() + 64];
        let (status, used, _) = compress(&mut compressor, PRIMER, &mut skipped, TDEFLFlush::Sync);
        debug_assert!(status == TDEFLStatus::Okay && used == PRIMER.len());
        compressor
    };
}

/// `plain`, deflated as if it followed [`PRIMER`] (raw deflate, the primer left out).
pub fn deflate(plain: &[u8]) -> Vec<u8> {
    let mut compressor = PRIMED.with(Clone::clone);
    let mut out = Vec::with_capacity(plain.len() / 2 + 64);
    let mut buffer = vec![0; plain.len().max(64)];
    let mut input = plain;
    loop {
        let (status, used, written) =
            compress(&mut compressor, input, &mut buffer, TDEFLFlush::Finish);
        out.extend_from_slice(&buffer[..written]);
        input = &input[used..];
        match status {
            TDEFLStatus::Okay => continue,
            _ => break,
        }
    }
    out
}

/// What [`deflate`] was given; `None` when `stored` is not its output or opens to more than
/// `limit` bytes.
pub fn inflate(stored: &[u8], limit: usize) -> Option<Vec<u8>> {
    // The primer as one stored, not final, block: header bits 0 and 00, then its length and the
    // length's complement.
    let length = u16::try_from(PRIMER.len()).ok()?;
    let mut stream = Vec::with_capacity(5 + PRIMER.len() + stored.len());
    stream.push(0);
    stream.extend_from_slice(&length.to_le_bytes());
    stream.extend_from_slice(&(!length).to_le_bytes());
    stream.extend_from_slice(PRIMER);
    stream.extend_from_slice(stored);
    let mut opened =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&stream, PRIMER.len() + limit).ok()?;
    if !opened.starts_with(PRIMER) {
        return None;
    }
    opened.drain(..PRIMER.len());
    Some(opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_goes_in_comes_out() {
        for plain in [
            &b""[..],
            b"{}",
            br#"{"base_version":0,"own_version":1,"record":{"id":"x","place":"Bij de inwoner thuis"}}"#,
            &[7u8; 100_000],
        ] {
            let stored = deflate(plain);
            assert_eq!(inflate(&stored, 1 << 20).as_deref(), Some(plain));
        }
        let varied: Vec<u8> = (0..50_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(inflate(&deflate(&varied), 1 << 20), Some(varied));
    }

    #[test]
    fn a_small_record_takes_less_room_after_the_primer() {
        let record = br#"{"base_version":0,"own_version":1,"record":{"channel":"phone","ended_at":null,"household_id":"00000000-0000-0001-3c6e-f372fe94f82a","id":"00000000-0000-001b-cfc0-659b6017cfb1","place":"Telefonisch","quick_scan_id":"00000000-0000-001c-0c2f-590e5eacc7db","resident_id":"00000000-0000-0001-daa6-6d2c7ddf743f","signal":null,"started_at":"2026-03-01T10:30:00Z","told_notice":null,"worker":"Anne de Wit"}}"#;
        let alone = miniz_oxide::deflate::compress_to_vec(record, LEVEL as u8).len();
        let primed = deflate(record).len();
        assert!(
            primed * 10 < alone * 8,
            "{primed} bytes primed, {alone} alone"
        );
    }

    #[test]
    fn damage_and_the_limit_are_refused() {
        let stored = deflate(&[b'a'; 5_000]);
        assert_eq!(inflate(&stored, 100), None);
        assert_eq!(inflate(&[0xff, 0xff, 0xff], 1 << 20), None);
    }
}
