//! The social map as a spreadsheet: export and import one partner per row, so an administrator
//! can keep it in Excel or LibreOffice. Import is all or nothing: every faulty row is named by
//! its line, and nothing is stored until the whole file is right.

use super::Partner;
use crate::model::resident::fold;
use serde::{Deserialize, Serialize};

/// The columns, in export order. Import accepts them in any order.
pub const COLUMNS: [&str; 11] = [
    "code",
    "naam",
    "soort",
    "diensten",
    "leefgebieden",
    "werkgebied",
    "telefoon",
    "e-mail",
    "adres",
    "openingstijden",
    "actief",
];

/// One thing wrong in an imported file; line 1 is the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// What an import did; `version` is the reference version after it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub version: i64,
}

/// The partners as CSV (comma-separated, UTF-8), life domains as ids separated by `;`.
pub fn to_csv(partners: &[Partner]) -> String {
    // `;`-separated, as Dutch Excel opens by default; `from_csv` reads both.
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let _ = writer.write_record(COLUMNS);
    for p in partners {
        let domains = p.life_domains.join(";");
        let active = if p.active { "ja" } else { "nee" };
        let _ = writer.write_record([
            p.id.as_str(),
            &p.name,
            &p.kind,
            &p.description,
            &domains,
            &p.area,
            &p.phone,
            &p.email,
            &p.address,
            &p.opening_hours,
            active,
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Reads partners from CSV as exported (or as a Dutch spreadsheet saves it: `;`-separated, with
/// a byte-order mark). `life_domains` are the template's (id, label) pairs: a cell may name a
/// domain by either. Each partner is checked as in the form.
pub fn from_csv(text: &str, life_domains: &[(&str, &str)]) -> Result<Vec<Partner>, Vec<LineError>> {
    let text = text.trim_start_matches('\u{feff}');
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let fail = |line: usize, message: String| Err(vec![LineError { line, message }]);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => return fail(1, format!("Het bestand is geen leesbare CSV: {e}.")),
    };
    let mut index = [0usize; COLUMNS.len()];
    for (i, column) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| h == column) {
            Some(at) => index[i] = at,
            None => {
                return fail(
                    1,
                    format!("De kolom \"{column}\" ontbreekt in de eerste regel."),
                )
            }
        }
    }
    let known: Vec<&str> = life_domains.iter().map(|(id, _)| *id).collect();
    let mut partners: Vec<Partner> = Vec::new();
    let mut errors = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let line = n + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                errors.push(LineError {
                    line,
                    message: format!("Onleesbare regel: {e}."),
                });
                continue;
            }
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| row.get(index[i]).unwrap_or_default().trim().to_owned();
        let mut domain_error = None;
        let life_domains_cell: Vec<String> = cell(4)
            .split([';', ','])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| match domain_id(d, life_domains) {
                Some(id) => id.to_owned(),
                None => {
                    domain_error.get_or_insert(format!("Onbekend leefgebied: {d}."));
                    d.to_owned()
                }
            })
            .collect();
        let active = match fold(&cell(10)).as_str() {
            "" | "ja" | "j" | "yes" | "true" | "1" => true,
            "nee" | "n" | "no" | "false" | "0" => false,
            other => {
                errors.push(LineError {
                    line,
                    message: format!("\"actief\" is ja of nee, niet \"{other}\"."),
                });
                true
            }
        };
        let partner = Partner {
            id: cell(0),
            name: cell(1),
            kind: cell(2),
            description: cell(3),
            life_domains: life_domains_cell,
            area: cell(5),
            phone: cell(6),
            email: cell(7),
            address: cell(8),
            opening_hours: cell(9),
            active,
        };
        if let Some(message) = domain_error {
            errors.push(LineError { line, message });
        } else if let Err(field_errors) = partner.check(&known) {
            for e in field_errors.0 {
                errors.push(LineError {
                    line,
                    message: e.message,
                });
            }
        }
        if partners.iter().any(|p| p.id == partner.id) {
            errors.push(LineError {
                line,
                message: format!("De code {} staat al op een eerdere regel.", partner.id),
            });
        }
        partners.push(partner);
    }
    if errors.is_empty() {
        Ok(partners)
    } else {
        Err(errors)
    }
}

fn domain_id<'a>(cell: &str, life_domains: &[(&'a str, &str)]) -> Option<&'a str> {
    let folded = fold(cell);
    life_domains
        .iter()
        .find(|(id, label)| *id == cell || fold(label) == folded)
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::social_map::sample_social_map;
    use proptest::prelude::*;

    fn domains() -> Vec<(&'static str, &'static str)> {
        crate::templates::current_quick_scan().life_domains()
    }

    #[test]
    fn the_sample_map_survives_a_round_trip() {
        let partners = &sample_social_map().partners;
        assert_eq!(
            from_csv(&to_csv(partners), &domains()).as_ref(),
            Ok(partners)
        );
    }

    #[test]
    fn a_dutch_spreadsheet_with_labels_and_a_bom_is_read() {
        let text = "\u{feff}naam;code;soort;diensten;leefgebieden;werkgebied;telefoon;e-mail;adres;openingstijden;actief\n\
                    Voedselbank;voedselbank;Stichting;Voedselpakketten;Financiën, huisvesting;Noord;0341;;Dorpsstraat 1;di;Nee\n";
        let partners = from_csv(text, &domains()).unwrap();
        assert_eq!(partners.len(), 1);
        assert_eq!(partners[0].id, "voedselbank");
        assert_eq!(partners[0].life_domains, ["finances", "housing"]);
        assert!(!partners[0].active);
    }

    #[test]
    fn every_faulty_line_is_named_and_nothing_is_returned() {
        let mut text = to_csv(&sample_social_map().partners[..2]);
        text.push_str("Fout Code;Naam;Soort;;finances;;;;;;ja\n");
        text.push_str("welzijn-lindeveen;Dubbel;Soort;;tuinieren;;;;;;misschien\n");
        let errors = from_csv(&text, &domains()).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 5, 5]);
        assert!(errors[1].message.contains("ja of nee"));
        assert_eq!(errors[2].message, "Onbekend leefgebied: tuinieren.");
        assert!(errors[3].message.contains("eerdere regel"));
        let missing = from_csv("code,naam\nx,y\n", &domains()).unwrap_err();
        assert_eq!(missing[0].line, 1);
        assert!(missing[0].message.contains("soort"));
    }

    proptest! {
        #[test]
        fn any_valid_partner_text_round_trips(
            name in "[A-Za-zëé ,\";\n]{1,40}",
            description in "[a-z ,\";\n]{0,60}",
            hours in "[0-9a-z .,-]{0,20}",
            active in any::<bool>(),
        ) {
            prop_assume!(!name.trim().is_empty());
            let mut partner = sample_social_map().partners[0].clone();
            partner.name = name.trim().to_owned();
            partner.description = description.trim().to_owned();
            partner.opening_hours = hours.trim().to_owned();
            partner.active = active;
            let back = from_csv(&to_csv(std::slice::from_ref(&partner)), &domains()).unwrap();
            prop_assert_eq!(back, vec![partner]);
        }
    }
}
