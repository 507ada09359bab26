/// Turns plain text into safe HTML: everything escaped, line breaks kept.
pub fn plain_to_html(text: &str) -> String {
    html_escape::encode_text(text).replace('\n', "<br>")
}

/// A lesson's Markdown as HTML for a `formatted_body`, sanitised. HTML written in the Markdown
/// is shown as text, never passed on.
pub fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize_html(&html)
}

/// Cleans HTML before it goes into a `formatted_body`, keeping only the tags Matrix clients
/// render (a subset of the spec's list) and dropping scripts, handlers and styles.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .tags(
            [
                "b",
                "strong",
                "i",
                "em",
                "u",
                "s",
                "code",
                "pre",
                "br",
                "p",
                "ul",
                "ol",
                "li",
                "a",
                "blockquote",
                "h3",
                "h4",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["https", "http", "mailto", "matrix"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_and_html_in_it_stays_text() {
        let html = markdown_to_html(
            "**Szkło** [gmina](https://gmina.example.pl) <img src=x onerror=alert(1)>\n\n- a\n- b",
        );
        assert!(html.contains("<strong>Szkło</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://gmina.example.pl" rel="noopener noreferrer">gmina</a>"#),
            "{html}"
        );
        assert!(html.contains("&lt;img"), "{html}");
        assert!(html.contains("<li>a</li>"), "{html}");
        assert!(!markdown_to_html("[x](javascript:alert(1))").contains("javascript"));
    }

    #[test]
    fn plain_text_is_escaped() {
        assert_eq!(
            plain_to_html("<script>alert(1)</script>\na & b"),
            "&lt;script&gt;alert(1)&lt;/script&gt;<br>a &amp; b"
        );
    }

    #[test]
    fn sanitizer_drops_scripts_and_handlers() {
        let dirty = r#"<b onclick="x()">ok</b><script>alert(1)</script><a href="javascript:x()">l</a>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(clean.contains("<b>ok</b>"), "{clean}");
    }
}
