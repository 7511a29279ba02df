//! The resident's report as a PDF: A4, in Dutch, tagged for screen readers (headings, lists,
//! tables in reading order) with a title and language. Laid out here from the same
//! [`ResidentReport`] the device's print view shows; drawn by krilla, whose PDF/UA-1 check
//! refuses a document with untagged text or no title, so a broken layout fails loudly.

use crate::{Error, Result};
use krilla::configure::{Configuration, Validator};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope, Tag, TagGroup,
    TagKind, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use shared::report::{self, ResidentReport};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::num::NonZeroU16;
use std::sync::Arc;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

/// A4 in points, with 2 cm margins; the footer sits in the bottom margin.
const PAGE: (f32, f32) = (595.28, 841.89);
const MARGIN: f32 = 56.7;
const WIDTH: f32 = PAGE.0 - 2.0 * MARGIN;
const BOTTOM: f32 = PAGE.1 - MARGIN;
/// The columns of a plan's table (what, who, when), as parts of the width.
const COLUMNS: [f32; 3] = [0.5, 0.3, 0.2];
const CELL_PADDING: f32 = 4.0;
const INDENT: f32 = 14.0;
const PRIMARY: (u8, u8, u8) = (0x1b, 0x4f, 0x8a);
const MUTED: (u8, u8, u8) = (0x4a, 0x55, 0x60);
const TEXT: (u8, u8, u8) = (0x1f, 0x23, 0x28);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Sender,
    Title,
    Heading,
    Subheading,
    Label,
    Body,
    Footer,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Style::Title => 18.0,
            Style::Heading => 14.0,
            Style::Subheading => 12.0,
            Style::Sender | Style::Footer => 9.0,
            Style::Label | Style::Body => 10.5,
        }
    }

    fn bold(self) -> bool {
        matches!(
            self,
            Style::Title | Style::Heading | Style::Subheading | Style::Label
        )
    }

    fn colour(self) -> (u8, u8, u8) {
        match self {
            Style::Title | Style::Heading => PRIMARY,
            Style::Sender | Style::Footer => MUTED,
            _ => TEXT,
        }
    }

    fn line_height(self) -> f32 {
        self.size() * 1.4
    }
}

/// The two faces with what is needed to measure text before it is drawn.
struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    fn load() -> Result<Fonts> {
        let font = |bytes: &'static [u8]| {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
            Font::new(data.into(), 0).ok_or_else(|| Error::Internal("the PDF font".into()))
        };
        Ok(Fonts {
            regular: font(REGULAR)?,
            bold: font(BOLD)?,
        })
    }

    fn of(&self, style: Style) -> &Font {
        if style.bold() {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// The width of `text` in points (advances without kerning, so never narrower than drawn).
    fn width(style: Style, text: &str) -> f32 {
        let bytes = if style.bold() { BOLD } else { REGULAR };
        let Ok(font) = skrifa::FontRef::new(bytes) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(style.size()), LocationRef::default());
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(0.0)
            })
            .sum()
    }
}

/// A word with its measured width, for textwrap's line breaking.
#[derive(Debug)]
struct Word<'a> {
    text: &'a str,
    width: f64,
    space: f64,
}

