//! Writes the laid-out invoice as a PDF with krilla, embedding a subset of the bundled
//! DejaVu Sans so every machine prints the same glyphs, offline.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::{Document, SerializeSettings};

use crate::InvoiceError;
use crate::data::InvoiceData;
use crate::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, layout};
use crate::text::{Weight, typefaces};

/// The sales invoice as PDF bytes (A4, one page unless the lines need more).
///
/// The output depends only on `data`: no clock is read, so the same invoice gives the
/// same bytes.
pub fn render_pdf(data: &InvoiceData) -> Result<Vec<u8>, InvoiceError> {
    let faces = typefaces()?;
    let pages = layout(data, faces);
    let mut document = Document::new_with(SerializeSettings::default());
    document.set_metadata(
        Metadata::new()
            .title(format!("Sales invoice {}", data.number))
            .authors(vec![data.seller.name.clone()])
            .creator("sellerdesk".to_string())
            .language("en".to_string()),
    );
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| InvoiceError::Pdf("invalid page size".to_string()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, faces);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| InvoiceError::Pdf(e.to_string()))
}

/// Characters of the invoice's text that the bundled font cannot show (they would print
/// as empty boxes), so the caller can warn before saving. Empty for Latin, Greek,
/// Cyrillic, Vietnamese and the currency signs; CJK names are not covered.
pub fn unsupported_characters(data: &InvoiceData) -> Result<Vec<char>, InvoiceError> {
    let faces = typefaces()?;
    let mut texts: Vec<&str> = vec![
        &data.number,
        &data.seller.name,
        &data.buyer.name,
        &data.order_id,
        &data.order_title,
        &data.marketplace,
        &data.currency,
        &data.fee_label,
    ];
    texts.extend(data.seller.lines.iter().map(String::as_str));
    texts.extend(data.buyer.lines.iter().map(String::as_str));
    texts.extend(data.lines.iter().map(|(d, _)| d.as_str()));
    let mut missing: Vec<char> = texts
        .into_iter()
        .flat_map(|t| faces.get(Weight::Bold).missing(t))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    Ok(missing)
}

fn gray_fill(gray: u8) -> Fill {
    Fill {
        paint: luma::Color::new(gray).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface<'_>, op: Op, faces: &crate::text::Typefaces) {
    match op {
        Op::Text { x, y, line, gray } => {
            surface.set_stroke(None);
            surface.set_fill(Some(gray_fill(gray)));
            let font = faces.get(line.weight).font.clone();
            surface.draw_glyphs(
                Point::from_xy(x, y),
                &line.glyphs,
                font,
                &line.text,
                line.size,
                false,
            );
        }
        Op::Rule { x1, x2, y, gray } => {
            let mut pb = PathBuilder::new();
            pb.move_to(x1, y);
            pb.line_to(x2, y);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: luma::Color::new(gray).into(),
                    width: 0.6,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Band { x, y, w, h, gray } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(gray_fill(gray)));
                surface.draw_path(&path);
            }
        }
    }
}
