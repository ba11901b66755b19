"""Analyzers behave like Lucene 8.7's (the vectors in tests/vectors pin the full picture)."""

from __future__ import annotations

import pytest

from synonyms.analysis import (
    ANALYZER_NAMES,
    Token,
    get_analyzer,
    parse_snowball_wordlist,
    russian_stopwords,
)
from synonyms.tokenizer import java_lower, standard_tokens, whitespace_tokens


def _texts(analyzer: str, text: str) -> tuple[str, ...]:
    return get_analyzer(analyzer).analyze(text).texts


def test_every_named_analyzer_is_available() -> None:
    assert [get_analyzer(name).name for name in ANALYZER_NAMES] == list(ANALYZER_NAMES)


def test_unknown_analyzer_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="whitespace, keyword, standard, russian"):
        get_analyzer("english")


def test_whitespace_keeps_case_and_punctuation() -> None:
    assert _texts("whitespace", " Шкаф-Купе  c++\tUSB ") == ("Шкаф-Купе", "c++", "USB")


def test_whitespace_does_not_split_on_no_break_spaces_as_java_does() -> None:
    assert whitespace_tokens("a\u00a0b c\u2009d") == ["a\u00a0b", "c", "d"]


def test_keyword_keeps_the_whole_term_even_empty() -> None:
    assert _texts("keyword", "Foo  Bar") == ("Foo  Bar",)
    assert _texts("keyword", "") == ("",)


def test_standard_splits_hyphens_and_lowercases() -> None:
    assert _texts("standard", "Шкаф-Купе") == ("шкаф", "купе")


def test_standard_keeps_decimal_numbers_and_letter_digit_runs() -> None:
    assert _texts("standard", "айфон 15 Про 1,5 л 3.5mm") == ("айфон", "15", "про", "1,5", "л", "3.5mm")


def test_standard_drops_punctuation_only_segments_and_keeps_emoji() -> None:
    assert standard_tokens("c++ 🍎 — ½ ©") == ["c", "🍎", "©"]


def test_standard_keeps_a_thai_run_as_one_token() -> None:
    assert standard_tokens("ภาษาไทย") == ["ภาษาไทย"]


def test_standard_cuts_long_tokens_at_255_chars_and_rescans_the_rest() -> None:
    assert [len(t) for t in standard_tokens("a" * 600)] == [255, 255, 90]
    assert standard_tokens("a" * 255 + "'b") == ["a" * 255, "b"]


def test_whitespace_cuts_long_tokens_counting_utf16_units() -> None:
    assert [len(t) for t in whitespace_tokens("😀" * 200)] == [128, 72]


def test_java_lowercase_has_no_final_sigma_and_plain_dotless_i() -> None:
    assert java_lower("ΣΑΣ İ") == "σασ i"
    assert java_lower("ПРИВЕТ") == "привет"


def test_snowball_wordlist_comments_start_at_a_bar() -> None:
    assert parse_snowball_wordlist(" | header\nи | and\nв во  | in\n\n") == ["и", "в", "во"]


def test_russian_stopwords_are_lucenes_list() -> None:
    words = russian_stopwords()
    assert len(words) == 159
    assert {"и", "в", "для", "не"} <= words


def test_russian_stems_and_lowercases() -> None:
    assert _texts("russian", "Телевизоры Помидоры") == ("телевизор", "помидор")


def test_russian_keeps_yo_as_lucenes_old_snowball_stemmer_does() -> None:
    assert _texts("russian", "ёлки ёжик") == ("ёлки", "ёжик")
    # ё is not a vowel there, so the stem region starts later than for "черный".
    assert _texts("russian", "чёрный черный") == ("чёрны", "черн")


def test_russian_stop_word_raises_the_next_position_increment() -> None:
    analysis = get_analyzer("russian").analyze("и в стол для кухни и")
    assert analysis.tokens == (Token("стол", 3), Token("кухн", 2))
    assert analysis.removed_stopwords == ("и", "в", "для", "и")


def test_repeated_terms_are_analyzed_once() -> None:
    analyzer = get_analyzer("russian")
    assert analyzer.analyze("Телевизоры") is analyzer.analyze("Телевизоры")