impl textwrap::core::Fragment for Word<'_> {
    fn width(&self) -> f64 {
        self.width
    }
    fn whitespace_width(&self) -> f64 {
        self.space
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// `text` broken into lines no wider than `width`: line breaks as typed, words kept whole
/// unless one alone is wider than the line.
fn wrap(style: Style, text: &str, width: f32) -> Vec<String> {
    let space = Fonts::width(style, " ") as f64;
    let mut lines = Vec::new();
    for paragraph in text.trim_end().split('\n') {
        let mut pieces: Vec<String> = Vec::new();
        for word in paragraph.split_whitespace() {
            pieces.extend(split_long(style, word, width));
        }
        if pieces.is_empty() {
            lines.push(String::new());
            continue;
        }
        let words: Vec<Word> = pieces
            .iter()
            .map(|p| Word {
                text: p,
                width: Fonts::width(style, p) as f64,
                space,
            })
            .collect();
        for line in textwrap::wrap_algorithms::wrap_first_fit(&words, &[width as f64]) {
            let texts: Vec<&str> = line.iter().map(|w| w.text).collect();
            lines.push(texts.join(" "));
        }
    }
    lines
}

/// A word wider than the line, cut where it must be (each character measured once).
fn split_long(style: Style, word: &str, width: f32) -> Vec<String> {
    if Fonts::width(style, word) <= width {
        return vec![word.to_owned()];
    }
    let mut pieces = vec![String::new()];
    let mut used = 0.0;
    let mut buffer = [0u8; 4];
    for c in word.chars() {
        let advance = Fonts::width(style, c.encode_utf8(&mut buffer));
        let last = pieces.last_mut().expect("one piece");
        if used + advance > width && !last.is_empty() {
            pieces.push(String::new());
            used = 0.0;
        }
        pieces.last_mut().expect("one piece").push(c);
        used += advance;
    }
    pieces
}

/// The structure of the document, in reading order; leaves point at the lines drawn for them.
enum Node {
    Group(Kind, Vec<Node>),
    Leaf(Kind, usize),
}

#[derive(Clone)]
enum Kind {
    Section,
    Heading(u16, String),
    Paragraph,
    List,
    Item,
    Label,
    Body,
    Table,
    Row,
    Header,
    Cell,
}

impl Kind {
    fn tag(self) -> TagKind {
        match self {
            Kind::Section => Tag::Section.into(),
            Kind::Heading(level, title) => Tag::Hn(
                NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN),
                Some(title),
            )
            .into(),
            Kind::Paragraph => Tag::P.into(),
            Kind::List => Tag::L(ListNumbering::None).into(),
            Kind::Item => Tag::LI.into(),
            Kind::Label => Tag::Lbl.into(),
            Kind::Body => Tag::LBody.into(),
            Kind::Table => Tag::Table.into(),
            Kind::Row => Tag::TR.into(),
            Kind::Header => Tag::TH(TableHeaderScope::Column).into(),
            Kind::Cell => Tag::TD.into(),
        }
    }
}

struct Line {
    page: usize,
    x: f32,
    baseline: f32,
    text: String,
    style: Style,
    leaf: usize,
}

/// A table's horizontal rule, drawn as an artifact.
struct Rule {
    page: usize,
    y: f32,
}

