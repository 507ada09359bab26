//! Course certificates: a course finished with a passing score earns one, sent as a PDF in the
//! learner's direct chat, with a code that anyone can check on szpon's page
//! `/certyfikat/<code>`. The store draws the code (about 74 random bits) when it keeps the
//! certificate, once per learner and course; the PDF is drawn here, on delivery, from what the
//! store kept, with a font that has every Polish letter embedded.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Utc};
use krilla::{
    Document,
    color::rgb,
    geom::{PathBuilder, Point, Rect},
    metadata::Metadata,
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, Stroke},
    text::{Font, TextDirection},
};
use ruma::{OwnedUserId, UserId};
use serde::{Deserialize, Serialize};
use szpon_course_engine::{Course, Delivery};
use thiserror::Error;

use crate::{
    Effect, Lang, Notice,
    booking::format::full_date,
    i18n::{message, message_with},
    learning::{CourseFile, DirectMessage},
};

/// What the store keeps of certificates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateChange {
    /// A course finished with a passing score: kept once per learner and course, under a code
    /// the store draws.
    Earned {
        user_id: OwnedUserId,
        course_id: String,
        version: i64,
        title: String,
        minutes: Option<u32>,
        /// In percent, for a course with quizzes.
        score: Option<u8>,
        at: DateTime<Utc>,
    },
}

/// A certificate as kept, for the PDF and the check page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub code: String,
    pub user_id: OwnedUserId,
    /// The learner's display name when the certificate was first sent; their ID until then.
    pub learner_name: Option<String>,
    pub course_id: String,
    pub title: String,
    pub minutes: Option<u32>,
    pub score: Option<u8>,
    pub issued_at: DateTime<Utc>,
}

impl Certificate {
    /// The name the certificate shows: the display name, else the ID's local part.
    pub fn name(&self) -> &str {
        self.learner_name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(self.user_id.localpart())
    }

    /// "ABCD-EFGH-JKLM-NPQR": the code in groups of four, as printed.
    pub fn printed_code(&self) -> String {
        let chars: Vec<char> = self.code.chars().collect();
        chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
    }

    /// "2 godz." / "1,5 godz.": the learning time, as the certificate states it.
    pub fn hours(&self) -> Option<String> {
        let minutes = self.minutes?;
        let hours = f64::from(minutes) / 60.0;
        let text = if minutes % 60 == 0 { format!("{}", minutes / 60) } else { format!("{hours:.1}") };
        Some(text.replace('.', ","))
    }
}

/// A code as a person may type it: case, dashes and spaces do not matter.
pub fn normalize_code(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_CHARS && code.chars().all(|c| c.is_ascii_alphanumeric())).then_some(code)
}

/// Characters in a certificate's code: 16 of the visit codes' 25 unmistakable letters and digits,
/// about 74 bits, so that guessing one is hopeless (and the check page limits how fast anyone
/// may try).
pub const CODE_CHARS: usize = 16;

/// What a learner turn that finished a course earns: for a passing score, the certificate kept
/// and, in the learner's direct chat, a word about it and its PDF.
pub fn earned(
    learner: &UserId,
    course: &Course,
    version: i64,
    said: &[Delivery],
    lang: Lang,
    now: DateTime<Utc>,
) -> Option<(Effect, Vec<DirectMessage>)> {
    let score = said.iter().find_map(|delivery| match delivery {
        Delivery::Completed { score, passed: true } => Some(*score),
        _ => None,
    })?;
    let change = CertificateChange::Earned {
        user_id: learner.to_owned(),
        course_id: course.id.clone(),
        version,
        title: course.title.clone(),
        minutes: course.minutes,
        score: score.map(|s| (s * 100.0).round().clamp(0.0, 100.0) as u8),
        at: now,
    };
    let text = message_with(lang, "certificate-earned", &[("course", course.title.clone().into())]);
    let file = CourseFile::Certificate { user_id: learner.to_owned(), course_id: course.id.clone() };
    let messages = vec![DirectMessage::Notice(Notice::from_plain(text)), DirectMessage::File(file)];
    Some((Effect::Certificate(change), messages))
}

/// The PDF's file name.
pub fn file_name(course_id: &str) -> String {
    format!("certyfikat-{course_id}.pdf")
}

