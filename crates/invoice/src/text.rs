//! The bundled typeface (DejaVu Sans, regular and bold, see `fonts/LICENSE`) and the one
//! text operation the layout needs: shape a line once, know its width, draw it later.
//!
//! Shaping uses rustybuzz, the shaper krilla itself uses, so measured and drawn widths
//! are the same numbers: right-aligned amounts line up exactly.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, UnicodeBuffer};

use crate::InvoiceError;

static REGULAR_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One face: the PDF font (parsed and hashed once per process) and its shaper.
pub(crate) struct Typeface {
    pub(crate) font: Font,
    face: rustybuzz::Face<'static>,
}

/// Both weights, loaded once: parsing and hashing 1.4 MB of fonts per invoice would cost
/// more than writing the invoice.
pub(crate) struct Typefaces {
    regular: Typeface,
    bold: Typeface,
}

impl Typefaces {
    pub(crate) fn get(&self, weight: Weight) -> &Typeface {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// Loaded on first use; a failure names the font file (a broken build, not user data).
static TYPEFACES: OnceLock<Result<Typefaces, &'static str>> = OnceLock::new();

/// The bundled typefaces, loaded on first use.
pub(crate) fn typefaces() -> Result<&'static Typefaces, InvoiceError> {
    match TYPEFACES.get_or_init(load) {
        Ok(faces) => Ok(faces),
        Err(name) => Err(InvoiceError::Font(name)),
    }
}

fn load() -> Result<Typefaces, &'static str> {
    Ok(Typefaces {
        regular: typeface(REGULAR_BYTES, "DejaVuSans.ttf")?,
        bold: typeface(BOLD_BYTES, "DejaVuSans-Bold.ttf")?,
    })
}

fn typeface(bytes: &'static [u8], name: &'static str) -> Result<Typeface, &'static str> {
    let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(bytes);
    let font = Font::new(data.into(), 0).ok_or(name)?;
    let face = rustybuzz::Face::from_slice(bytes, 0).ok_or(name)?;
    Ok(Typeface { font, face })
}

/// A shaped single line, ready to draw.
#[derive(Debug, Clone)]
pub(crate) struct Shaped {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) weight: Weight,
    pub(crate) size: f32,
    /// Advance width in points at `size`.
    pub(crate) width: f32,
}

impl Typeface {
    /// Shapes `text` on one line at `size` points.
    pub(crate) fn shape(&self, text: &str, size: f32, weight: Weight) -> Shaped {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let ltr = matches!(
            buffer.direction(),
            Direction::LeftToRight | Direction::TopToBottom | Direction::Invalid
        );
        let output = rustybuzz::shape(&self.face, &[], buffer);
        let upem = self.font.units_per_em();
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut advance = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let x_advance = pos.x_advance as f32 / upem;
            advance += x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                x_advance,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                cluster_range(infos, i, ltr, text.len()),
                None,
            ));
        }
        Shaped {
            text: text.to_string(),
            glyphs,
            weight,
            size,
            width: advance * size,
        }
    }

    /// Characters of `text` this face has no glyph for (they would print as boxes).
    pub(crate) fn missing(&self, text: &str) -> Vec<char> {
        text.chars()
            .filter(|c| !c.is_control() && self.face.glyph_index(*c).is_none())
            .collect()
    }

    /// Breaks `text` into lines no wider than `max_width` points at `size`: at spaces
    /// when it can, inside a word only when one word alone is too wide.
    pub(crate) fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let fits = |s: &str| self.shape(s, size, Weight::Regular).width <= max_width;
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if fits(&candidate) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            if fits(word) {
                current = word.to_string();
            } else {
                let mut pieces = break_word(word, &fits);
                current = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }
}

/// Splits one over-wide word into pieces that each fit (at least one char per piece).
fn break_word(word: &str, fits: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for ch in word.chars() {
        piece.push(ch);
        if !fits(&piece) && piece.chars().count() > 1 {
            piece.pop();
            pieces.push(std::mem::take(&mut piece));
            piece.push(ch);
        }
    }
    pieces.push(piece);
    pieces
}

/// The byte range of the source text behind glyph `i` (its whole cluster), as krilla's own
/// shaper computes it, so copy-paste and text extraction give back the original text.
fn cluster_range(
    infos: &[rustybuzz::GlyphInfo],
    i: usize,
    ltr: bool,
    text_len: usize,
) -> Range<usize> {
    let cluster = infos.get(i).map_or(0, |g| g.cluster);
    let start = cluster as usize;
    let same = |j: usize| infos.get(j).is_some_and(|g| g.cluster == cluster);
    let end = if ltr {
        let mut j = i + 1;
        while same(j) {
            j += 1;
        }
        infos.get(j).map_or(text_len, |g| g.cluster as usize)
    } else {
        let mut j = i;
        while j > 0 && same(j - 1) {
            j -= 1;
        }
        match j.checked_sub(1).and_then(|k| infos.get(k)) {
            Some(g) => g.cluster as usize,
            None => text_len,
        }
    };
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_load_and_cover_the_names_we_promise() {
        let faces = typefaces().unwrap();
        for name in [
            "Zoë Müller",
            "Łukasz Nowak",
            "Trần Ngọc Anh",
            "€ £ $",
            "Ærøskøbing",
        ] {
            assert!(
                faces.get(Weight::Regular).missing(name).is_empty(),
                "DejaVu Sans must have a glyph for every character of {name:?}"
            );
            assert!(
                faces.get(Weight::Bold).missing(name).is_empty(),
                "DejaVu Sans Bold must have a glyph for every character of {name:?}"
            );
        }
        assert_eq!(
            faces.get(Weight::Regular).missing("山田"),
            vec!['山', '田'],
            "CJK is outside DejaVu Sans and must be reported"
        );
    }

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let face = typefaces().unwrap().get(Weight::Regular);
        let text = "Logo design with three concepts, vector files and a brand guide \
                    Supercalifragilisticexpialidociousextraordinarilylongword";
        let lines = face.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 2, "a long text must wrap, got {lines:?}");
        for line in &lines {
            assert!(
                face.shape(line, 10.0, Weight::Regular).width <= 120.0,
                "line {line:?} must fit the column"
            );
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            text.replace(' ', ""),
            "wrapping must not drop or reorder characters"
        );
        assert_eq!(face.wrap("", 10.0, 50.0), vec![String::new()]);
    }

    #[test]
    fn width_grows_with_text_and_size() {
        let face = typefaces().unwrap().get(Weight::Regular);
        let short = face.shape("$1.00", 10.0, Weight::Regular).width;
        let long = face.shape("$1,000.00", 10.0, Weight::Regular).width;
        let big = face.shape("$1.00", 20.0, Weight::Regular).width;
        assert!(short > 0.0 && long > short, "more digits must be wider");
        assert!(
            (big - 2.0 * short).abs() < 0.01,
            "width must scale with size"
        );
    }
}