#[derive(Default)]
struct Layout {
    page: usize,
    /// Distance from the top of the page to where the next line starts.
    y: f32,
    lines: Vec<Line>,
    rules: Vec<Rule>,
    leaves: usize,
    /// The headings of sections and their parts, for the document outline (bookmarks).
    headings: Vec<(u16, String, usize, f32)>,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            y: MARGIN,
            ..Default::default()
        }
    }

    fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// Starts a new page when less than `height` is left on this one.
    fn keep(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.page += 1;
            self.y = MARGIN;
        }
    }

    fn leaf(&mut self) -> usize {
        self.leaves += 1;
        self.leaves - 1
    }

    /// Places the lines of `text` at `x` within `width`, page by page; returns its leaf.
    fn text(&mut self, style: Style, text: &str, x: f32, width: f32) -> usize {
        let leaf = self.leaf();
        for line in wrap(style, text, width) {
            self.keep(style.line_height());
            self.place(style, line, x, leaf);
            self.y += style.line_height();
        }
        leaf
    }

    fn place(&mut self, style: Style, text: String, x: f32, leaf: usize) {
        self.lines.push(Line {
            page: self.page,
            x,
            baseline: self.y + style.size(),
            text,
            style,
            leaf,
        });
    }

    fn block(&mut self, kind: Kind, style: Style, text: &str) -> Node {
        let leaf = self.text(style, text, MARGIN, WIDTH);
        Node::Leaf(kind, leaf)
    }

    fn heading(&mut self, level: u16, text: &str) -> Node {
        let style = match level {
            1 => Style::Title,
            2 => Style::Heading,
            _ => Style::Subheading,
        };
        self.space(style.size() * 0.8);
        // A heading never ends a page alone.
        self.keep(style.line_height() * 3.0);
        if level > 1 {
            self.headings
                .push((level, text.to_owned(), self.page, self.y));
        }
        let leaf = self.text(style, text, MARGIN, WIDTH);
        self.space(2.0);
        Node::Leaf(Kind::Heading(level, text.to_owned()), leaf)
    }

    fn paragraph(&mut self, text: &str) -> Node {
        let node = self.block(Kind::Paragraph, Style::Body, text);
        self.space(4.0);
        node
    }

    /// Label and words, as a list item: the label bold, the words below it, indented.
    fn item(&mut self, label: &str, text: &str) -> Node {
        self.keep(Style::Label.line_height() * 2.0);
        let label = Node::Leaf(Kind::Label, self.text(Style::Label, label, MARGIN, WIDTH));
        let body = self.text(Style::Body, text, MARGIN + INDENT, WIDTH - INDENT);
        self.space(4.0);
        Node::Group(Kind::Item, vec![label, Node::Leaf(Kind::Body, body)])
    }

    fn bullet(&mut self, text: &str) -> Node {
        self.keep(Style::Body.line_height());
        let label = self.leaf();
        self.place(Style::Body, "•".into(), MARGIN, label);
        let body = self.text(Style::Body, text, MARGIN + INDENT, WIDTH - INDENT);
        Node::Group(
            Kind::Item,
            vec![Node::Leaf(Kind::Label, label), Node::Leaf(Kind::Body, body)],
        )
    }

    /// A table row: the cells' lines side by side, continued on the next page when long.
    fn row(&mut self, cells: &[String], header: bool) -> Node {
        let style = if header { Style::Label } else { Style::Body };
        let mut x = MARGIN;
        let mut columns = Vec::new();
        for (cell, part) in cells.iter().zip(COLUMNS) {
            let width = WIDTH * part;
            columns.push((
                x + CELL_PADDING,
                wrap(style, cell, width - 2.0 * CELL_PADDING),
            ));
            x += width;
        }
        let leaves: Vec<usize> = columns.iter().map(|_| self.leaf()).collect();
        let height = columns.iter().map(|(_, l)| l.len()).max().unwrap_or(1);
        self.keep(style.line_height() * height.min(3) as f32 + 2.0 * CELL_PADDING);
        self.space(CELL_PADDING);
        for index in 0..height {
            self.keep(style.line_height());
            for ((x, lines), leaf) in columns.iter().zip(&leaves) {
                if let Some(line) = lines.get(index) {
                    self.place(style, line.clone(), *x, *leaf);
                }
            }
            self.y += style.line_height();
        }
        self.space(CELL_PADDING);
        self.rules.push(Rule {
            page: self.page,
            y: self.y,
        });
        let kind = if header { Kind::Header } else { Kind::Cell };
        Node::Group(
            Kind::Row,
            leaves
                .into_iter()
                .map(|leaf| Node::Leaf(kind.clone(), leaf))
                .collect(),
        )
    }
}

