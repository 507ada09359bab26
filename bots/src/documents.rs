//! The document register: the files (`m.file`) shared in a room, with who shared them and
//! when. Matrix keeps the files; szpon keeps only references to their events, so a file is
//! reached through the room, by its members, and a file deleted from the room leaves the
//! register too.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use ruma::{OwnedEventId, OwnedMxcUri, OwnedRoomId, OwnedUserId};
use serde::{Deserialize, Serialize};

use crate::{Lang, Notice, booking::format, i18n::message_with};

/// Files shown in one answer at most; the rest are counted.
pub const REGISTER_LIMIT: usize = 30;
/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A file message as the bots see it: what it is, not its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedFile {
    pub name: String,
    pub mimetype: Option<String>,
    pub size: Option<u64>,
    /// Where the homeserver keeps it; in an encrypted room, the ciphertext.
    pub url: OwnedMxcUri,
}

impl SharedFile {
    /// The name as shown: trimmed, without line breaks, and cut to [`MAX_NAME_CHARS`].
    pub fn display_name(name: &str) -> String {
        let name: String = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return "plik".to_owned();
        }
        name.chars().take(MAX_NAME_CHARS).collect()
    }
}

/// One entry of a room's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub room_id: OwnedRoomId,
    pub event_id: OwnedEventId,
    pub sender: OwnedUserId,
    pub file: SharedFile,
    pub shared_at: DateTime<Utc>,
}

impl Document {
    /// The file's event as a link a Matrix client opens in the room.
    pub fn link(&self) -> String {
        self.room_id.matrix_to_event_uri(self.event_id.clone()).to_string()
    }
}

/// A file attached to a task: the file's event, by which the room shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub room_id: OwnedRoomId,
    pub event_id: OwnedEventId,
    pub name: String,
}

impl Attachment {
    pub fn of(document: &Document) -> Self {
        Attachment {
            room_id: document.room_id.clone(),
            event_id: document.event_id.clone(),
            name: document.file.name.clone(),
        }
    }

    pub fn link(&self) -> String {
        self.room_id.matrix_to_event_uri(self.event_id.clone()).to_string()
    }
}

/// A change to the register, written with the turn's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentChange {
    /// A file shared; seeing its event again changes nothing.
    Record(Document),
    /// An event deleted from the room (redacted): if it was a file, it leaves the register.
    Forget { room_id: OwnedRoomId, event_id: OwnedEventId },
}

/// What `!dokumenty` needs: the newest files, [`REGISTER_LIMIT`] at most, and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentsView {
    pub listed: Vec<Document>,
    pub count: u64,
}

/// A room's register as an answer: newest first, each with who shared it and when.
pub fn register_notice(view: &DocumentsView, zone: Tz, lang: Lang) -> Notice {
    if view.count == 0 {
        return Notice::from_plain(message_with(lang, "documents-empty", &[]));
    }
    let header = message_with(lang, "documents-header", &[("count", view.count.into())]);
    let mut plain = header.clone();
    let mut html = format!("<p>{}</p><ol>", html_escape::encode_text(&header));
    for document in &view.listed {
        let shared = document.shared_at.with_timezone(&zone);
        let mut details = vec![
            document.sender.to_string(),
            format::day(shared.date_naive(), lang),
            shared.format("%-H:%M").to_string(),
        ];
        details.extend(document.file.size.map(|s| size(s, lang)));
        let details = details.join(", ");
        plain.push_str(&format!("\n📄 {} — {details}", document.file.name));
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a> — {}</li>",
            html_escape::encode_double_quoted_attribute(&document.link()),
            html_escape::encode_text(&document.file.name),
            html_escape::encode_text(&details),
        ));
    }
    html.push_str("</ol>");
    let rest = view.count.saturating_sub(view.listed.len() as u64);
    if rest > 0 {
        let more = message_with(lang, "documents-more", &[("count", rest.into())]);
        plain.push_str(&format!("\n{more}"));
        html.push_str(&format!("<p>{}</p>", html_escape::encode_text(&more)));
    }
    Notice::new(plain, html)
}

/// "240 kB", "1,5 MB": a size as people read it (a decimal comma in Polish).
pub fn size(bytes: u64, lang: Lang) -> String {
    const KB: f64 = 1000.0;
    let bytes_f = bytes as f64;
    let (value, unit) = if bytes_f < KB {
        return format!("{bytes} B");
    } else if bytes_f < KB * KB {
        (bytes_f / KB, "kB")
    } else if bytes_f < KB * KB * KB {
        (bytes_f / KB / KB, "MB")
    } else {
        (bytes_f / KB / KB / KB, "GB")
    };
    let text = if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") };
    let text = if lang == Lang::En { text } else { text.replace('.', ",") };
    format!("{text} {unit}")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use ruma::{owned_event_id, owned_mxc_uri, owned_room_id, owned_user_id};

    use super::*;

    fn document(name: &str, size: Option<u64>) -> Document {
        Document {
            room_id: owned_room_id!("!zespol:localhost"),
            event_id: owned_event_id!("$plik"),
            sender: owned_user_id!("@ewa:localhost"),
            file: SharedFile {
                name: name.into(),
                mimetype: Some("application/pdf".into()),
                size,
                url: owned_mxc_uri!("mxc://localhost/abc"),
            },
            shared_at: chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 24, 9, 5, 0).unwrap().to_utc(),
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(512, Lang::Pl), "512 B");
        assert_eq!(size(240_000, Lang::Pl), "240 kB");
        assert_eq!(size(1_500_000, Lang::Pl), "1,5 MB");
        assert_eq!(size(1_500_000, Lang::En), "1.5 MB");
        assert_eq!(size(3_000_000_000, Lang::Pl), "3,0 GB");
    }

    #[test]
    fn names_are_one_line_and_never_empty() {
        assert_eq!(SharedFile::display_name("  Umowa\n najmu.pdf "), "Umowa najmu.pdf");
        assert_eq!(SharedFile::display_name(" \n"), "plik");
        assert_eq!(SharedFile::display_name(&"a".repeat(500)).chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn the_register_links_each_file_and_escapes_its_name() {
        let view = DocumentsView { listed: vec![document("<b>Umowa</b>.pdf", Some(240_000))], count: 3 };
        let notice = register_notice(&view, chrono_tz::Europe::Warsaw, Lang::Pl);
        assert_eq!(
            notice.plain,
            "Dokumenty udostępnione w tym pokoju (3):\n\
             📄 <b>Umowa</b>.pdf — @ewa:localhost, wtorek, 24 listopada, 9:05, 240 kB\n\
             … i jeszcze 2 starsze."
        );
        let html = notice.html;
        assert!(
            html.contains(
                "<a href=\"https://matrix.to/#/!zespol:localhost/$plik\" rel=\"noopener noreferrer\">&lt;b&gt;Umowa&lt;/b&gt;.pdf</a>"
            ),
            "{html}"
        );
        let empty = register_notice(&DocumentsView::default(), chrono_tz::Europe::Warsaw, Lang::Pl);
        assert!(
            empty.plain.starts_with("W tym pokoju nikt jeszcze nie udostępnił pliku."),
            "{}",
            empty.plain
        );
    }
}
