"""The recognizer's fixed vocabulary, loaded once from ``resources/gazetteer``.

Nothing here names a particular story: only real-world states, echelon words and the grammar
words that surround unit names.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from companion.resources import data_dir

GAZETTEER_DIR = data_dir("resources") / "gazetteer"


@dataclass(frozen=True)
class Surface:
    """What a known surface string denotes: ``entity`` of ``kind``, written as ``form``."""

    entity: str
    kind: str  # nation | organization | place | unit
    form: str  # name | adj | people | acronym | alias


@dataclass
class Lexicon:
    """All fixed tables the grammar needs; see ``load_lexicon``."""

    surfaces: dict[str, Surface] = field(default_factory=dict)
    first_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)  # "army group" -> "army group"
    head_first: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    plural_heads: dict[str, str] = field(default_factory=dict)
    numbered_only: frozenset[str] = frozenset()
    ladder: tuple[str, ...] = ()
    ladder_alias: dict[str, str] = field(default_factory=dict)
    lower_echelon: dict[str, str] = field(default_factory=dict)
    lower_plural: frozenset[str] = frozenset()
    named_troops: dict[str, str] = field(default_factory=dict)
    national_services: dict[str, str] = field(default_factory=dict)
    unit_words: frozenset[str] = frozenset()
    name_possessives: frozenset[str] = frozenset()  # "People's" in "People's Liberation Army"
    org_heads: dict[str, str] = field(default_factory=dict)
    gov_prefix: dict[str, int] = field(default_factory=dict)  # "people's republic" -> 2 tokens
    gov_suffix: dict[str, int] = field(default_factory=dict)
    gov_words: frozenset[str] = frozenset()
    gov_list_triggers: frozenset[str] = frozenset()
    language_before: frozenset[str] = frozenset()
    language_after: frozenset[str] = frozenset()
    language_context: frozenset[str] = frozenset()  # "in French." (nothing named after it)
    clause_words: frozenset[str] = frozenset()  # words after a demonym used as a noun
    language_of: frozenset[str] = frozenset()  # "twenty words of Russian"
    land_nouns: frozenset[str] = frozenset()  # "the Korean peninsula": the land, no state
    civil_groups: frozenset[str] = frozenset()  # "the Gentle Brigade, a five-piece band"
    state_nouns: frozenset[str] = frozenset()  # "the Hulunbuir side": the state
    nation_compounds: frozenset[str] = frozenset()  # "Soviet-built": a nation named
    abbreviated_heads: dict[str, str] = field(default_factory=dict)  # "div" -> "Division"
    not_demonyms: frozenset[str] = frozenset()  # "Christian(s)": no state's people
    given_names: frozenset[str] = frozenset()  # "Walter": "Walter France" is a person
    state_words: frozenset[str] = frozenset()  # one-word names of states: "France"
    ambiguous_states: dict[str, str] = field(default_factory=dict)  # "Jordan", "Chad"
    not_military_ends: tuple[str, ...] = ()  # " fire brigade": "London Fire Brigade" too
    given_states: frozenset[str] = frozenset()  # those that are given names too: "Israel"
    idioms: frozenset[str] = frozenset()  # "french windows": no nation
    titles: frozenset[str] = frozenset()  # "Major Holland" is a person, "the Tsar's army" no unit
    not_state_names: frozenset[str] = frozenset()  # "the Kingdom of Heaven"
    ship_prefixes: tuple[str, ...] = ()  # "HMS Legion" is a ship
    ship_words: tuple[str, ...] = ()  # "the destroyer Grey Legion" is a ship
    named_after: frozenset[str] = frozenset()  # "Army Group Vostra": the name after the head
    armed_forces: dict[str, str] = field(default_factory=dict)  # "Luftwaffe" -> "Germany"
    unit_abbreviations: dict[str, str] = field(default_factory=dict)  # "3rd AD": "armored"
    not_military: dict[str, str] = field(default_factory=dict)  # "salvation army": its kind
    product_words: frozenset[str] = frozenset()  # "Swiss Army knife" is no army
    street_words: frozenset[str] = frozenset()  # "14 Fleet Street" is an address
    name_heads: frozenset[str] = frozenset()  # "Home Guard Division": a head inside a name
    commander_troops: frozenset[str] = frozenset()  # "Guderian's panzers": the unit he leads
    of_named_heads: frozenset[str] = frozenset()  # "the Army of the Rhine"
    bare_ordinal_before: frozenset[str] = frozenset()  # "on the 14th" is a date, no unit
    bare_ordinal_after: frozenset[str] = frozenset()  # "the 14th of May", "the 20th century"
    date_nouns: frozenset[str] = frozenset()  # "the morning of the 14th"
    trailing_names: frozenset[str] = frozenset()
    ordinals: dict[str, int] = field(default_factory=dict)
    tens: dict[str, int] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    adjective_of: dict[str, str] = field(default_factory=dict)  # "Swedish" -> "Sweden"
    place_prefix: dict[str, str] = field(default_factory=dict)
    place_suffix: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()


# "Sea of X" is a place, "Battle of X" a term, "League of X" an organization: the nation
# inside such a name is nested in a longer name and is not a mention of its own.
PLACE_PREFIX = {"sea": "place", "gulf": "place", "bay": "place", "strait": "place",
                "straits": "place", "isthmus": "place", "lake": "place", "mount": "place",
                "cape": "place", "isle": "place", "river": "place", "port": "place",
                "fort": "place", "city": "place", "battle": "term", "siege": "term",
                "treaty": "term", "war": "term", "league": "organization",
                "bank": "organization", "ministry": "organization",
                "government": "organization", "university": "organization"}
PLACE_SUFFIX = ("sea", "ocean", "river", "strait", "straits", "peninsula", "island", "islands",
                "mountains", "highlands", "lowlands", "plain", "plains", "basin", "bay", "gulf",
                "canal", "city", "province", "prefecture", "oblast", "krai", "district",
                "region", "coast", "desert", "valley", "heights", "hills", "lake", "harbor",
                "harbour", "airfield", "airport", "station", "bridge", "pass", "range",
                "archipelago", "delta", "steppe")
EXTRA_PLACES = ("New Guinea", "New Mexico", "New England", "New South Wales", "Indochina",
                "Manchuria", "Inner Mongolia", "Outer Mongolia", "East Prussia",
                "Korean Peninsula", "Indian Ocean", "Mexico City", "Panama City",
                "Kuwait City", "Luxembourg City", "Guatemala City", "Vatican City",
                "English Channel")


def _tokens(s: str) -> list[str]:
    return s.split()


def _add_surface(lex: Lexicon, text: str, surf: Surface) -> None:
    if not text or text in lex.surfaces:
        return
    lex.surfaces[text] = surf
    toks = _tokens(text)
    first = toks[0]
    lens = set(lex.first_lengths.get(first, ()))
    lens.add(len(toks))
    lex.first_lengths[first] = tuple(sorted(lens, reverse=True))


def _word_list(name: str) -> frozenset[str]:
    """The lower-case words of a gazetteer word list (lines starting with # are comments)."""
    text = (GAZETTEER_DIR / name).read_text(encoding="utf-8")
    return frozenset(w.lower() for line in text.splitlines() if not line.startswith("#")
                     for w in line.split())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the gazetteer tables (cached: the lexicon is immutable once built)."""
    ech = json.loads((GAZETTEER_DIR / "echelons.json").read_text(encoding="utf-8"))
    nations = json.loads((GAZETTEER_DIR / "nations.json").read_text(encoding="utf-8"))
    lex = Lexicon()
    # Places first so that "Mexico City" outranks "Mexico" only by length, never by order.
    for p in EXTRA_PLACES:
        _add_surface(lex, p, Surface(p, "place", "name"))
    lex.armed_forces = dict(ech["armed_forces"])
    for force in lex.armed_forces:
        _add_surface(lex, force, Surface(force, "unit", "name"))
    for short, force in ech["armed_force_aliases"].items():
        _add_surface(lex, short, Surface(force, "unit", "alias"))
    for n in nations:
        kind = n.get("kind", "nation")
        name = n["name"]
        ambiguous = n.get("ambiguous", False)
        if not ambiguous:
            _add_surface(lex, name, Surface(name, kind, "name"))
        elif kind == "nation":
            lex.ambiguous_states[name] = name  # "Jordan": a state only where a place is
        for a in n.get("aliases", []):
            if a != name:
                _add_surface(lex, a, Surface(name, kind, "alias"))
        for a in n.get("adjectives", []):
            _add_surface(lex, a, Surface(name, kind, "adj"))
            lex.adjective_of.setdefault(a, name)
        for a in n.get("people", []):
            _add_surface(lex, a, Surface(name, kind, "people"))
    for n in nations:  # "North Koreans", "ROKs": the people by a demonym's or acronym's plural
        for a in [*n.get("adjectives", []), *n.get("aliases", [])]:
            if a.endswith("an") or (a.isupper() and len(a) <= 4):
                _add_surface(lex, a + "s", Surface(n["name"], n.get("kind", "nation"),
                                                   "people"))
    lex.heads = dict(ech["heads"])
    compound = ech["compound_heads"]
    for word, echelon in compound["echelons"].items():
        lex.heads.setdefault(word, echelon)
        lex.heads.update({arm + word: echelon for arm in compound["arms"]})
    for low in [*lex.heads, *ech["org_heads"]]:
        toks = low.split()
        lst = set(lex.head_first.get(toks[0], ()))
        lst.add((len(toks), low))
        lex.head_first[toks[0]] = tuple(sorted(lst, key=lambda kv: (-kv[0], kv[1])))
    lex.org_heads = dict(ech["org_heads"])
    lex.plural_heads = dict(ech["plural_heads"])
    lex.numbered_only = frozenset(ech["numbered_only"])
    lex.ladder = tuple(ech["ladder"])
    lex.ladder_alias = dict(ech["ladder_alias"])
    lex.lower_echelon = dict(ech["lower_echelon"])
    lex.lower_plural = frozenset(ech["lower_plural"])
    lex.named_troops = dict(ech["named_troops"])
    lex.national_services = dict(ech["national_services"])
    lex.unit_words = frozenset(ech["unit_words"])
    lex.name_possessives = frozenset(ech["name_possessives"])
    lex.gov_prefix = {g: len(g.split()) for g in ech["gov_prefix"]}
    lex.gov_suffix = {g: len(g.split()) for g in ech["gov_suffix"]}
    lex.gov_words = frozenset(w for g in [*ech["gov_prefix"], *ech["gov_suffix"]]
                              for w in g.split())
    lex.gov_list_triggers = frozenset(ech["gov_list_triggers"])
    lex.language_before = frozenset(ech["language_before"])
    lex.language_after = frozenset(ech["language_after"])
    lex.language_context = frozenset(ech["language_context"])
    lex.clause_words = frozenset(ech["clause_words"])
    lex.language_of = frozenset(ech["language_of"])
    lex.land_nouns = frozenset(ech["land_nouns"])
    lex.civil_groups = frozenset(ech["civil_groups"])
    lex.state_nouns = frozenset(ech["state_nouns"])
    lex.nation_compounds = frozenset(ech["nation_compounds"])
    lex.abbreviated_heads = dict(ech["abbreviated_heads"])
    lex.not_demonyms = frozenset(ech["not_demonyms"])
    lex.idioms = frozenset(ech["idioms"])
    lex.titles = frozenset(ech["titles"])
    lex.not_state_names = frozenset(ech["not_state_names"])
    lex.ship_prefixes = tuple(p + " " for p in ech["ship_prefixes"])
    lex.ship_words = tuple(w + " " for w in ech["ship_words"])
    lex.named_after = frozenset(ech["named_after"])
    lex.unit_abbreviations = dict(ech["unit_abbreviations"])
    lex.not_military = dict(ech["not_military"])
    lex.not_military_ends = tuple(" " + k for k in lex.not_military)
    lex.product_words = frozenset(ech["product_words"])
    lex.street_words = frozenset(ech["street_words"])
    lex.name_heads = frozenset(ech["name_heads"])
    lex.commander_troops = frozenset(ech["commander_troops"])
    lex.of_named_heads = frozenset(ech["of_named_heads"])
    lex.bare_ordinal_before = frozenset(ech["bare_ordinal_before"])
    lex.bare_ordinal_after = frozenset(ech["bare_ordinal_after"])
    lex.date_nouns = frozenset(ech["date_nouns"])
    lex.trailing_names = frozenset(ech["trailing_names"])
    lex.ordinals = dict(ech["ordinals"])
    lex.tens = dict(ech["tens"])
    lex.stopwords = _word_list("stopwords.txt")
    lex.given_names = _word_list("given_names.txt")
    lex.state_words = frozenset(w for w, f in lex.surfaces.items() if " " not in w
                                and f.kind == "nation" and f.form in ("name", "alias"))
    lex.given_states = frozenset(w for w in lex.state_words if w.lower() in lex.given_names)
    lex.place_prefix = dict(PLACE_PREFIX)
    lex.place_suffix = frozenset(PLACE_SUFFIX)
    lex.places = frozenset(EXTRA_PLACES)
    return lex


def upper_class() -> str:
    """A regex character class of every upper- or title-case letter Python knows.

    Scans all of Unicode (~100 ms): ``upper_pattern`` serves the precomputed copy instead.
    """
    return "[" + "".join(_upper_parts()) + "]"


def _upper_parts() -> list[str]:
    ranges: list[list[int]] = []
    for c in range(sys.maxunicode + 1):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        if ch.isupper() or ch.istitle():
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return [_range(a, b) for a, b in ranges]


def upper_pattern() -> str:
    """``upper_class()``, read from the generated ``_upper`` module when its Unicode version
    is this interpreter's (always, short of a Python upgrade)."""
    from . import _upper

    if unicodedata.unidata_version == _upper.UNIDATA_VERSION:
        return _upper.UPPER_CLASS
    return upper_class()


def _range(a: int, b: int) -> str:
    return _esc(a) if a == b else f"{_esc(a)}-{_esc(b)}"


def _esc(o: int) -> str:
    if o < 0x80:
        return "\\" + chr(o) if chr(o) in "\\]^-[" else chr(o)
    return f"\\u{o:04X}" if o <= 0xFFFF else f"\\U{o:08X}"


def write_upper_module() -> None:
    """Regenerate ``_upper.py`` after a Python upgrade changes the Unicode version:
    ``python -c "from companion.core.names.lexicon import write_upper_module as w; w()"``."""
    lines: list[str] = []
    cur = ""
    for part in _upper_parts():
        if len(cur) + len(part) > 84:
            lines.append(cur)
            cur = ""
        cur += part
    lines.append(cur)
    body = "\n".join(f'    r"{line}"' for line in lines)
    src = (
        '"""Generated by ``lexicon.write_upper_module``: every upper- or title-case letter as '
        'regex\nranges, so that importing the recognizer does not scan all of Unicode (~100 ms).'
        '\n``lexicon.upper_pattern`` rebuilds the class under any other Unicode version.\n"""\n\n'
        f'UNIDATA_VERSION = "{unicodedata.unidata_version}"\n'
        f'UPPER_CLASS = (\n    "["\n{body}\n    "]"\n)\n'
    )
    (Path(__file__).with_name("_upper.py")).write_text(src, encoding="utf-8")