/// The report laid out: the structure and what goes on each page.
fn lay_out(report: &ResidentReport) -> (Vec<Node>, Layout) {
    let mut l = Layout::new();
    let mut nodes = vec![
        l.block(Kind::Paragraph, Style::Sender, &report.sender),
        l.heading(1, report::TITLE),
        l.paragraph(&report.for_whom),
    ];
    if let Some(line) = &report.conversation {
        nodes.push(l.paragraph(line));
    }

    let mut discussed = vec![l.heading(2, report::DISCUSSED)];
    match &report.domains {
        None => discussed.push(l.paragraph(report::NO_CONVERSATION)),
        Some(domains) => {
            for domain in domains {
                let mut part = vec![l.heading(3, &domain.label)];
                let items = domain.items.iter().map(|(label, text)| l.item(label, text));
                let items: Vec<Node> = items.collect();
                if !items.is_empty() {
                    part.push(Node::Group(Kind::List, items));
                }
                discussed.push(Node::Group(Kind::Section, part));
            }
        }
    }
    nodes.push(Node::Group(Kind::Section, discussed));

    let mut plan = vec![l.heading(2, report::PLAN)];
    if let Some(line) = &report.case_manager {
        plan.push(l.paragraph(line));
    }
    match &report.goals {
        None => plan.push(l.paragraph(report::NO_PLAN)),
        Some(goals) => {
            for goal in goals {
                let mut part = vec![l.heading(3, &goal.heading)];
                if !goal.actions.is_empty() {
                    let columns = report::ACTION_COLUMNS.map(str::to_owned);
                    let mut rows = vec![l.row(&columns, true)];
                    for action in &goal.actions {
                        let who = match &action.phone {
                            Some(phone) => format!("{}\n{phone}", action.who),
                            None => action.who.clone(),
                        };
                        rows.push(l.row(&[action.what.clone(), who, action.when.clone()], false));
                    }
                    part.push(Node::Group(Kind::Table, rows));
                }
                plan.push(Node::Group(Kind::Section, part));
            }
        }
    }
    nodes.push(Node::Group(Kind::Section, plan));

    if !report.involved.is_empty() {
        let heading = l.heading(2, report::INVOLVED);
        let items = report.involved.iter().map(|line| l.bullet(line)).collect();
        nodes.push(Node::Group(
            Kind::Section,
            vec![heading, Node::Group(Kind::List, items)],
        ));
    }

    let mut rights = vec![l.heading(2, report::RIGHTS)];
    rights.extend(report.rights.iter().map(|p| l.paragraph(p)));
    nodes.push(Node::Group(Kind::Section, rights));

    let mut response = vec![l.heading(2, report::RESPONSE)];
    match &report.agreement {
        None => response.push(l.paragraph("Uw reactie is nog niet vastgelegd.")),
        Some(agreement) => {
            response.push(l.paragraph(&agreement.answer));
            if !agreement.remarks.is_empty() {
                response.push(l.paragraph(&format!("Opmerkingen: {}", agreement.remarks)));
            }
            response.push(l.paragraph(&agreement.signed));
        }
    }
    nodes.push(Node::Group(Kind::Section, response));
    (nodes, l)
}

fn fill(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(colour.0, colour.1, colour.2).into(),
        ..Default::default()
    }
}

fn draw_text(surface: &mut Surface, fonts: &Fonts, style: Style, x: f32, y: f32, text: &str) {
    surface.set_fill(Some(fill(style.colour())));
    surface.draw_text(
        Point::from_xy(x, y),
        fonts.of(style).clone(),
        style.size(),
        text,
        false,
        TextDirection::Auto,
    );
}

/// The report as the bytes of a tagged PDF.
pub fn report(report: &ResidentReport) -> Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let (nodes, layout) = lay_out(report);
    let pages = layout.page + 1;
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::UA1),
        enable_tagging: true,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let mut ids: Vec<Vec<Identifier>> = (0..layout.leaves).map(|_| Vec::new()).collect();
    let page_settings = PageSettings::from_wh(PAGE.0, PAGE.1)
        .ok_or_else(|| Error::Internal("the PDF page size".into()))?;
    for page_index in 0..pages {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for line in layout.lines.iter().filter(|l| l.page == page_index) {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            draw_text(
                &mut surface,
                &fonts,
                line.style,
                line.x,
                line.baseline,
                &line.text,
            );
            surface.end_tagged();
            ids[line.leaf].push(id);
        }
        surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: krilla::color::rgb::Color::new(0xc9, 0xcd, 0xd2).into(),
            width: 0.75,
            ..Default::default()
        }));
        for rule in layout.rules.iter().filter(|r| r.page == page_index) {
            let mut path = PathBuilder::new();
            path.move_to(MARGIN, rule.y);
            path.line_to(MARGIN + WIDTH, rule.y);
            if let Some(path) = path.finish() {
                surface.draw_path(&path);
            }
        }
        surface.set_stroke(None);
        surface.end_tagged();
        surface.start_tagged(ContentTag::Artifact(ArtifactType::Footer));
        let footer = format!("{} · pagina {} van {pages}", report.sender, page_index + 1);
        draw_text(
            &mut surface,
            &fonts,
            Style::Footer,
            MARGIN,
            PAGE.1 - MARGIN / 2.0,
            &footer,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }
    let mut tree = TagTree::new();
    for node in nodes {
        if let Some(group) = group(node, &mut ids) {
            tree.push(group);
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(&layout.headings));
    document.set_metadata(
        Metadata::new()
            .title(report::TITLE.to_owned())
            .language("nl-NL".to_owned())
            .creator(format!("Keukentafel {}", shared::APP_VERSION)),
    );
    document
        .finish()
        .map_err(|e| Error::Internal(format!("the PDF: {e:?}")))
}

