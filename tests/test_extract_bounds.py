"""Bounded extraction: input capped per role, a time budget that says where it stopped, and
the work done in a worker process."""

from __future__ import annotations

from indicators import articles
from indicators.extract.sentences import split_sentences

SENTENCE = "In the first quarter of 2026, 125 container trains transited Kazakhstan. "
CATALOGUE = [{"id": "container_trains", "name": "Container trains", "unit": "trains",
              "category": "volume", "description": "container trains"}]


def test_a_paste_over_the_visitor_limit_is_cut_at_a_line_end_with_a_note():
    text = (SENTENCE + "\n") * 20_000  # about 1.5 MB
    article, note = articles.capped(articles.Article(text, None, False), articles.VISITOR)
    assert len(article.text) <= articles.VISITOR.chars
    assert article.text.endswith(SENTENCE.strip() + " ") or article.text.endswith(".")
    assert note == (f"Only the first {len(article.text):,} of {len(text):,} characters were "
                    "read: the limit for visitors is 200,000 (editors may give 2,000,000).")
    same, none = articles.capped(articles.Article(text, None, False), articles.EDITOR)
    assert same.text == text and none == ""


def test_an_exhausted_budget_stops_early_and_says_where():
    text = SENTENCE * 50
    result = articles.extract(articles.Article(text, None, False), catalogue=CATALOGUE,
                              published="2026-06-03", budget=-1)
    assert result.figures == []
    assert result.stopped_early == ("Extraction stopped at its time budget after 0 of 50 "
                                    "sentences: the figures come from the first part only.")


def test_an_editors_200_kb_article_is_read_whole_in_a_worker():
    text = SENTENCE * (200_000 // len(SENTENCE))
    assert len(text) > 195_000
    result, notes = articles.extract_bounded(articles.Article(text, None, False),
                                             catalogue=CATALOGUE, limits=articles.EDITOR,
                                             published="2026-06-03")
    assert notes == []
    assert len([f for f in result.figures if f.value == 125]) == len(split_sentences(text))


def test_sentence_splitting_keeps_abbreviations_and_initials_after_the_linear_fix():
    text = ("Freight rose 5% vs. 2024 to 4.5 mln t. The U.S. share fell. J. Smith said so. "
            "A very long word Pneumonoultramicroscopicsilicovolcanoconiosis. Next one.")
    assert [s.text for s in split_sentences(text)] == [
        "Freight rose 5% vs. 2024 to 4.5 mln t.", "The U.S. share fell.", "J. Smith said so.",
        "A very long word Pneumonoultramicroscopicsilicovolcanoconiosis.", "Next one."]
