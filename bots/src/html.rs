/// Turns plain text into safe HTML: everything escaped, line breaks kept.
pub fn plain_to_html(text: &str) -> String {
    html_escape::encode_text(text).replace('\n', "<br>")
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
