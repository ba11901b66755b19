"""The registry: every finding code synbot's deterministic checks emit, in one place.

Codes are stable kebab-case ids that users put into ``.synbot.yml`` (severities,
``disabled``) and that fingerprints in GitLab threads depend on: never rename one. Each
entry carries its family, default severity, ru/en title and message templates, and a bad
and a fixed example; the docs page and a test that runs every example are generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from synonyms.findings import Severity
from synonyms.rules import Kind


class Family(StrEnum):
    SYNTAX = "syntax"
    ANALYSIS = "analysis"
    DUPLICATES = "duplicates"
    TYPOS = "typos"
    SYNONYMS = "synonyms"


@dataclass(frozen=True, slots=True)
class ExampleFile:
    path: str
    text: str
    kind: Kind = Kind.SYNONYMS


@dataclass(frozen=True, slots=True)
class Example:
    """A tiny dictionary; the first file is the one the code is reported on."""

    files: tuple[ExampleFile, ...]
    analyzer: str = "whitespace"
    removed: tuple[str, ...] = ()  # lines removed from the main file, for check_removed codes

    @property
    def main(self) -> ExampleFile:
        return self.files[0]


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    family: Family
    severity: Severity
    title_ru: str
    title_en: str
    message_ru: str  # str.format template
    message_en: str
    bad: Example
    fixed: Example
    fallback: bool = False  # reported for reasons no specific code names; no text triggers it today

    def message(self, language: str, **params: object) -> str:
        template = self.message_en if language == "en" else self.message_ru
        return template.format(**params)


def _syn(text: str, *extra: ExampleFile, analyzer: str = "whitespace") -> Example:
    return Example((ExampleFile("synonyms/example.txt", text), *extra), analyzer)


def _typo(text: str, *extra: ExampleFile, analyzer: str = "whitespace") -> Example:
    return Example((ExampleFile("typos/example.txt", text, Kind.TYPOS), *extra), analyzer)


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_OTHER_SYNONYMS = ExampleFile("synonyms/other.txt", "кеды, сникерсы\n")

_CODES = (
    # --- syntax --------------------------------------------------------------------------
    Code("syntax-error", Family.SYNTAX, _E,
         "Строка, которую Elasticsearch не примет", "A line Elasticsearch rejects",
         "Elasticsearch не примет строку: {reason}", "Elasticsearch rejects this line: {reason}",
         _syn("кеды, сникерсы\n"), _syn("кеды, сникерсы\n"), fallback=True),
    Code("blank-line-with-spaces", Family.SYNTAX, _E,
         "Строка из одних пробелов", "A line of only spaces",
         "Строка из одних пробелов: для Lucene это пустой термин, файл не загрузится",
         "A line of only spaces is an empty term to Lucene: the file will not load",
         _syn("кеды, сникерсы\n   \nтелик, телевизор\n"), _syn("кеды, сникерсы\n\nтелик, телевизор\n")),
    Code("empty-term", Family.SYNTAX, _E,
         "Пустой термин", "An empty term",
         "Пустой термин (лишняя запятая?): Elasticsearch отвергнет правило",
         "An empty term (a stray comma?): Elasticsearch rejects the rule",
         _syn("кеды, сникерсы, \n"), _syn("кеды, сникерсы\n")),
    Code("multiple-arrows", Family.SYNTAX, _E,
         "Несколько стрелок в строке", "Several arrows on one line",
         "Больше одной стрелки «=>» в строке: Elasticsearch отвергнет правило",
         "More than one '=>' on the line: Elasticsearch rejects the rule",
         _syn("тв => телик => телевизор\n"), _syn("тв, телик => телевизор\n")),
    # --- analysis ------------------------------------------------------------------------
    Code("term-eliminated", Family.ANALYSIS, _E,
         "Термин исчезает при анализе", "A term the analyzer removes entirely",
         "Термин «{term}» целиком исчезает при анализе ({analyzer}): Elasticsearch отвергнет правило",
         "The {analyzer} analyzer removes the term '{term}' entirely: Elasticsearch rejects the rule",
         _syn("и, также\n", analyzer="russian"), _syn("также, вдобавок\n", analyzer="russian")),
    Code("stopword-inside-term", Family.ANALYSIS, _E,
         "Стоп-слово в начале или середине фразы", "A stop word at the start or inside a phrase",
         "В термине «{term}» стоп-слово в начале или в середине: анализатор {analyzer} оставляет "
         "пропуск позиции, Elasticsearch отвергнет правило",
         "The term '{term}' has a stop word at its start or inside: the {analyzer} analyzer leaves a "
         "position gap and Elasticsearch rejects the rule",
         _syn("чехол для телефона, чехол телефона\n", analyzer="russian"),
         _syn("чехол телефона, чехол смартфона\n", analyzer="russian")),
    Code("stopword-dropped", Family.ANALYSIS, _W,
         "Стоп-слово в конце фразы молча отбрасывается", "A stop word at the end of a phrase is dropped",
         "Стоп-слово «{stopword}» в конце термина «{term}» отбрасывается анализатором {analyzer}: "
         "правило сработает для «{analyzed}»",
         "The {analyzer} analyzer silently drops the stop word '{stopword}' at the end of '{term}': "
         "the rule applies to '{analyzed}'",
         _syn("айфон 15 про, iphone 15 pro\n", analyzer="russian"),
         _syn("айфон 15 pro, iphone 15 pro\n", analyzer="russian")),
    Code("terms-equal-after-analysis", Family.ANALYSIS, _W,
         "Термины правила совпадают после анализа", "Terms of a rule equal after analysis",
         "Термины «{term}» и «{other}» после анализа одинаковы («{analyzed}»): второй лишний",
         "The terms '{term}' and '{other}' are the same after analysis ('{analyzed}'): the second is "
         "redundant",
         _syn("шкаф-купе, шкаф купе, гардероб\n", analyzer="standard"),
         _syn("шкаф-купе, гардероб\n", analyzer="standard")),
    Code("rule-does-nothing", Family.ANALYSIS, _W,
         "Правило ничего не делает", "A rule that does nothing",
         "После анализа все термины правила одинаковы («{analyzed}»): правило ничего не делает",
         "After analysis every term of the rule is '{analyzed}': the rule does nothing",
         _syn("утюг => утюги\n", analyzer="russian"), _syn("утюг, утюжок\n", analyzer="russian")),
    Code("yo-e-only-difference", Family.ANALYSIS, _W,
         "Термины отличаются только ё/е", "Terms differ only in ё/е",
         "«{term}» и «{other}» отличаются только буквой ё/е: если индекс сводит ё к е, термин лишний, "
         "а если нет, лучше сводить ё к е в анализаторе",
         "'{term}' and '{other}' differ only in ё/е: if the index folds ё to е one is redundant, and "
         "if it does not, folding in the analyzer is the better fix",
         _syn("ёлка, елка, ель\n"), _syn("ёлка, ель\n")),
    # --- duplicates ----------------------------------------------------------------------
    Code("duplicate-line", Family.DUPLICATES, _W,
         "Повтор строки", "A repeated line",
         "Точно такая же строка уже есть: {where}", "The same line already exists: {where}",
         _syn("кеды, сникерсы\nтелик, телевизор\nкеды, сникерсы\n"),
         _syn("кеды, сникерсы\nтелик, телевизор\n")),
    Code("duplicate-rule", Family.DUPLICATES, _W,
         "Повтор правила после анализа", "A rule repeated after analysis",
         "Правило делает то же, что {where}", "The rule does the same as {where}",
         _syn("кеды, сникерсы\nсникерсы, кеды\n"), _syn("кеды, сникерсы\n")),
    Code("term-in-several-groups", Family.DUPLICATES, _W,
         "Термин в нескольких группах", "A term in several groups",
         "«{term}» уже входит в группу {where}; группы не транзитивны, лучше объединить их",
         "'{term}' is already in the group at {where}; groups are not transitive, merge them",
         _syn("кеды, сникерсы\nкеды, кроссовки\n"), _syn("кеды, сникерсы, кроссовки\n")),
    Code("chained-mapping", Family.DUPLICATES, _W,
         "Цепочка замен", "A chain of mappings",
         "«{term}» само заменяется правилом {where}, а Elasticsearch не применяет правила цепочкой",
         "'{term}' is itself mapped by {where}, and Elasticsearch does not chain rules",
         _syn("тв => телик\nтелик => телевизор\n"), _syn("тв => телевизор\nтелик => телевизор\n")),
    Code("mapping-cycle", Family.DUPLICATES, _E,
         "Цикл замен", "A mapping cycle",
         "Цикл: здесь «{term}» заменяется на «{other}», а {where} заменяет «{other}» обратно на «{term}»",
         "A cycle: '{term}' becomes '{other}' here, and {where} maps '{other}' back to '{term}'",
         _syn("телик => телевизор\nтелевизор => телик\n"), _syn("телик, телевизор\n")),
    Code("duplicate-term", Family.DUPLICATES, _W,
         "Термин повторяется в правиле", "A term repeated in a rule",
         "Термин «{term}» повторяется в правиле", "The term '{term}' is repeated in the rule",
         _syn("кеды, сникерсы, кеды\n"), _syn("кеды, сникерсы\n")),
    # --- typos ---------------------------------------------------------------------------
    Code("typo-not-one-way", Family.TYPOS, _E,
         "Двусторонняя строка в файле опечаток", "A two-way line in a typo file",
         "В файле опечаток правило должно быть односторонним («опечатка => исправление»), иначе "
         "правильное слово будет находить опечатку",
         "A typo file needs one-way rules ('typo => correction'), otherwise the correct word finds the "
         "typo",
         _typo("кросовки, кроссовки\n"), _typo("кросовки => кроссовки\n")),
    Code("typo-is-real-word", Family.TYPOS, _W,
         "«Опечатка» — другое настоящее слово", "The 'typo' is another real word",
         "«{typo}» — настоящее слово ({lemmas}), а не опечатка в «{correction}»: запросы «{typo}» "
         "будут испорчены",
         "'{typo}' is a real word ({lemmas}), not a misspelling of '{correction}': queries for "
         "'{typo}' will be broken",
         _typo("колея => корея\n"), _typo("карея => корея\n")),
    Code("typo-is-word-form", Family.TYPOS, _W,
         "«Опечатка» — форма того же слова", "The 'typo' is a form of the same word",
         "«{typo}» — правильная форма слова «{correction}», а не опечатка; формы — дело стеммера",
         "'{typo}' is a correct form of '{correction}', not a misspelling; forms are the stemmer's job",
         _typo("утюги => утюг\n"), _typo("утуг => утюг\n")),
    Code("typo-reversed", Family.TYPOS, _W,
         "Перепутано направление", "Direction reversed",
         "Похоже, направление перепутано: «{correction}» нет в словаре, а «{typo}» есть",
         "The direction looks reversed: '{correction}' is not a dictionary word and '{typo}' is",
         _typo("коррекция => корекция\n"), _typo("корекция => коррекция\n")),
    Code("typo-too-far", Family.TYPOS, _W,
         "Слишком непохоже на опечатку", "Too different to be a typo",
         "«{typo}» слишком далеко от «{correction}» для опечатки: {distance} правок при длине {length} "
         "(допустимо {limit})",
         "'{typo}' is too far from '{correction}' for a typo: {distance} edits at length {length} "
         "(at most {limit})",
         _typo("кросы => кроссовки\n"), _typo("кросовки => кроссовки\n")),
    Code("layout-comma-unescaped", Family.TYPOS, _E,
         "Неэкранированная запятая в раскладке", "Unescaped comma in a layout slip",
         "«{typed}» — это «{correction}» в другой раскладке, но запятая (клавиша «б») не экранирована "
         "и делит термин на части; нужно «\\,»",
         "'{typed}' is '{correction}' typed on the other layout, but its comma (the 'б' key) is not "
         "escaped and splits the term; write '\\,'",
         _typo("yjen,er => ноутбук\n"), _typo("yjen\\,er => ноутбук\n")),
    Code("typo-is-synonym-term", Family.TYPOS, _W,
         "Опечатка — термин словаря синонимов", "A typo that is a synonym term",
         "Опечатка «{typo}» — термин словаря синонимов ({where}): исправление его перепишет",
         "The typo '{typo}' is a term of the synonym dictionary ({where}): the correction rewrites it",
         _typo("сникерсы => кеды\n", _OTHER_SYNONYMS), _typo("снискерсы => сникерсы\n", _OTHER_SYNONYMS)),
    # --- synonyms ------------------------------------------------------------------------
    Code("unescaped-decimal-comma", Family.SYNONYMS, _E,
         "Запятая в числе", "A comma inside a number",
         "Запятая в «{number}» делит термин на части; экранируйте её: «{escaped}»",
         "The comma in '{number}' splits the term; escape it: '{escaped}'",
         _syn("1,5 л, полтора литра\n"), _syn("1\\,5 л, полтора литра\n")),
    Code("stopword-in-term", Family.SYNONYMS, _I,
         "Стоп-слово в термине", "A stop word in a term",
         "В термине «{term}» есть стоп-слово «{stopword}»: если анализатор запроса его выбросит, фраза "
         "не совпадёт",
         "The term '{term}' contains the stop word '{stopword}': if the query analyzer drops it, the "
         "phrase will not match",
         _syn("чехол для телефона, чехол телефона\n"), _syn("чехол телефона, чехол смартфона\n")),
    Code("mixed-script", Family.SYNONYMS, _E,
         "Смешаны кириллица и латиница", "Mixed Cyrillic and Latin letters",
         "В слове «{word}» смешаны кириллица и латиница: такой термин не совпадёт с запросом",
         "The word '{word}' mixes Cyrillic and Latin letters: it will not match a query",
         _syn("пылесоc, vacuum cleaner\n"), _syn("пылесос, vacuum cleaner\n")),
    Code("number-mismatch", Family.SYNONYMS, _W,
         "Разные числа в синонимах", "Different numbers in synonyms",
         "Числа в «{term}» и «{other}» не совпадают: это разные товары",
         "The numbers in '{term}' and '{other}' differ: these are different products",
         _syn("iphone 15, iphone 14\n"), _syn("iphone 15, айфон 15\n")),
    Code("group-too-large", Family.SYNONYMS, _W,
         "Слишком большая группа", "A group that is too large",
         "В правиле {size} терминов (больше {limit}): такие группы обычно склеивают разные понятия",
         "The rule has {size} terms (more than {limit}): groups this large usually merge different things",
         _syn("a, b, c, d, e, f, g, h, i, j, k, l\n"), _syn("a, b, c\n")),
    Code("removed-rule-referenced", Family.DUPLICATES, _W,
         "Удалённое правило ещё нужно", "A removed rule is still relied upon",
         "Удалённое правило раскрывало «{term}», а {where} по-прежнему ведёт к «{term}»",
         "The removed rule expanded '{term}', and {where} still maps to '{term}'",
         Example((ExampleFile("synonyms/example.txt", "тв => телик\n"),), removed=("телик, телевизор",)),
         Example((ExampleFile("synonyms/example.txt", "тв, телик, телевизор\n"),),
                 removed=("телик, телевизор",))),
)  # fmt: skip

REGISTRY: dict[str, Code] = {code.code: code for code in _CODES}


def get(code: str) -> Code:
    return REGISTRY[code]
