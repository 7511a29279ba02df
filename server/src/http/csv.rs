//! CSV downloads: one writer (the `csv` crate does the quoting), one response with the right
//! headers. A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage
//! return first, not a number) gets a leading `'`: a name typed as `=HYPERLINK(…)` must not turn
//! into a live link in the privacy officer's spreadsheet.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use std::borrow::Cow;

pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        // Dutch Excel opens `;`-separated files by default (`,` is its decimal separator).
        let mut csv = Csv {
            writer: csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(Vec::new()),
        };
        csv.row(headers);
        csv
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.writer
            .write_record(cells.iter().map(|c| inert(c.as_ref()).into_owned()))
            .expect("writing CSV to memory cannot fail");
    }

    pub fn into_text(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .expect("writing CSV to memory cannot fail");
        String::from_utf8(bytes).expect("CSV written from UTF-8 strings")
    }

    /// The file as a download named `filename`.
    pub fn download(self, filename: &str) -> Response {
        download(filename, self.into_text())
    }
}

/// A CSV text (written elsewhere, such as the social map's own format) as a download.
pub fn download(filename: &str, text: String) -> Response {
    // The name is ours (ASCII, no quotes); this keeps it so if that ever changes.
    let filename: String = filename
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        // A byte-order mark first: Excel then reads the file as UTF-8 (ë, ü, €).
        format!("\u{feff}{}", text.trim_start_matches('\u{feff}')),
    )
        .into_response()
}

/// The cell as text a spreadsheet shows rather than runs.
fn inert(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_not_run_and_numbers_stay_numbers() {
        let mut csv = Csv::new(&["naam", "aantal"]);
        csv.row(&["=HYPERLINK(\"http://x\")", "-3"]);
        csv.row(&["@SUM(A1)", "12"]);
        csv.row(&["Jansen, \"Piet\"", "+4"]);
        assert_eq!(
            csv.into_text(),
            "naam;aantal\n\"'=HYPERLINK(\"\"http://x\"\")\";-3\n'@SUM(A1);12\n\"Jansen, \"\"Piet\"\"\";+4\n"
        );
    }
}
