"""Text from data is made inert for Streamlit's Markdown and Plotly's HTML subset."""

from __future__ import annotations

import json

import pandas as pd

from indicators import charts, markup

EVIL = ("![x](http://127.0.0.1:9/beacon.png) **b** <img src=x onerror=alert(1)> "
        "[x](javascript:alert(1)) :red[r] $x$ %{y}")


def test_md_escapes_every_markdown_construct_and_breaks_autolinks():
    out = markup.md(EVIL)
    assert "\\<img" in out
    for raw in ("![", "](", "**", ":red[", "$x$", "http://"):
        assert raw not in out
    assert out.replace("\\", "").replace(markup.ZERO_WIDTH, "") == EVIL
    assert markup.md(float("nan")) == "" and markup.md(None) == ""


def test_plotly_text_has_no_tags_and_no_template_fields():
    out = markup.plotly(EVIL)
    assert "<" not in out and ">" not in out and "%{" not in out
    assert "&lt;img" in out


def test_links_only_for_http_addresses():
    assert markup.web_url("javascript:alert(1)") is None
    assert markup.web_url(" https://timesca.com/?p=1 ") == "https://timesca.com/?p=1"
    assert markup.md_link("t", "javascript:alert(1)").startswith("javascript\\:")
    assert markup.md_link("a)b", "https://x.org/a_(b)") == r"[a\)b](https://x.org/a_%28b%29)"


def test_chart_hover_and_legend_carry_data_text_escaped():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-01", "2024-02-01"]), "value": [1.0, 2.0],
        "currency": ["KZT", "KZT"], "source": ["s", "s"], "source_title": [EVIL, EVIL],
        "source_kind": ["user", "user"], "source_publisher": [EVIL, EVIL],
        "unit": ["KZT per USD", "KZT per USD"]})
    spec = json.dumps(charts.rates(frame, view="per_usd").to_plotly_json())
    assert "<img" not in spec and "](javascript" in spec and "%{y}" not in spec.replace(
        "%{y:", "")