#[derive(Debug, Error)]
pub enum CertificateError {
    #[error("the certificate's font cannot be read")]
    Font,
    #[error("the certificate's page or frame has no area")]
    Geometry,
    #[error("the PDF cannot be written: {0:?}")]
    Pdf(krilla::error::KrillaError),
}

static FONT: LazyLock<Option<Font>> = LazyLock::new(|| {
    let bytes: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(include_bytes!("../assets/DejaVuSans.ttf"));
    Font::new(bytes.into(), 0)
});

/// The certificate as a one-page PDF (A4, landscape), in Polish: the office, the learner's name,
/// the course, the date, the hours and score where known, and the code with the page that
/// checks it (`check_url`).
pub fn render_pdf(
    certificate: &Certificate,
    office: &str,
    zone: chrono_tz::Tz,
    check_url: &str,
) -> Result<Vec<u8>, CertificateError> {
    let font = FONT.clone().ok_or(CertificateError::Font)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Certyfikat: {}", certificate.title))
            .creator("szpon".to_owned())
            .language("pl".to_owned()),
    );
    let (width, height) = (842.0, 595.0);
    let mut page =
        document.start_page_with(PageSettings::from_wh(width, height).ok_or(CertificateError::Geometry)?);
    let mut surface = page.surface();
    let navy = rgb::Color::new(0x1f, 0x3a, 0x68);
    surface.set_stroke(Some(Stroke { paint: navy.into(), width: 4.0, ..Stroke::default() }));
    surface.set_fill(None);
    let mut frame = PathBuilder::new();
    frame.push_rect(
        Rect::from_xywh(28.0, 28.0, width - 56.0, height - 56.0).ok_or(CertificateError::Geometry)?,
    );
    if let Some(frame) = frame.finish() {
        surface.draw_path(&frame);
    }
    surface.set_stroke(None);
    let text = |surface: &mut krilla::surface::Surface<'_>, y: f32, size: f32, line: &str| {
        surface.draw_text(Point::from_xy(72.0, y), font.clone(), size, line, false, TextDirection::Auto);
    };
    surface.set_fill(Some(Fill { paint: navy.into(), opacity: NormalizedF32::ONE, ..Fill::default() }));
    text(&mut surface, 90.0, 16.0, &clip(office, 70));
    text(&mut surface, 160.0, 40.0, &message(Lang::Pl, "certificate-pdf-heading"));
    surface.set_fill(Some(Fill::default()));
    text(&mut surface, 215.0, 16.0, &message(Lang::Pl, "certificate-pdf-confirms"));
    text(&mut surface, 262.0, 30.0, &clip(certificate.name(), 45));
    text(&mut surface, 305.0, 16.0, &message(Lang::Pl, "certificate-pdf-course"));
    let mut y = 345.0;
    for line in wrap(&format!("„{}”", certificate.title), 48).iter().take(3) {
        text(&mut surface, y, 24.0, line);
        y += 32.0;
    }
    let mut facts = vec![message_with(
        Lang::Pl,
        "certificate-pdf-date",
        &[("date", full_date(certificate.issued_at.with_timezone(&zone).date_naive(), Lang::Pl).into())],
    )];
    facts.extend(
        certificate.hours().map(|h| message_with(Lang::Pl, "certificate-pdf-hours", &[("hours", h.into())])),
    );
    facts.extend(
        certificate
            .score
            .map(|s| message_with(Lang::Pl, "certificate-pdf-score", &[("score", i64::from(s).into())])),
    );
    text(&mut surface, y + 14.0, 14.0, &facts.join("   ·   "));
    let code = message_with(Lang::Pl, "certificate-pdf-code", &[("code", certificate.printed_code().into())]);
    text(&mut surface, 505.0, 12.0, &code);
    let check = message_with(Lang::Pl, "certificate-pdf-check", &[("url", check_url.to_owned().into())]);
    text(&mut surface, 525.0, 12.0, &clip(&check, 110));
    surface.finish();
    page.finish();
    document.finish().map_err(CertificateError::Pdf)
}

/// At most `limit` characters, with an ellipsis where cut.
fn clip(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let cut: String = text.chars().take(limit.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Words in lines of at most `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let word = clip(word, width);
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines
}

#[cfg(test)]
mod tests;
