"""Lesson Markdown becomes safe HTML: no script, no handlers, no javascript: links."""

from lms.courses.rendering import render_markdown, render_question_text


def test_markdown_tables_images_and_media_links():
    html = render_markdown("## Mục\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![Sơ đồ](media/so-do.svg)", "/courses/IU01/media/")
    assert "<h2>Mục</h2>" in html and "<table>" in html
    assert '<img src="/courses/IU01/media/so-do.svg" alt="Sơ đồ">' in html


def test_scripts_handlers_and_javascript_links_are_removed():
    source = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[bấm](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">x</a>\n\n<iframe src=https://evil></iframe>"
    )
    html = render_markdown(source)
    for bad in ("<script", "onerror", "href=\"javascript", "<iframe", "alert(1)", "alert(2)"):
        assert bad not in html


def test_external_links_get_noopener():
    html = render_markdown("[Cổng DVC](https://dichvucong.gov.vn)")
    assert 'href="https://dichvucong.gov.vn"' in html and 'rel="noopener noreferrer"' in html


def test_question_formats():
    assert render_question_text("a < b\nc", "plain") == "a &lt; b<br>c"
    assert render_question_text("**đậm**", "markdown").strip() == "<p><strong>đậm</strong></p>"
    assert render_question_text("<b>x</b><script>y</script>", "html") == "<b>x</b>"