/// Bookmarks: each section, with its parts (a life domain, a goal) inside it.
fn outline(headings: &[(u16, String, usize, f32)]) -> Outline {
    let mut outline = Outline::new();
    let mut section: Option<OutlineNode> = None;
    for (level, text, page, y) in headings {
        let node = OutlineNode::new(
            text.clone(),
            XyzDestination::new(*page, Point::from_xy(MARGIN, *y)),
        );
        match (level, section.as_mut()) {
            (3, Some(parent)) => parent.push_child(node),
            _ => {
                if let Some(done) = section.replace(node) {
                    outline.push_child(done);
                }
            }
        }
    }
    if let Some(done) = section {
        outline.push_child(done);
    }
    outline
}

/// The krilla tag group of `node`, with the identifiers of the lines drawn for its leaves;
/// None for a leaf with no lines (a blank text).
fn group(node: Node, ids: &mut [Vec<Identifier>]) -> Option<TagGroup> {
    match node {
        Node::Leaf(kind, leaf) => {
            let lines = std::mem::take(&mut ids[leaf]);
            if lines.is_empty() {
                return None;
            }
            let mut leaf = TagGroup::new(kind.tag());
            for id in lines {
                leaf.push(id);
            }
            Some(leaf)
        }
        Node::Group(kind, children) => {
            let mut parent = TagGroup::new(kind.tag());
            for child in children {
                if let Some(child) = group(child, ids) {
                    parent.push(child);
                }
            }
            Some(parent)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_within_the_width_and_line_breaks_stay() {
        let lines = wrap(Style::Body, "een twee drie vier vijf zes\nzeven", 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("zeven"));
        for line in &lines {
            assert!(Fonts::width(Style::Body, line) <= 60.0, "{line}");
        }
        assert_eq!(
            lines.join(" ").replace("  ", " "),
            "een twee drie vier vijf zes zeven"
        );
    }

    fn sample() -> ResidentReport {
        use shared::report::*;
        ResidentReport {
            sender: "Gemeente Lindeveen · Wmo-loket".into(),
            for_whom: "Voor: Els Bakker".into(),
            conversation: Some("Keukentafelgesprek op 20-11-2026 met Anne".into()),
            domains: Some(vec![ReportDomain {
                label: "Wonen".into(),
                items: vec![("Uw situatie", "Ik woon alleen.\nDe trap is lastig.".into())],
            }]),
            case_manager: Some("Uw vaste contactpersoon (regisseur): Anne".into()),
            goals: Some(vec![ReportGoal {
                heading: "Resultaat: Zelf boodschappen doen".into(),
                actions: vec![ReportAction {
                    what: "Samen naar de supermarkt".into(),
                    who: "dochter (Netwerk)".into(),
                    phone: Some("Telefoon 0341 200 400".into()),
                    when: "05-12-2026".into(),
                }],
            }]),
            involved: vec!["Huisarts: dokter Jansen".into()],
            rights: vec!["U kunt gratis hulp krijgen.".into()],
            agreement: None,
        }
    }

    #[test]
    fn a_report_passes_the_pdf_ua_check() {
        let bytes = report(&sample()).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let mut long = sample();
        long.domains.as_mut().unwrap()[0].items[0].1 = "woord ".repeat(3000);
        assert!(report(&long).unwrap().len() > bytes.len());
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let word = "x".repeat(200);
        let lines = wrap(Style::Body, &word, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
        for line in &lines {
            assert!(Fonts::width(Style::Body, line) <= 100.0);
        }
    }
}
