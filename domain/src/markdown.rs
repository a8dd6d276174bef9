//! Markdown written by staff, rendered for any reader: CommonMark to HTML, then sanitised with an
//! allow-list (no scripts, no event handlers, no `javascript:` links, no inline styles), so what
//! a page inserts as HTML can only be formatting.

use pulldown_cmark::{Options, Parser, html};

/// Safe HTML for a Markdown text.
pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn formatting_survives() {
        let html = to_safe_html("**Done**\n\n- one\n- two\n\n[vendor](https://example.com)");
        assert!(html.contains("<strong>Done</strong>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains(r#"href="https://example.com""#) && html.contains("noopener"));
    }

    #[test]
    fn scripts_and_handlers_do_not() {
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p style=\"position:fixed\">x</p>",
            "<svg onload=alert(1)>",
        ] {
            let html = to_safe_html(evil);
            for bad in ["<script", "onerror", "javascript:", "<iframe", "style=", "onload"] {
                assert!(!html.contains(bad), "{evil} → {html}");
            }
        }
    }
}
