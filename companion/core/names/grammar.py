"""Find candidate names in a text: capitalised runs parsed by a small grammar.

One compiled regex finds every *run* of capitalised words (joined by spaces and "of (the)");
each run is then parsed in pure Python with dictionary look-ups: nations from the gazetteer,
nations discovered from "Republic of X" / "X Republic", places, units ending in an echelon
head word ("21st Armoured Division", "Federal Armed Forces"), organisations, acronyms. The
text right after and before a run supplies the lower-case forms ("Kessel's division", "the
Volkov regiment", "HB troops", "the 4th and 9th Corps"). Every step looks at a bounded window,
so the whole pass is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .lexicon import Lexicon, Surface, load_lexicon, upper_pattern

# Patterns built on the upper-case class compile lazily (``_compile``, on the first Grammar):
# compiling a class of ~600 ranges costs milliseconds that an import should not pay.
RUN_RE: re.Pattern[str]
TOKEN_RE: re.Pattern[str]
ACRONYM_DEF_RE: re.Pattern[str]
POSS_BACK_RE: re.Pattern[str]
NAME_RE: re.Pattern[str]
_COMPILED = False


def _compile() -> None:
    """Compile the upper-case patterns once per process."""
    global RUN_RE, TOKEN_RE, ACRONYM_DEF_RE, POSS_BACK_RE, NAME_RE, _COMPILED
    if _COMPILED:
        return
    up = upper_pattern()
    num = r"[0-9]++(?:st|nd|rd|th|ST|ND|RD|TH)?+(?![\w])"
    tok = rf"(?:{up}(?:\.(?:{up}\.)+|[\w'’\-]*+)|{num})"  # "U.S.", "Kessel's", "13th"
    sep = r"[ \t\u00a0]++"
    # The first character is tested against a small class (ASCII capital, digit or any
    # non-ASCII) so that the regex engine can skip ahead fast; only then the full class.
    first = (rf"[A-Z0-9\x80-\U0010ffff](?<![\w'’.\-].)"
             rf"(?:(?<={up})(?:\.(?:{up}\.)+|[\w'’\-]*+)"
             r"|(?<=[0-9])[0-9]*+(?:st|nd|rd|th|ST|ND|RD|TH)?+(?![\w]))")
    RUN_RE = re.compile(rf"{first}(?:{sep}(?:of{sep}(?:the{sep})?)?{tok})*+")
    TOKEN_RE = re.compile(rf"{tok}|\b(?:of|the)\b")
    ACRONYM_DEF_RE = re.compile(
        rf"[ \t]*\([ \t]*((?:{up}|[0-9]){{0,2}}{up}(?:{up}|[0-9&\-.]){{0,8}})"
        r"(?:[ \t]+([a-z]+))?[ \t]*\)"
    )
    POSS_BACK_RE = re.compile(
        rf"({up}[\w\-]*?)['’]s?[ \t]*(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&)[ \t]+)$"
    )
    NAME_RE = re.compile(rf"{up}[\w'’\-]*+")
    _COMPILED = True


NATIONAL_UNIT_RE = re.compile(r"([IVXL]{1,5}|[0-9]{1,3}(?:st|nd|rd|th)?) \(([A-Z][\w\-]{1,20})\)"
                              r"((?: [A-Z][a-z]+){1,3})\b")
_LIST_SEP = (r"(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+|&[ \t]*)?|[ \t]+(?:and|or|&)[ \t]+)"
             r"(?:the[ \t]+)?")
LIST_GAP_RE = re.compile(_LIST_SEP)  # between the items of a list: ", ", " and ", ", or the "
BARE_LIST_RE = re.compile(rf"(?:{_LIST_SEP}[0-9]+(?:st|nd|rd|th))+")  # "... and 92nd"
BARE_LIST_BEFORE_RE = re.compile(rf"\b[Tt]he[ \t]+[0-9]+(?:st|nd|rd|th)"
                                 rf"(?:{_LIST_SEP}[0-9]+(?:st|nd|rd|th))*{_LIST_SEP}$")
SENTENCE_END_RE = re.compile(r"[.!?;]")
SPOKEN_LIST_RE = re.compile(  # a list of languages after a speaking verb, up to an item
    r"\b(?:spoke|speak|speaks|speaking|spoken|understood|understand|knew|wrote|read)[ \t]+"
    r"[A-Z][a-z]+(?:[ \t]*,[ \t]*[A-Z][a-z]+)*[ \t]*,[ \t]*$")
OF_PERSON_RE = re.compile(r"[ \t]+of[ \t]+(?:[A-Z][\w\-]*\.?[ \t]+){0,3}[A-Z][\w\-]*")
# where a name is a place: "troops from Chad", "the King of Jordan", "invaded Georgia"
PLACE_BEFORE = ("in ", "from ", "into ", "of ", "across ", "through ", "invaded ", "occupied ",
                "toward ", "towards ", "to ", "entered ", "left ", "reached ")
REGIMENT_OF = frozenset(("foot", "horse", "dragoons", "hussars", "lancers", "artillery",
                         "fusiliers"))
GEO_BEFORE = ("in ", "into ", "from ", "across ", "through ", "invaded ", "occupied ",
              "entered ", "reached ", "tours to ", "trip to ", "went to ", "flew to ",
              "sailed to ", "travelled to ", "traveled to ", "fled to ", "returned to ",
              "way to ")
CIVIL_BEFORE = ("called ", "named ", "called the ", "named the ", ", the ", ", ")
DETERMINERS = ("the ", "The ", "a ", "an ", "of ", "by ", "with ", "and ", "to ")
PERSON_CUES = ("name is ", "name was ", "name is simply ", "name was simply ", "called ",
               "named ", "said ", "asked ", "replied ", "answered ", "whispered ", "shouted ",
               "muttered ", "laughed ")
NATION_NAMED = ("brigade", "division", "corps")  # "Multinational Brigade Latvia"
WEATHER_AFTER_RE = re.compile(r"[ \t]+(?:gale|gales|wind|winds|storm|storms|squall)\b")
DESIGNATION_RE = re.compile(r"[ \t]+(?:[0-9]|[IVX]+\b)")  # "Type 10", "Mark IV": no person
HYPHEN_WORD_RE = re.compile(r"-[a-z]")  # "French-speaking", "Kestrian-born": no name
NUM_ORD_RE = re.compile(r"([0-9]+)(st|nd|rd|th)", re.I)
ROMAN_RE = re.compile(r"(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
FOLLOW_RE = re.compile(r"([ \t]+|-)([a-z][a-z'’\-]*+)(?:[ \t]+([a-z][a-z'’\-]*+))?")
PREV_WORD_RE = re.compile(r"([A-Za-z][a-z'’\-]*+)[ \t]*+$")
BACK_TOK_RE = re.compile(r"[0-9]+(?:st|nd|rd|th)|[^\W\d_]+(?:-[^\W\d_]+)?|[,&]")
LIST_TRIGGER_RE = re.compile(r"(\w+)[ \t]+of[ \t]+(?:the[ \t]+)?$")
# what must stand right before a coordinated unit: "and (the)", "& (the)", "or (the)"
COORD_BEFORE_RE = re.compile(r"(?i:(?<![^\W\d_])(?:and|or)|&)[ \t]+(?:(?i:the)[ \t]+)?$")
# what the commander and "known as" steps look for
AHEAD_RE = re.compile(r"by |under | as |belonged to ")
OWNER_RE = re.compile(r"\b(?:[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)[ \t]+$")
COMMANDED_RE = re.compile(
    r",?[ \t]+(?:(?:was|were|is|had[ \t]+been)[ \t]+)?(?:commanded|led|headed)"
    r"[ \t]+by[ \t]+|,[ \t]+under[ \t]+(?:the[ \t]+command[ \t]+of[ \t]+)?"
    r"|[ \t]+(?:belonged[ \t]+to|under)[ \t]+"  # a person by title: "under General Hale"
)
KNOWN_AS_RE = re.compile(r",?[ \t]+(?:(?:also|better|widely|popularly|simply|usually)[ \t]+)?"
                         r"(?:known|nicknamed|called)(?:[ \t]+(?:everywhere|universally|simply"
                         r"|locally|generally|informally))?"
                         r"(?:[ \t]+(?:throughout|in|among|to)[ \t]+(?:the[ \t]+)?[a-z]+)?"
                         r"[ \t]+as[ \t]+(?:the[ \t]+)?")


def _roman(s: str) -> int | None:
    if not s or not ROMAN_RE.fullmatch(s):
        return None
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


@dataclass(slots=True)
class Tok:
    """A token of a run: ``raw`` as written, ``text`` without a possessive ending."""

    raw: str
    text: str
    start: int
    end: int  # end of ``text``
    low: str
    kind: str  # cap | ord | num | of | the
    poss: bool
    ordinal: int | None


@dataclass(slots=True)
class Atom:
    """A token, or several tokens the lexicon knows as one name ("Republic of Korea")."""

    start: int
    end: int
    text: str
    toks: list[Tok]
    surface: Surface | None = None
    poss: bool = False

    @property
    def tok(self) -> Tok:
        return self.toks[0]


@dataclass(slots=True)
class Item:
    """A name found by the grammar, before resolution to an entity."""

    start: int
    end: int
    kind: str  # nation | unit | organization | place | term | acronym_def
    name: str
    form: str = "name"  # name | adj | people | alias | acronym | dadj | short | commander
    echelon: str | None = None
    ordinal: int | None = None
    head: str | None = None
    mods: tuple[str, ...] = ()
    qualifiers: list[Atom] = field(default_factory=list)
    of_target: Item | None = None  # "X of the Y": Y
    possessor: Item | None = None  # "Y's X": Y
    commander: str | None = None
    acronym: str | None = None
    target: Item | None = None  # acronym definitions: what the bracket names
    name_nations: list[str] = field(default_factory=list)  # nations inside the name
    known_as: str | None = None  # "..., known as the Halden regiment"
    owned: bool = False  # "its 2nd Battalion": belongs to a unit named before, not a short form
    # "the 4th and 9th Corps": (number, head, words) of each unit listed together
    group: tuple[tuple[int | None, str | None, tuple[str, ...]], ...] = ()


class _RunMemo:
    """What one run text (under one state of the work's lexicon) needs from its context, and
    its parses per context signature (see ``Grammar._run_items``)."""

    __slots__ = ("results", "hits", "far")

    def __init__(self) -> None:
        # signature -> (run start, items, claimed end or -1, linked items?), or None when
        # that context is read beyond the signature (parsed afresh every time)
        self.results: dict[tuple, tuple[int, list[Item], int, bool] | None] = {}
        self.hits = 0
        self.far = 0


_FAR = None
CLAUSE_END = ".,;:!?)"  # what may end a clause right after a language ("in French.")


def _linked(items: list[Item]) -> bool:
    return any(it.of_target is not None or it.possessor is not None or it.target is not None
               for it in items)


def _moved(it: Item, d: int) -> Item:
    """A copy of ``it`` moved by ``d`` characters (same links)."""
    return Item(it.start + d, it.end + d, it.kind, it.name, it.form, it.echelon, it.ordinal,
                it.head, it.mods, it.qualifiers, it.of_target, it.possessor, it.commander,
                it.acronym, it.target, it.name_nations, it.known_as, it.owned)


def _shifted(items: list[Item], d: int, linked: bool = True) -> list[Item]:
    """Copies of ``items`` moved by ``d`` characters; links between them are kept."""
    if not linked:
        return [_moved(it, d) for it in items]
    copies: dict[int, Item] = {}
    return [_linked_copy(it, d, copies) for it in items]


def _linked_copy(it: Item, d: int, copies: dict[int, Item]) -> Item:
    # a function of its own, not a closure: a recursive closure is a reference cycle, and
    # cycles keep a whole pass's objects alive until the cyclic collector walks them
    c = copies.get(id(it))
    if c is None:
        c = copies[id(it)] = _moved(it, d)
        if c.of_target is not None:
            c.of_target = _linked_copy(c.of_target, d, copies)
        if c.possessor is not None:
            c.possessor = _linked_copy(c.possessor, d, copies)
        if c.target is not None:
            c.target = _linked_copy(c.target, d, copies)
    return c


class WorkLexicon:
    """Surfaces the text itself defines (discovered nations, acronyms, reader aliases)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.surfaces: dict[str, Surface] = {}
        self.first_lengths: dict[str, tuple[int, ...]] = {}
        self.adjective_of: dict[str, str] = {}
        self.states_by_word: dict[str, set[str]] = {}  # "Federation" -> discovered states
        self.version = 0  # bumped on every new surface: invalidates cached run parses

    def add(self, text: str, surf: Surface, *, force: bool = False) -> None:
        """Know ``text`` as ``surf`` from now on (never overriding the gazetteer)."""
        if not text or (not force and (text in self.surfaces or text in self.lex.surfaces)):
            return
        if self.surfaces.get(text) == surf:
            return
        self.surfaces[text] = surf
        self.version += 1
        first = text.split()[0]
        lens = set(self.first_lengths.get(first, ()))
        lens.add(len(text.split()))
        self.first_lengths[first] = tuple(sorted(lens, reverse=True))

    def get(self, text: str) -> Surface | None:
        return self.surfaces.get(text) or self.lex.surfaces.get(text)

    def lengths(self, first: str) -> tuple[int, ...]:
        a = self.lex.first_lengths.get(first, ())
        b = self.first_lengths.get(first, ())
        if not b:
            return a
        if not a:
            return b
        return tuple(sorted(set(a) | set(b), reverse=True))

    def nation_of_adjective(self, adj: str) -> str | None:
        return self.lex.adjective_of.get(adj) or self.adjective_of.get(adj) or None


class Grammar:
    """Parses runs of one text into ``Item`` lists; keeps the work's lexicon between texts."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        _compile()
        self.lex = lex or load_lexicon()
        self.work = WorkLexicon(self.lex)
        self._cache: dict[tuple[str, int], tuple[int, list[Atom]]] = {}
        # memo of whole run parses (see ``_run_items``): run text and work state -> flags
        # and results per context signature
        self._runs: dict[tuple[str, int, int], _RunMemo] = {}
        self._seen: set[tuple[str, int, int]] = set()
        self._far = False  # set when a run's parse reads beyond its context signature
        # possible demonyms of unnamed states: word -> [plural seen, seen inside a sentence]
        self._demonyms_seen: dict[str, list[bool]] = {}
        lx = self.lex
        ords = sorted(lx.ordinals, key=len, reverse=True)
        tens = "|".join(lx.tens)
        spelled = rf"(?:(?:{tens})-)?(?:{'|'.join(ords)})"
        self.ord_re = re.compile(rf"(?i:[0-9]+(?:st|nd|rd|th)|{spelled})")
        # the words after a run that its parse reads (see ``_follow_sig``)
        services = [k.split() for k in lx.national_services]
        self.follow_first = frozenset(
            {*lx.lower_echelon, *lx.named_troops, *lx.language_after, *lx.unit_words,
             *lx.product_words, *lx.commander_troops, *(k[0] for k in services)}
        )
        self.follow_second = frozenset({*lx.lower_echelon, *(k[-1] for k in services)})
        low_ech = "|".join(sorted(lx.lower_echelon, key=len, reverse=True))
        self.ech_of_re = re.compile(rf"\b({low_ech})[ \t]+of[ \t]+$")
        civil = "|".join(re.escape(w) for w in sorted(lx.civil_groups, key=len, reverse=True))
        self.civil_after_re = re.compile(
            rf",[ \t]+(?:a|an|our|the|their|its)[ \t]+(?:[\w\-]+[ \t]+){{0,4}}?(?:{civil})\b")
        self.civil_before_re = re.compile(
            rf"\b(?:{civil})(?:,[ \t]+|[ \t]+(?:(?:a|an|the)[ \t]+(?:[\w\-]+[ \t]+){{0,2}}?)?"
            rf"(?:called|named)[ \t]+)(?:the[ \t]+)?$")
        # superset prefilter of ``discover``: any state word
        # (a capital first letter keeps the scan fast: the engine skips to those letters)
        gov = "|".join(re.escape(w[0].upper()) + "(?i:" + re.escape(w[1:]) + ")"
                       for w in sorted(lx.gov_words, key=len, reverse=True))
        self.gov_re = re.compile(gov)

    # ----------------------------------------------------------------- tokens and atoms
    def ordinal_value(self, raw: str) -> int | None:
        """1 for "1st" or "First", 21 for "Twenty-First"; None otherwise."""
        if not raw:
            return None
        if raw[0].isdigit():
            m = NUM_ORD_RE.fullmatch(raw)
            return int(m.group(1)) if m else None
        low = raw.lower()
        if low in self.lex.ordinals:
            return self.lex.ordinals[low]
        if "-" in low:
            a, _, b = low.partition("-")
            if a in self.lex.tens and b in self.lex.ordinals and self.lex.ordinals[b] < 10:
                return self.lex.tens[a] + self.lex.ordinals[b]
        return None

    def tokens(self, body: str, start: int, end: int) -> list[Tok]:
        out: list[Tok] = []
        text = body[start:end]
        if " " in text or "\t" in text or "\u00a0" in text:
            found = [(m.group(), m.start()) for m in TOKEN_RE.finditer(body, start, end)]
        else:
            found = [(text, start)]
        compounds = self.lex.nation_compounds
        for raw, s in found:
            if raw == "of" or raw == "the":
                out.append(Tok(raw, raw, s, s + len(raw), raw, raw, False, None))
                continue
            if "-" in raw:
                head, _, tail = raw.partition("-")
                surf = self.lex.surfaces.get(head)
                if tail in compounds and surf is not None and surf.kind == "nation":
                    # "Soviet-built": the nation, not the word
                    out.append(Tok(head, head, s, s + len(head), head.lower(), "cap", False,
                                   None))
                    continue
            text, poss = raw, False
            low = raw.lower().replace("’", "'")
            if low in self.lex.name_possessives:  # "People's Army": part of the name
                out.append(Tok(raw, raw, s, s + len(raw), low, "cap", False, None))
                continue
            if len(raw) > 2 and raw[-2] in "'’" and raw[-1] in "sS":
                text, poss = raw[:-2], True
            elif len(raw) > 2 and raw[-1] in "'’" and raw[-2] in "sS":
                text, poss = raw[:-1], True
            else:
                text = raw.rstrip("'’-")
            if not text:
                continue
            ordv = self.ordinal_value(text)
            kind = "ord" if ordv is not None else ("num" if text[0].isdigit() else "cap")
            out.append(Tok(raw, text, s, s + len(text), text.lower(), kind, poss, ordv))
        for k in range(len(out) - 1):  # "I Corps": a Roman one, not the pronoun
            if out[k].raw == "I" and out[k + 1].low in self.lex.heads:
                out[k].kind, out[k].ordinal = "ord", 1
        return out

    def _surface_at(self, toks: list[Tok], i: int) -> tuple[int, Surface] | None:
        t = toks[i]
        w = self.work
        lens = w.lengths(t.raw)
        if t.text != t.raw:
            lens = tuple(sorted(set(lens) | set(w.lengths(t.text)), reverse=True))
        for n in lens:
            if i + n > len(toks):
                continue
            parts = [toks[k].raw for k in range(i, i + n - 1)] + [toks[i + n - 1].text]
            surf = w.get(" ".join(parts))
            if surf is not None:
                return n, surf
            if toks[i + n - 1].poss:
                surf = w.get(" ".join([*parts[:-1], toks[i + n - 1].raw]))
                if surf is not None:
                    return n, surf
        return None

    def _is_name_tok(self, t: Tok) -> bool:
        return t.kind == "cap" and t.low not in self.lex.stopwords

    def _gov_at(self, toks: list[Tok], i: int, body: str) -> tuple[int, Surface] | None:
        """Discovered states: "Kingdom of X", "the X Republic"; also places "Sea of X"."""
        lx = self.lex
        t = toks[i]
        if t.kind != "cap" and not (t.kind == "ord" and t.text.isalpha()):  # "Second Empire"
            return None
        best: tuple[int, Surface] | None = None
        # prefix forms
        for n in (2, 1):
            if i + n >= len(toks):
                continue
            words = " ".join(toks[k].low for k in range(i, i + n))
            pkind = "nation" if words in lx.gov_prefix else lx.place_prefix.get(words)
            if pkind is None or any(toks[k].poss and k < i + n - 1 for k in range(i, i + n)):
                continue
            if toks[i + n - 1].poss or toks[i + n].kind != "of":
                continue
            j = i + n + 1
            if j < len(toks) and toks[j].kind == "the":
                j += 1
            k = j
            while k < len(toks) and k - j < 3 and self._is_name_tok(toks[k]) \
                    and toks[k].low not in lx.heads:
                k += 1
                if toks[k - 1].poss:
                    break
            if k == j:
                continue
            if pkind == "nation":
                inner = " ".join(tt.text for tt in toks[j:k])
                if " ".join(tt.low for tt in toks[j - (toks[j - 1].kind == "the"):k]) \
                        in lx.not_state_names or inner.lower() in lx.not_state_names:
                    continue  # "the Kingdom of Heaven", "Empire of the Sun"
                known = self.work.get(inner)
                full = body[t.start:toks[k - 1].end]
                full = " ".join(full.split())
                if known is not None and known.kind == "nation" \
                        and not self._other_regime(known.entity, words):
                    surf = Surface(known.entity, "nation", "alias")
                else:
                    surf = Surface(full, "nation", "name")
                    self._register_nation(full, inner, n, prefix=True)
            else:
                full = " ".join(body[t.start:toks[k - 1].end].split())
                surf = Surface(full, pkind, "name")
            best = (k - i, surf)
            break
        # suffix forms: 1-3 name tokens (a spelled ordinal among them) then a state word:
        # "the Osgard Republic", "the French Third Republic"
        for j in range(i + 1, min(i + 4, len(toks))):
            if not all((self._is_name_tok(toks[k]) or toks[k].kind == "ord"
                        and toks[k].text.isalpha()) and not toks[k].poss for k in range(i, j)):
                break
            for n in (2, 1):
                if j + n > len(toks):
                    continue
                words = " ".join(toks[k].low for k in range(j, j + n))
                if any(toks[k].poss for k in range(j, j + n - 1)):
                    continue
                if words in lx.gov_suffix or (words in ("government", "authority")
                                              and t.low == "provisional" and j > i + 1):
                    kind = "nation"  # "the Provisional Siberian Government"
                elif n == 1 and words in lx.place_suffix and toks[j - 1].low != "military":
                    kind = "place"  # not "the Leningrad Military District"
                else:
                    continue
                if best is not None and best[0] >= j + n - i:
                    continue
                inner = " ".join(tt.text for tt in toks[i:j])
                full = " ".join(body[t.start:toks[j + n - 1].end].split())
                if kind == "nation":
                    nat = self.work.nation_of_adjective(inner)
                    if nat is None:
                        s = self.work.get(inner)
                        nat = s.entity if s is not None and s.kind == "nation" else None
                    if nat is not None and not self._other_regime(nat, words):
                        surf = Surface(nat, "nation", "alias")
                    else:
                        surf = Surface(full, "nation", "name")
                        self._register_nation(full, inner, n, prefix=False)
                else:
                    surf = Surface(full, kind, "name")
                best = (j + n - i, surf)
                break
        return best

    def _other_regime(self, known: str, words: str) -> bool:
        """Is a state named with the state words ``words`` ("republic") another state than
        ``known``, whose name has other ones ("Kingdom of Lesk" / "the Lesk Republic")?"""
        gov = self.lex.gov_words
        named = {w for w in known.lower().split() if w in gov}
        return bool(named) and named.isdisjoint(words.split())

    def _register_nation(self, full: str, inner: str, n: int, *, prefix: bool) -> None:
        """A discovered state ``full``: its name ``inner`` without the ``n`` state words,
        the state words ("the Free State", "the Republic") and the adjectives."""
        w = self.work
        w.add(full, Surface(full, "nation", "name"))
        words = full.split()
        phrase = words[:n] if prefix else words[-n:]
        generic = ("state", "states", "government", "authority")
        if phrase[0][:1].isupper() and not (n == 1 and phrase[0].lower() in generic):
            self._state_word(full, " ".join(phrase))
            if n > 1 and phrase[-1].lower() not in generic:
                self._state_word(full, phrase[-1])  # "the Republic"
        self._state_adjective(full, full.split()[0 if prefix else -1].lower())
        if prefix:
            if inner.lower() not in self.lex.stopwords and inner not in self.lex.surfaces:
                w.add(inner, Surface(full, "nation", "alias"))
                if " " not in inner:
                    self._demonyms(full, inner)
        elif " " not in inner and w.get(inner) is None and self.ordinal_value(inner) is None:
            if inner.endswith(("an", "ic", "ese", "ish")):  # "the Ostrakan Federation"
                w.add(inner, Surface(full, "nation", "dadj"))
                w.adjective_of.setdefault(inner, full)
                if inner.endswith(("an", "ic")):
                    w.add(inner + "s", Surface(full, "nation", "people"))
            else:  # "the Kamchatka Federal Republic": Kamchatka stays the land, but
                # "the Kamchatka Federal Army" is the state's
                w.adjective_of.setdefault(inner, full)
                self._demonyms(full, inner)

    def _demonyms(self, full: str, name: str) -> None:
        """The adjectives and peoples English makes of an invented state's name: Kestria ->
        Kestrian(s), Lesk -> Leskan(s), Leskian(s), Leskese, Leski(s), Leskic, Leskish,
        Lesker(s); Corve -> Corvan(s) too."""
        w = self.work
        if name.endswith("a"):
            forms = [(name + "n", "s"), (name[:-1] + "ese", "")]
        else:  # "Corve" -> "Corvan" as well as "Corvean"; "Morvay" -> "Morvish"
            bases = dict.fromkeys((name, name[:-1] if name[-1] in "eoy" else name,
                                   name.rstrip("aeiouy") or name))
            forms = [(b + end, plural) for b in bases for end, plural in (
                ("an", "s"), ("ian", "s"), ("i", "s"), ("ic", ""), ("ish", ""), ("er", "s"),
                ("ese", ""))]
        for adj, plural in forms:
            if adj in self.lex.surfaces or adj.lower() in self.lex.stopwords:
                continue
            w.add(adj, Surface(full, "nation", "adj"))
            w.adjective_of.setdefault(adj, full)
            if plural:
                w.add(adj + plural, Surface(full, "nation", "people"))

    def _state_word(self, full: str, word: str) -> None:
        """"the Federation", "the Kingdom's envoy": the state word alone names the work's one
        state so named ("the Northern Federation"), and nothing once there are two."""
        if word in self.lex.surfaces:
            return  # "United States" stays the state it names
        w = self.work
        states = w.states_by_word.setdefault(word, set())
        states.add(full)
        if len(states) == 1:
            w.add(word, Surface(full, "nation", "alias"))
        elif w.surfaces.get(word) is not None and w.surfaces[word].form == "alias":
            w.surfaces.pop(word)
            w.version += 1

    def _state_adjective(self, full: str, word: str) -> None:
        """"Federal" for "the Northern Federation": the adjective of the state word itself
        (-ation -> -al), for a discovered state only and only while no other state of the
        work claims it."""
        if not word.endswith("ation") or len(word) < 8:
            return
        adj = word[:-5].capitalize() + "al"
        if adj in self.lex.surfaces or adj.lower() in self.lex.stopwords:
            return
        w = self.work
        owner = w.adjective_of.get(adj)
        if owner is None and adj not in w.surfaces:
            # "dadj": a nation only on its own ("the Federal ambassador"), never a demonym
            # that makes a service of the next word ("the Federal army")
            w.add(adj, Surface(full, "nation", "dadj"))
            w.adjective_of[adj] = full
        elif owner is not None and owner != full and w.surfaces.get(adj) is not None:
            # two federations: "Federal" names neither
            w.surfaces.pop(adj, None)
            w.version += 1
            w.adjective_of[adj] = ""

    def atoms(self, body: str, toks: list[Tok]) -> list[Atom]:
        """Group tokens into atoms, longest known name first."""
        out: list[Atom] = []
        i = 0
        n = len(toks)
        lx = self.lex
        gated = any(t.low in lx.gov_words or t.low in lx.place_suffix or t.low in
                    lx.place_prefix for t in toks)
        while i < n:
            t = toks[i]
            if t.kind in ("of", "the"):
                out.append(Atom(t.start, t.end, t.text, [t]))
                i += 1
                continue
            best = self._surface_at(toks, i)
            if t.kind in ("cap", "ord") and gated:
                g = self._gov_at(toks, i, body)
                if g is not None and (best is None or g[0] > best[0]):
                    best = g
            if best is not None and best[1].kind == "unit" and (
                    out and out[-1].surface is None and out[-1].tok.kind in ("cap", "ord")
                    and out[-1].tok.low not in lx.stopwords and not out[-1].poss
                    and out[-1].tok.raw[-1] not in "'’"
                    or not toks[i + best[0] - 1].poss
                    and any(t.low in lx.heads for t in toks[i + best[0]:i + best[0] + 3])):
                # "the Osgard People's Liberation Army", "the Royal Army Nursing Corps": a
                # longer name
                best = None
            if best is not None:
                k, surf = best
                last = toks[i + k - 1]
                out.append(Atom(t.start, last.end, body[t.start:last.end], toks[i:i + k], surf,
                                last.poss))
                i += k
            else:
                out.append(Atom(t.start, t.end, t.text, [t], None, t.poss))
                i += 1
        return out

    def cached_atoms(self, body: str, s: int, e: int) -> list[Atom]:
        """``atoms(tokens(...))`` for the run ``body[s:e]``, memoised by the run's text."""
        key = (body[s:e], self.work.version)
        tpl = self._cache.get(key)
        if tpl is None:
            atoms = self.atoms(body, self.tokens(body, s, e))
            if len(self._cache) > 20000:
                self._cache.clear()
                self._runs.clear()  # its results were computed from the cleared atoms
            self._cache[(body[s:e], self.work.version)] = (s, atoms)
            return atoms
        base, atoms = tpl
        d = s - base
        if d == 0:
            return atoms
        # the tokens are shared, not shifted: past ``atoms`` only atom offsets are read
        return [Atom(a.start + d, a.end + d, a.text, a.toks, a.surface, a.poss) for a in atoms]

    # ----------------------------------------------------------------- discovery
    def discover(self, body: str, runs: list[tuple[int, int]]) -> None:
        """Learn the states a text defines before recognising its names.

        One regex pass finds the runs worth a closer look (a state word such as "Republic");
        list openers ("the governments of") are checked only after an "of".
        """
        gov = self.lex.gov_words
        triggers = self.lex.gov_list_triggers
        states, given_states = self.lex.state_words, self.lex.given_states
        given_initials = {w[0] for w in given_states}
        hits = [m.start() for m in self.gov_re.finditer(body)]
        h, nh = 0, len(hits)
        for s, e in runs:
            while h < nh and hits[h] < s:
                h += 1
            if h < nh and hits[h] < e:
                seg = body[s:e]
                if " " in seg and any(w.lower().rstrip("'’s") in gov or w.lower() in gov
                                      for w in seg.split()):
                    self.cached_atoms(body, s, e)
            if body.endswith(("of ", "of the "), 0, s):
                m = LIST_TRIGGER_RE.search(body, max(0, s - 24), s)
                if m and m.group(1).lower() in triggers:
                    self._discover_list(body, s)
            # a cheap look at the first and last words first: most runs name no person and
            # no people
            sp = body.rfind(" ", s, e)
            last = body[sp + 1:e] if sp >= 0 else body[s:e]
            if last in states or last[:-2] in states or (
                    sp >= 0 and body[s] in given_initials
                    and body[s:body.find(" ", s, e)] in given_states):
                self._discover_person(body, s, e)
            if last[-2:] == "an" or last[-3:] == "ans":
                self._note_demonym(body, s, e)
            elif sp >= 0 and ("an " in body[s:sp + 1] or "an'" in body[s:sp + 1]):
                self._note_demonym_before_head(body, s, e)

    def _note_demonym(self, body: str, s: int, e: int) -> None:
        """Note a word that may be an unknown state's demonym ("Ostrakan", "Ostrakans")."""
        sp = body.rfind(" ", s, e)
        ws = sp + 1 if sp >= 0 else s  # where the word starts
        alone = sp < 0 or body[s:sp] in ("The", "A", "An")  # "The Ostrakan" is one word
        word = body[ws:e]
        plural = word.endswith("s")
        if plural:
            word = word[:-1]
        if len(word) < 5 or not word[1:].islower():
            return
        seen = self._demonyms_seen.setdefault(word, [False, False, False, False])
        seen[0] |= plural
        # a capital inside a sentence: a name, not a word that opens the sentence
        seen[1] |= s > 1 and body[s - 1] == " " and body[s - 2] not in ".!?\n\"“:;"
        # said of a thing: "the Ostrakan admiral"
        seen[2] |= not plural and alone and body.endswith(DETERMINERS, 0, ws) \
            and body[e:e + 2].startswith(" ") and body[e + 1:e + 2].islower()
        # a person's name: "Pat Halloran", "Mrs Halloran"
        if not alone:
            prev = body[body.rfind(" ", s, sp) + 1 if body.rfind(" ", s, sp) >= 0 else s:sp]
            seen[3] |= prev.lower().rstrip(".") in self.lex.given_names \
                or prev.lower().rstrip(".") in self.lex.titles

    def _note_demonym_before_head(self, body: str, s: int, e: int) -> None:
        """"the Rhaetian Legion": a possible demonym said of a unit."""
        words = body[s:e].split()
        if words[0] in ("The", "A"):
            words = words[1:]
        if len(words) >= 2 and words[0].endswith("an") and words[1].lower() in self.lex.heads \
                and len(words[0]) >= 5 and words[0][1:].islower():
            self._demonyms_seen.setdefault(words[0], [False, False, False, False])[2] = True

    def infer_demonyms(self) -> None:
        """A word the text uses as "the Ostrakans" and "the Ostrakan admiral", inside
        sentences, that names nothing known and no person, is the demonym of a state the text
        never names (a chapter read on its own)."""
        lx, w = self.lex, self.work
        for word, (plural, inside, adjective, person) in self._demonyms_seen.items():
            if not (plural and inside and adjective) or person or word.lower() in lx.stopwords \
                    or word.lower() in lx.not_demonyms or w.get(word) is not None \
                    or w.get(word + "s") is not None:
                continue
            w.add(word, Surface(word, "nation", "adj"))
            w.adjective_of.setdefault(word, word)
            w.add(word + "s", Surface(word, "nation", "people"))
        self._demonyms_seen.clear()

    def _discover_person(self, body: str, s: int, e: int) -> None:
        """A state's name that is a person's ("Major Holland", "Walter France", "his name was
        France", a dog called Kenya, "Israel Bello") names that person everywhere in the
        work."""
        lx = self.lex
        sp = body.rfind(" ", s, e)
        if sp >= 0:
            fs = body.find(" ", s, e)
            first = body[s:fs]
            if first.lower() in lx.given_names and self._is_state(first):
                nxt = body[fs + 1:body.find(" ", fs + 1, e) if body.find(" ", fs + 1, e) >= 0
                           else e]
                if nxt[:1].isupper() and lx.surfaces.get(nxt) is None \
                        and nxt.lower() not in lx.heads:  # "Israel Bello"
                    self.work.add(first, Surface(first, "person", "name"), force=True)
        last = body[sp + 1 if sp >= 0 else s:e]
        if last[-2:] in ("'s", "’s"):
            last = last[:-2]
        if not self._is_state(last):
            return
        cue = body.endswith(PERSON_CUES, 0, s)
        if (sp < 0 and not cue) or body.find(" of ", s, e) >= 0:  # "Prince of Wales"
            return
        before = [w.lower().rstrip(".") for w in body[s:sp].split()[-3:]] if sp >= 0 else []
        if cue or any(w in lx.titles for w in before) or (before and before[-1] in lx.given_names):
            self.work.add(last, Surface(last, "person", "name"), force=True)

    def _is_state(self, word: str) -> bool:
        return word in self.lex.state_words

    def _discover_list(self, body: str, s: int) -> None:
        """In "the governments of A, B, C and D", unknown items among known states are states."""
        items: list[tuple[int, int]] = []
        pos = s
        for _ in range(24):
            m = RUN_RE.match(body, pos)
            if not m:
                break
            items.append((m.start(), m.end()))
            sep = LIST_GAP_RE.match(body, m.end())
            if not sep or sep.end() >= len(body):
                break
            pos = sep.end()
        if len(items) < 3:
            return
        known, unknown = 0, []
        for a, b in items:
            atoms = [x for x in self.cached_atoms(body, a, b)
                     if not (x.surface is None and x.tok.low in self.lex.stopwords)]
            if len(atoms) == 1 and atoms[0].surface is not None \
                    and atoms[0].surface.kind == "nation":
                known += 1
            elif atoms and all(x.surface is None and x.tok.kind == "cap" for x in atoms) \
                    and len(atoms) <= 3 and not any(x.tok.low in self.lex.heads
                                                    or x.tok.low in self.lex.org_heads
                                                    for x in atoms):
                unknown.append(" ".join(x.text for x in atoms))
            else:
                return
        if known >= 2 and len(unknown) <= known:
            for u in unknown:
                self.work.add(u, Surface(u, "nation", "name"))

    # ----------------------------------------------------------------- parsing
    def runs(self, body: str) -> list[tuple[int, int]]:
        """Spans of every capitalised run (one regex pass)."""
        return [m.span() for m in RUN_RE.finditer(body)]

    def parse(self, body: str, runs: list[tuple[int, int]]) -> list[Item]:
        """All items of a text, in text order, non-overlapping."""
        out: list[Item] = []
        claimed_until = -1
        stop = self.lex.stopwords
        surfaces = self.lex.surfaces
        wsurf = self.work.surfaces
        lower_ech = self.lex.lower_echelon
        troops = self.lex.named_troops
        ships, ship_words = self.lex.ship_prefixes, self.lex.ship_words
        heads = self.lex.heads
        compounds = self.lex.nation_compounds
        ambiguous = self.lex.ambiguous_states
        stems, state_nouns = self.work.adjective_of, self.lex.state_nouns
        before: tuple[int, int] | None = None  # "NEC (": an acronym its name may follow
        for s, e in runs:
            if s < claimed_until:
                continue
            w = body[s:e]
            opened, before = before, None
            if body.startswith(" (", e):
                last = w.rsplit(None, 1)[-1]
                national = self._national_unit(body, e - len(last))  # "I (German) Corps"
                if national is not None:
                    if e - len(last) - 1 > s:  # "the British 3rd (UK) Division"
                        out.extend(self._run_items(body, s, e - len(last) - 1)[0])
                    out.append(national)
                    claimed_until = national.end
                    continue
                if 2 <= len(last) <= 8 and last.isupper() and last.isalpha():
                    before = (e - len(last), e)
            lone = " " not in w
            stem = w if lone else w[4:] if w.startswith("The ") and w.count(" ") == 1 else ""
            if stem in stems and stem not in wsurf:  # "the Hulunbuir side": the state
                f = FOLLOW_RE.match(body, e)
                if f is not None and f.group(1) != "-" and f.group(2) in state_nouns:
                    out.append(Item(e - len(stem), e, "nation", stems[stem], form="adj"))
                    continue
            if (lone and w[0].isdigit()) or (w[0] == "T" and w.startswith("The ")
                                             and w.count(" ") == 1):
                bare = self._bare_ordinal(body, e - len(w.rsplit(" ", 1)[-1]), e)
                if bare is not None:  # "the 41st", "The 41st"
                    out.append(bare)
                    continue
            # fast path: a lone word that is no known name and has no telling neighbour
            if lone and "\t" not in w and "\u00a0" not in w:
                low = w.lower()
                if w in ambiguous and w not in wsurf and body.endswith(PLACE_BEFORE, 0, s):
                    out.append(Item(s, e, "nation", ambiguous[w]))  # "troops from Chad"
                    continue
                if w in wsurf and wsurf[w].kind == "person" and w in surfaces \
                        and body.endswith(GEO_BEFORE, 0, s):  # Dr France, but "tours to France"
                    out.append(self._surface_item(s, e, surfaces[w]))
                    continue
                if low in stop:
                    if self.ordinal_value(w) is None:
                        continue
                elif w in surfaces and surfaces[w].form in ("name", "alias") \
                        and w not in wsurf and not body.startswith(" (", e):
                    out.append(self._surface_item(s, e, surfaces[w]))
                    continue
                elif w[-1] not in "'’sS-" and w not in surfaces and w not in wsurf \
                        and ("-" not in w or w.partition("-")[2] not in compounds) \
                        and not body.endswith("of ", 0, s) \
                        and not (low in heads and body.endswith("the ", 0, s)):  # "the Guard"
                    f = FOLLOW_RE.match(body, e)
                    if f is None or (f.group(2) not in lower_ech
                                     and f.group(2) not in troops):
                        continue
            if not lone and (w.startswith(ships) or body.endswith(ship_words, 0, s)):
                # a ship's name: "HMS Legion", "the destroyer Grey Legion"; "the gunboat
                # Halla of the Tamna Republic": what follows "of" is named still
                cut = w.find(" of ")
                if cut < 0:
                    continue
                s += cut + 4
                if body.startswith("the ", s):
                    s += 4
                w = body[s:e]
                lone = " " not in w
            items, claimed = self._run_items(body, s, e)
            if body.startswith(", ", e) or body.endswith(CIVIL_BEFORE, 0, s):
                items = [self._civil(body, it) for it in items]
            if claimed > claimed_until:
                claimed_until = claimed
            out.extend(items)
            if opened is not None and opened[1] + 2 == s:
                out.extend(self._acronym_first(body, opened, items))
        # at one start a name beats a unit called by its number alone ("the 3rd Armored and
        # the 8th Infantry Division": the 3rd Armored Division)
        out.sort(key=lambda it: (it.start, it.form == "bare"))
        clean: list[Item] = []
        last_end = -1
        for it in out:
            if it.start >= last_end:
                clean.append(it)
                last_end = it.end
        return self._comma_paths(body, self._without_languages(body, clean))

    def _comma_paths(self, body: str, items: list[Item]) -> list[Item]:
        """"1st Battalion, 5th Marines", "Company C, 2nd Battalion, 41st Regiment": a unit
        named by its place up the tree (each name a higher echelon, joined by bare commas) is
        one name; each part names its parent. A list ("the 4th Battalion, 2nd Regiment and
        9th Division") is not."""
        n = len(items)
        ends = [it.end for it in items]
        gaps = [b.start - a for a, b in zip(ends[:-1], items[1:], strict=True)]
        joined = [k for k, g in enumerate(gaps) if (g == 2 or g == 6) and body.startswith(
            ", " if g == 2 else ", the ", ends[k])]  # "1st Battalion, the Royal Scots"
        if not joined:
            return items
        lx = self.lex

        def rank(it: Item) -> int:
            if it.kind != "unit":
                return -1
            ech = lx.ladder_alias.get(it.echelon or "", it.echelon)
            return lx.ladder.index(ech) if ech in lx.ladder else -1

        battalion = lx.ladder.index("battalion")
        out: list[Item] = []
        i = 0
        for k in joined:
            if k < i or rank(items[k]) < battalion:
                continue
            j = k
            while j + 1 < n and j in joined and 0 <= rank(items[j + 1]) < rank(items[j]):
                j += 1
            if j == k or (j + 1 < n and items[j + 1].kind == "unit"
                          and LIST_GAP_RE.fullmatch(body, items[j].end, items[j + 1].start)):
                continue
            out.extend(items[i:k])
            end = items[j].end
            up = items[j]
            for x in range(j - 1, k - 1, -1):
                up = replace(items[x], end=end, of_target=up,
                             name=" ".join(body[items[x].start:end].split()))
            out.append(up)
            i = j + 1
        out.extend(items[i:])
        return out

    def _civil(self, body: str, it: Item) -> Item:
        """"the Gentle Brigade, a five-piece band", "the darts team, the Bilge Battalion": a
        named unit said to be a band, team or club is that, no unit."""
        if it.kind != "unit" or it.ordinal is not None or it.form != "name":
            return it
        m = self.civil_after_re.match(body, it.end) if body.startswith(",", it.end) else None
        if m is None:
            lo = max(0, it.start - 48)
            if body.find(",", lo, it.start) < 0 and body.find("called", lo, it.start) < 0 \
                    and body.find("named", lo, it.start) < 0:
                return it
            if self.civil_before_re.search(body, lo, it.start) is None:
                return it
        return Item(it.start, it.end, "organization", it.name)

    def _national_unit(self, body: str, s: int) -> Item | None:
        """"I (German) Corps", "1st (British) Armoured Division": a numbered unit with its
        nation in brackets."""
        m = NATIONAL_UNIT_RE.match(body, s)
        if m is None:
            return None
        number, nation, rest = m.group(1, 2, 3)
        surface = self.work.get(nation)
        head = self.lex.head_first.get(rest.split()[-1].lower())
        value = self.ordinal_value(number) or (_roman(number) if number.isupper() else None)
        if surface is None or surface.kind != "nation" or not head or value is None:
            return None
        echelon = self.lex.heads.get(head[0][1])
        if echelon is None:
            return None
        words = tuple(w.lower() for w in rest.split()[:-1])
        return Item(s, m.end(), "unit", " ".join(m.group().split()), echelon=echelon,
                    ordinal=value, head=echelon, mods=words, name_nations=[surface.entity])

    def _bare_ordinal(self, body: str, s: int, e: int) -> Item | None:
        """"the rest of the 41st", "the 7th had to be pulled out": a unit called by its number
        alone (resolved to the last unit of that number, if any), not a date ("on the 14th",
        "the 14th of May", "the 20th century")."""
        m = NUM_ORD_RE.fullmatch(body, s, e)
        if m is None or not (body.endswith(("the ", "The "), 0, s)
                             or BARE_LIST_BEFORE_RE.search(body, max(0, s - 40), s)):
            return None  # "the 41st", or "the 42nd and 92nd": a 92nd listed after another
        listed = BARE_LIST_RE.match(body, e)
        end = listed.end() if listed else e  # "the 42nd and 92nd were shipped"
        nxt = body[end:end + 2]
        if len(nxt) == 2 and nxt[0] in " \t" and not nxt[1].islower() and nxt[1] not in "(\"'":
            return None  # "the 14th March", "the 41st Rifle ...", "the 5th and 17th Divisions"
        f = FOLLOW_RE.match(body, end)
        if f is not None and f.group(2) in self.lex.bare_ordinal_after:
            return None
        pw = PREV_WORD_RE.search(body, max(0, s - 28), s - 4)
        prev = pw.group(1).lower() if pw is not None else ""
        if prev == "of":  # "the rest of the 41st", but "the morning of the 14th"
            pw = PREV_WORD_RE.search(body, max(0, pw.start() - 24), pw.start())
            if pw is not None and pw.group(1).lower() in self.lex.date_nouns:
                return None
        elif prev in self.lex.bare_ordinal_before:
            return None
        return Item(s, e, "unit", body[s:e], form="bare", ordinal=int(m.group(1)))

    def _acronym_first(self, body: str, acronym: tuple[int, int],
                       items: list[Item]) -> list[Item]:
        """"The NEC (Northern Expeditionary Corps) landed": the acronym before the bracket
        names the unit in it when its letters are the name's initials, in order."""
        unit = next((it for it in items if it.kind == "unit" and it.form == "name"), None)
        if unit is None:
            return []
        a, b = acronym
        acr = body[a:b]
        initials = iter(word[0] for word in body[unit.start:unit.end].split() if word[0].isupper())
        if not all(letter in initials for letter in acr):
            return []
        known = self.work.get(acr)
        if known is not None and known.form != "acronym":
            return []
        self.work.add(acr, Surface(acr, "unit", "acronym"), force=True)
        return [Item(a, b, "acronym_def", acr, form="acronym", acronym=acr, target=unit)]

    def _without_languages(self, body: str, items: list[Item]) -> list[Item]:
        """Drop demonyms that name a language or an idiom, not a nation: "spoke French",
        "answered in broken French.", "written in Japanese and Korean.", "her Russian was
        better", "French windows"."""
        out: list[Item] = []
        i, n = 0, len(items)
        spoken = -1  # where the last language named ended
        while i < n:
            it = items[i]
            if it.kind != "nation" or it.form not in ("adj", "dadj"):  # "Germans": no language
                if it.kind != "nation" or it.form != "name" or not self._idiom(body, it):
                    out.append(it)  # but "Canada geese", "India ink": no state
                i += 1
                continue
            j = i  # a list of demonyms: "Polish, Czech and Hungarian"
            while j + 1 < n and items[j + 1].kind == "nation" \
                    and items[j + 1].form in ("adj", "dadj") \
                    and LIST_GAP_RE.fullmatch(body, items[j].end, items[j + 1].start) \
                    and "the" not in body[items[j].end:items[j + 1].start]:
                j += 1
            if self._language(body, it, items[j]) or self._another_language(body, it, spoken):
                spoken = items[j].end
            elif (f := FOLLOW_RE.match(body, items[j].end)) is not None \
                    and f.group(1) != "-" and f.group(2) in self.lex.land_nouns \
                    and body[it.start:it.end] in self.lex.surfaces:
                pass  # "the Korean peninsula", "the Russian winter": the land, no state
            else:
                out.extend(items[i:j + 1])
            i = j + 1
        return out

    def _another_language(self, body: str, it: Item, spoken: int) -> bool:
        """"spoke Portuguese to his wife and Finnish to his mother": after a language, in the
        same sentence, "and X to" names another."""
        if spoken < 0 or it.start - spoken > 80 or SENTENCE_END_RE.search(body, spoken, it.start):
            return False
        return body.endswith(("and ", "or ", "but ", ", "), 0, it.start) \
            and body.startswith((" to ", " only to ", " among ", " with "), it.end)

    def _idiom(self, body: str, it: Item) -> bool:
        """"French windows", "Canada geese": a state's name or adjective in a fixed phrase."""
        f = FOLLOW_RE.match(body, it.end)
        return f is not None and f.group(1) != "-" \
            and f"{body[it.start:it.end].lower()} {f.group(2)}" in self.lex.idioms

    def _language(self, body: str, first: Item, last: Item) -> bool:
        lx = self.lex
        f = FOLLOW_RE.match(body, last.end)
        after = f.group(2) if f is not None and f.group(1) != "-" else None
        if first is last and self._idiom(body, first):
            return True
        if after == "by" and f.group(3) in lx.language_after:  # "Varnian by language"
            return True
        pw = PREV_WORD_RE.search(body, max(0, first.start - 24), first.start)
        prev = pw.group(1).lower() if pw else ""
        if prev in lx.language_before or (
                prev == "" and SPOKEN_LIST_RE.search(body, max(0, first.start - 60),
                                                     first.start)):
            return True  # "spoke Romansh, German and a little Italian"
        if prev in ("of", "the"):  # "twenty words of Russian", "translated from the Danish,"
            pw = PREV_WORD_RE.search(body, max(0, pw.start() - 24), pw.start())
            if pw is None or pw.group(1).lower() not in (
                    lx.language_of if prev == "of" else ("from", "into")):
                return False
        elif prev not in lx.language_context:
            return False
        else:  # "spoke broken Japanese across the bridge"
            pw2 = PREV_WORD_RE.search(body, max(0, pw.start() - 24), pw.start())
            if pw2 is not None and pw2.group(1).lower() in lx.language_before:
                return True
        if after is not None:
            return after in lx.clause_words
        rest = body[last.end:last.end + 2].lstrip(" \t")
        return rest[:1] in CLAUSE_END or rest == ""  # not a quote: 'from Soviet "advisers"'


    def _run_items(self, body: str, s: int, e: int) -> tuple[list[Item], int]:
        """The items of the run ``body[s:e]`` and the end of the text they claim (-1: none)."""
        items, claimed = self._memo_run_items(body, s, e)
        return self._in_context(body, items), claimed

    def _memo_run_items(self, body: str, s: int, e: int) -> tuple[list[Item], int]:
        """``_parse_run`` memoised: serials repeat the same names in the same few contexts.

        A run's parse depends on its text, the work's lexicon and a little context: the four
        characters before it, the words after it (``FOLLOW_RE``), whether a bracket, "commanded
        by" or "known as" follows, and for some runs the names of an "of" list ("the brigades
        of Ostrov and Lind"). Those form the signature; a parse that
        reads anything else (``self._far``) is not memoised, so results are always those of
        ``_parse_run``.
        """
        w = self.work
        key = (body[s:e], w.version, len(w.adjective_of))
        memo = self._runs.get(key)
        if memo is None:
            # a text seen once is parsed plainly (most unit names are rare); from its
            # second appearance on it is memoised
            if key not in self._seen:
                if len(self._seen) > 50000:
                    self._seen.clear()
                self._seen.add(key)
                return self._parse_run(body, s, e)
            self.cached_atoms(body, s, e)  # may learn a state: then the key is out of date
            if key[1] != w.version or key[2] != len(w.adjective_of):
                return self._parse_run(body, s, e)  # the lexicon grew: parse afresh
            if len(self._runs) > 20000:
                self._runs.clear()
            memo = self._runs[key] = _RunMemo()
        elif memo.far > 8 and memo.far > 4 * memo.hits:
            return self._parse_run(body, s, e)  # its contexts are mostly read too far
        left = body[s - 4:s] if s >= 4 else body[:s]
        if not (left.endswith("of ") or left.lower().endswith(("the ", "the", "th", "t"))):
            left = ""  # read are "of " and a "the " before the name (maybe inside the run)
        f = FOLLOW_RE.match(body, e)
        right = body[e:e + 3]
        sig: tuple = (left, self._follow_sig(f))
        if "(" in right:
            m = ACRONYM_DEF_RE.match(body, e)
            sig += ("(", m.group(0, 1, 2) if m else None)
        ahead = body[e:e + 48] if AHEAD_RE.search(body, e, e + 48) else ""
        if "by " in ahead or "under " in ahead or "belonged to " in ahead:
            # "..., commanded by General X": the commander's name is read
            m = COMMANDED_RE.match(body, e)
            r = RUN_RE.match(body, m.end()) if m else None
            sig += ("by", m.group() if m else None, r.group() if r else None)
        if " as " in ahead:
            # "..., known as the X regiment": the name and the word after it are read
            m = KNOWN_AS_RE.match(body, e)
            r = RUN_RE.match(body, m.end()) if m else None
            f2 = FOLLOW_RE.match(body, r.end()) if r else None
            sig += ("as", m.group() if m else None, r.group() if r else None,
                    f2.group(2) if f2 else None)
        if left.endswith("of "):
            m = self.ech_of_re.search(body, max(0, s - 24), s)
            sig += (m.group(1) if m else None,)
            if m:  # the names of the list are read
                sig += (body[s:self._of_list_units(body, s, "")[1]],)
        results = memo.results
        if sig in results:
            got = results[sig]
            if got is _FAR:
                memo.far += 1
                return self._parse_run(body, s, e)
            memo.hits += 1
            base, items, claimed, linked = got
            d = s - base
            return _shifted(items, d, linked), claimed + d if claimed >= 0 else -1
        state = (w.version, len(w.adjective_of), len(self._cache))
        self._far = False
        items, claimed = self._parse_run(body, s, e)
        if self._far:
            memo.far += 1
            results[sig] = _FAR
        elif state == (w.version, len(w.adjective_of), len(self._cache)) \
                and self._runs.get(key) is memo:
            results[sig] = (s, _shifted(items, 0), claimed, _linked(items))
        return items, claimed

    def _follow_sig(self, f: re.Match[str] | None) -> tuple[str, str, str] | None:
        """What a run's parse can read in the words after it (``FOLLOW_RE``): the words only
        when they are ones the grammar knows ("army", "regiment", "language"...), with the
        blanks before them (their offsets are read too)."""
        if f is None:
            return None
        gap, w1, w2 = f.group(1, 2, 3)
        second = w2 if w2 is not None and w2 in self.follow_second else ""
        if second or w1 in self.follow_first:
            return gap, w1, second
        return "-" if gap == "-" else " ", "", ""

    def _segments(self, atoms: list[Atom]) -> list[tuple[list[Atom], str | None]]:
        """Split at "of (the)" and after possessives; each segment says how it is linked."""
        segs: list[tuple[list[Atom], str | None]] = []
        cur: list[Atom] = []
        link: str | None = None
        i = 0
        while i < len(atoms):
            a = atoms[i]
            if a.surface is None and a.tok.kind == "of":
                segs.append((cur, link))
                cur, link = [], "of"
                i += 1
                if i < len(atoms) and atoms[i].surface is None and atoms[i].tok.kind == "the":
                    i += 1
                continue
            cur.append(a)
            if a.poss:
                segs.append((cur, link))
                cur, link = [], "poss"
            i += 1
        segs.append((cur, link))
        return segs

    def _head_at(self, seg: list[Atom], q: int) -> tuple[int, str] | None:
        a = seg[q]
        if a.surface is not None:
            return None
        for k, comp in self.lex.head_first.get(a.tok.low, ()):
            if q + k > len(seg):
                continue
            ok = True
            for x in range(1, k):
                b = seg[q + x]
                if b.surface is not None or b.tok.low != comp.split()[x] or seg[q + x - 1].poss:
                    ok = False
                    break
            if ok:
                return k, comp
        return None

    def _parse_segment(self, body: str, seg: list[Atom]) -> list[Item]:
        lx = self.lex
        items: list[Item] = []
        p = 0
        n = len(seg)
        while p < n:
            a = seg[p]
            if a.surface is None and (a.tok.kind in ("of", "the")
                                      or (a.tok.low in lx.stopwords and a.tok.ordinal is None)):
                p += 1
                continue
            unit = self._unit_from(body, seg, p)
            if unit is not None:
                item, q = unit
                low = item.name.lower()
                other = lx.not_military.get(low)
                if other is None and low.endswith(lx.not_military_ends):
                    other = "organization"  # "the London Fire Brigade"
                if other is None:
                    items.append(item)
                elif other:  # "the Salvation Army": a name, but no army
                    items.append(Item(item.start, item.end, other, item.name))
                p = q
                continue
            if a.surface is not None:
                s = a.surface
                kind = "unit" if s.form == "acronym" else s.kind
                if (s.form == "dadj" and p + 1 < n) or (kind == "nation" and self._titled(seg, p)):
                    p += 1
                    continue
                items.append(self._surface_item(a.start, a.end, s, kind))
            p += 1
        return items

    def _short_unit(self, body: str, s: int, atoms: list[Atom]) -> Item | None:
        """"the 79th Guards Tank", "the 3rd Armored": a unit named by its number and type
        without its echelon word (resolved to the last such unit, if any); "the Guard": by
        the last word of its name alone (resolved only when one unit has it)."""
        abbr = self.lex.unit_abbreviations  # "the 3rd AD": the 3rd Armored Division
        if atoms[0].surface is None and atoms[0].tok.low == "the":
            atoms = atoms[1:]
        elif body[max(0, s - 4):s].lower() != "the " and not any(
                a.text in abbr for a in atoms[1:]):  # "orders 3rd AD to": no "the" needed
            return None
        if len(atoms) == 1 and atoms[0].surface is None and not atoms[0].poss \
                and atoms[0].tok.low in self.lex.heads and " " not in atoms[0].tok.low \
                and atoms[0].tok.low not in self.lex.plural_heads:
            a = atoms[0]  # "the Guard", "the Legion": the work's one unit of that word
            return Item(a.start, a.end, "unit", a.text, form="head", head=a.tok.low)
        if not 2 <= len(atoms) <= 4 or atoms[0].surface is not None \
                or atoms[0].tok.kind != "ord" or not atoms[0].tok.text[0].isdigit():
            return None
        for a in atoms[1:]:
            if a.surface is not None and a.surface.kind != "nation" or a.surface is None and (
                    a.tok.kind != "cap" or a.tok.low in self.lex.stopwords) \
                    or a.poss and a is not atoms[-1]:
                return None
        first, last = atoms[0], atoms[-1]
        mods = [w for a in atoms[1:] for w in abbr.get(a.text, a.text.lower()).split()]
        return Item(first.start, last.end, "unit", body[first.start:last.end], form="bare",
                    ordinal=first.tok.ordinal, mods=tuple(mods))

    def _surface_item(self, start: int, end: int, surface: Surface,
                      kind: str | None = None) -> Item:
        """The item of a name the lexicon knows; a known armed force ("the Luftwaffe") with
        its echelon and side."""
        nation = self.lex.armed_forces.get(surface.entity) if surface.kind == "unit" else None
        if nation is not None:
            return Item(start, end, "unit", surface.entity, echelon="armed force",
                        name_nations=[nation])
        return Item(start, end, kind or surface.kind, surface.entity, form=surface.form)

    def _titled(self, seg: list[Atom], p: int) -> bool:
        """Is ``seg[p]`` part of a person's name after a title ("Major Holland", "Lieutenant
        Victoria Wales")?"""
        for q in range(p - 1, max(-1, p - 4), -1):
            a = seg[q]
            if a.surface is not None or a.tok.kind != "cap":
                return False
            if a.tok.low in self.lex.titles:
                return True
        return False

    def _unit_from(self, body: str, seg: list[Atom], p: int) -> tuple[Item, int] | None:
        lx = self.lex
        n = len(seg)
        q = p
        while q < n and q - p <= 8:
            a = seg[q]
            if a.surface is None:
                t = a.tok
                if t.kind in ("of", "the") or (t.low in lx.stopwords and t.ordinal is None):
                    return None
                h = self._head_at(seg, q)
                if h is not None and not a.poss and q + h[0] < n:
                    after = self._head_at(seg, q + h[0])  # "Home Guard Division": the last
                    if after is not None and seg[q + h[0] - 1].tok.low in lx.name_heads:
                        q, h = q + h[0], after
                    else:  # "the Royal Army Nursing Corps", "the 3rd Division Signal Company"
                        r = q + h[0]
                        while r < n and r - q - h[0] < 2 and seg[r].surface is None \
                                and seg[r].tok.kind == "cap" and not seg[r].poss \
                                and seg[r].tok.low not in lx.stopwords \
                                and self._head_at(seg, r) is None:
                            r += 1
                        later = self._head_at(seg, r) if q + h[0] < r < n else None
                        if later is not None and not seg[r - 1].poss:
                            q, h = r, later
                if h is not None:
                    item = self._make_unit(body, seg, p, q, h)
                    if item is not None:
                        return item
                    return None
            elif a.surface.form == "acronym":
                return None
            if a.poss:
                return None
            q += 1
        return None

    def _make_unit(self, body: str, seg: list[Atom], p: int, q: int,
                   h: tuple[int, str]) -> tuple[Item, int] | None:
        lx = self.lex
        k, comp = h
        end_idx = q + k  # exclusive
        ordi = None
        ord_value = None
        for x in range(p, q):
            a = seg[x]
            if a.surface is None and a.tok.ordinal is not None:
                ordi, ord_value = x, a.tok.ordinal
                break
        if ordi is None and q > p and seg[q - 1].surface is None:
            rv = _roman(seg[q - 1].tok.text)
            if rv is not None and seg[q - 1].tok.text.isupper():
                ordi, ord_value = q - 1, rv
        if end_idx < len(seg) and seg[end_idx].surface is None \
                and seg[end_idx].tok.low in lx.street_words:
            return None  # "14 Fleet Street", "Brigade Road": an address
        # trailing number or letter: "Task Force 58", "Army Group North"
        trail = False
        nxt = seg[end_idx].surface if end_idx < len(seg) else None
        if nxt is not None and ordi is None and nxt.kind == "nation" \
                and (comp in lx.named_after or lx.heads[comp] in NATION_NAMED) \
                and nxt.form in ("name", "alias") and not seg[end_idx - 1].poss:
            end_idx += 1  # "Battlegroup Lithuania", "Multinational Brigade Latvia"
            trail = True
        elif end_idx < len(seg) and not seg[end_idx - 1].poss and seg[end_idx].surface is None:
            t = seg[end_idx].tok
            if t.kind == "num" or (ordi is None and (t.low in lx.trailing_names
                                                     or _roman(t.text) is not None)) \
                    or (ordi is None and q == p and comp in lx.named_after and t.kind == "cap"
                        and t.low not in lx.stopwords):  # "Army Group Vostra"
                end_idx += 1
                trail = True
        is_org = comp in lx.org_heads and comp not in lx.heads
        plural = comp in lx.plural_heads and comp != "corps"
        if is_org:
            if q == p:
                return None
            start = seg[p].start
            endc = seg[end_idx - 1].end
            name = " ".join(body[start:endc].split())
            return Item(start, endc, "organization", name), end_idx
        echelon = lx.heads[comp]
        if plural:
            echelon = lx.plural_heads[comp]
        if comp in ("army", "armies") and ordi is None:
            echelon = "armed force"
        elif comp == "air force" and ordi is not None:
            echelon = "army"  # "the 8th Air Force": a formation of an air arm
        if trail and comp == "force" and (body.endswith("a ", 0, seg[p].start)
                                          or WEATHER_AFTER_RE.match(body, seg[end_idx - 1].end)):
            return None  # "a Force 8 gale": the wind
        if ordi is not None and lx.heads[comp] in ("group", "troop") and any(
                a.tok.low in ("scout", "scouts", "guide", "guides", "cub", "cubs")
                for a in seg[ordi:q]):
            return None  # "the 1st Ashby Scout Group"
        if ordi is None and not trail and (q == p or echelon in lx.numbered_only
                                           or lx.heads[comp] in lx.numbered_only) \
                and not (q > p and self._initials_defined(body, seg[p].start,
                                                          seg[end_idx - 1].end)):
            return None
        # names need a distinct word: "the Red Army" yes, "the Army" no
        name_start_idx = ordi if ordi is not None else p
        qualifiers = seg[p:ordi] if ordi is not None else []
        if len(qualifiers) > 2:
            qualifiers = qualifiers[-2:]
        start = qualifiers[0].start if qualifiers else seg[name_start_idx].start
        endc = seg[end_idx - 1].end
        name_start = seg[name_start_idx].start
        name = " ".join(body[name_start:endc].split())
        full_head = lx.abbreviated_heads.get(comp)
        if full_head is not None:  # "6th Div.": the 6th Division
            name = name.rsplit(" ", 1)[0] + " " + full_head if " " in name else full_head
            if body.startswith(".", endc):
                endc += 1
        head_word = comp
        if plural:
            head_word = lx.plural_heads[comp]
        mods = tuple(a.text.lower() for a in seg[name_start_idx + (1 if ordi is not None else 0):q])
        if comp in lx.named_troops:  # "the 5th Marines" is the 5th Marine Regiment
            head_word = echelon
            mods = (*mods, _singular(comp))
        nations = [a.surface.entity for a in seg[name_start_idx:q]
                   if a.surface is not None and a.surface.kind == "nation"]
        if ordi is None and q > p:
            # "Eskarian Liberation Army": a state's adjective at the front gives the side
            first = seg[p]
            if first.surface is None:
                nat = self.work.nation_of_adjective(first.tok.text)
                if nat:
                    nations.append(nat)
        item = Item(start, endc, "unit", name, form="plural" if plural else "name",
                    echelon=echelon, ordinal=ord_value, head=head_word, mods=mods,
                    qualifiers=list(qualifiers), name_nations=nations)
        if plural:
            # singular canonical name: "9th Mechanized Divisions" -> "9th Mechanized Division"
            last = seg[q + k - 1]  # a head word: one token, so the atom's start is the token's
            sing = _singular(last.tok.text)
            item.name = " ".join(body[name_start:last.start].split() + [sing]) if \
                body[name_start:last.start].strip() else sing
        return item, end_idx

    def _initials_defined(self, body: str, start: int, end: int) -> bool:
        """Does an acronym of the name's initials follow it: "Ground Component Command
        (GCC)"?"""
        m = ACRONYM_DEF_RE.match(body, end)
        if m is None:
            return False
        initials = "".join(w[0] for w in body[start:end].split() if w[:1].isupper())
        return m.group(1).replace(".", "") == initials

    # ----------------------------------------------------------------- one run
    def _parse_run(self, body: str, s: int, e: int) -> tuple[list[Item], int]:
        lx = self.lex
        atoms = self.cached_atoms(body, s, e)
        if not atoms:
            return [], -1
        hf = lx.head_first
        if not atoms[-1].poss and all(a.surface is None and a.tok.kind in ("cap", "num")
                                      and a.tok.low not in hf for a in atoms) \
                and not body.endswith("of ", 0, s):
            f = FOLLOW_RE.match(body, e)
            if f is None or (f.group(2) not in lx.lower_echelon
                             and f.group(2) not in lx.named_troops):
                return [], -1  # plain capitalised words ("General Ruiz"): nothing to name
        segs = self._segments(atoms)
        items: list[Item] = []
        claimed = -1
        prev_items: list[Item] = []
        prev_last_atom: Atom | None = None
        waiting: Item | None = None  # "X of General Y's Z": X, until Z is parsed
        # "the Army of the Rhine", "the Armed Forces of South Russia": a head, then its name
        army_of: tuple[int, str] | None = None
        for seg, link in segs:
            seg_items = self._parse_segment(body, seg) if seg else []
            if army_of is not None and link == "of" and seg and all(
                    a.tok.kind == "cap" and (a.surface is None or a.surface.kind != "unit")
                    and a.tok.low not in lx.heads for a in seg) and not seg[-1].poss:
                named = " ".join(body[army_of[0]:seg[-1].end].split())
                seg_items = [] if named.lower() in lx.not_military else [
                    Item(army_of[0], seg[-1].end, "unit", named, echelon=army_of[1])]
            army_of = None
            words = [a for a in seg if a.tok.low != "the"]
            if words and not seg_items and len(words) <= 2 and all(
                    a.surface is None and not a.poss for a in seg):
                named = " ".join(a.tok.low for a in words)
                if named in lx.of_named_heads:
                    army_of = (words[0].start, lx.heads[named])
            if not seg_items and link == "of" and 1 <= len(seg) <= 2 and prev_items \
                    and prev_items[-1].kind == "unit" and prev_items[-1] is items[-1] \
                    and seg[-1].surface is None and seg[-1].tok.low in REGIMENT_OF \
                    and not seg[-1].poss:
                unit = items[-1]  # "the 33rd Regiment of Foot", "the Regiment of Light Horse"
                unit.end = seg[-1].end
                unit.name = " ".join(body[unit.start:unit.end].split())
                prev_last_atom = seg[-1]
                continue
            if not seg_items and link == "of" and len(seg) == 1 and seg[0].surface is None \
                    and seg[0].tok.kind == "ord" and seg[0].tok.text[0].isdigit() \
                    and prev_items and prev_items[-1].kind == "unit":
                a = seg[0]  # "the 2nd Battalion of the 41st": the 41st named before
                seg_items = [Item(a.start, a.end, "unit", a.text, form="bare",
                                  ordinal=a.tok.ordinal)]
            if seg_items and prev_items and link == "of":
                child, target = prev_items[-1], seg_items[0]
                if child.kind == "unit" and child.end <= target.start:
                    child.of_target = target
            elif link == "poss" and seg_items:
                child = seg_items[0]
                if prev_items and prev_last_atom is not None and prev_items[-1].end == \
                        prev_last_atom.end:
                    if child.kind == "unit":
                        child.possessor = prev_items[-1]
                elif prev_last_atom is not None and prev_last_atom.surface is None and \
                        prev_last_atom.tok.kind == "cap" and child.kind == "unit":
                    child.commander = prev_last_atom.tok.text
            elif link == "poss" and len(seg) == 1 and seg[0].surface is None \
                    and seg[0].tok.low in lx.lower_echelon \
                    and seg[0].tok.low not in lx.lower_plural and prev_last_atom is not None \
                    and prev_last_atom.surface is None and prev_last_atom.tok.kind == "cap" \
                    and prev_last_atom.tok.low not in lx.stopwords \
                    and prev_last_atom.tok.low not in lx.titles:
                # "Harlan's Brigade": the commander's unit, capitalised
                seg_items = self._commander_units(body, prev_last_atom, seg[0].tok.low,
                                                  seg[0].end)
            if waiting is not None and link == "poss" and seg_items \
                    and seg_items[0].kind == "unit" and waiting.end <= seg_items[0].start:
                waiting.of_target = seg_items[0]
            waiting = prev_items[-1] if not seg_items and link == "of" and prev_items \
                and prev_items[-1].kind == "unit" and seg and seg[-1].poss else None
            items.extend(seg_items)
            prev_items = seg_items
            prev_last_atom = seg[-1] if seg else None
        if not items:
            short = self._short_unit(body, s, atoms)
            if short is not None:
                return [short], -1
        # "the Red Army Choir", "the Third Division Cup": a unit's name inside another name;
        # "JR East": an acronym inside another name
        for k, it in enumerate(items):
            if it.kind != "unit" or it.end >= atoms[-1].start:
                continue
            nxt = next((a for a in atoms if a.start > it.end), None)
            if nxt is None or nxt.surface is not None or body[it.end:nxt.start].strip():
                continue
            if nxt.tok.low in lx.product_words or (
                    it.form == "acronym" and nxt.tok.kind == "cap"
                    and nxt.tok.low not in lx.heads and nxt.tok.low not in lx.stopwords):
                items[k] = Item(it.start, nxt.end, "organization",
                                " ".join(body[it.start:nxt.end].split()))
        # ------------------------------------------------ what follows the run
        last_atom = atoms[-1]
        last_item = items[-1] if items else None
        fol = FOLLOW_RE.match(body, e)
        w1 = fol.group(2).lower() if fol and fol.group(1) != "-" else None
        w2 = fol.group(3).lower() if fol and fol.group(3) else None
        at_end = last_item is not None and last_item.end == last_atom.end
        if at_end and last_item.kind == "unit" and w1 in lx.product_words:
            items.pop()  # "a Swiss Army knife", "Army surplus boots"
            last_item = items[-1] if items else None
            at_end = last_item is not None and last_item.end == last_atom.end
        if at_end and last_item.kind == "nation" and last_item.form == "adj" and w1:
            svc = None
            if w2 and f"{w1} {w2}" in lx.national_services:
                svc, wend = f"{w1} {w2}", fol.end(3)
            elif w1 in lx.national_services:
                svc, wend = w1, fol.end(2)
            if svc is not None and not last_atom.poss:
                items[-1] = Item(last_item.start, wend, "unit",
                                 f"{last_atom.text} {lx.national_services[svc]}",
                                 echelon="armed force", name_nations=[last_item.name])
            elif w1 in lx.language_after or (fol.group(1) == "-" and w1 == "speaking"):
                items.pop()
        elif at_end and last_item.form == "acronym" and w1 in lx.unit_words \
                and not body.endswith(("a ", "an ", "A ", "An "), 0, s):
            last_item.end = fol.end(2)  # "the HB unit", but "an EPA unit" is one of its
        elif last_atom.poss and w1 and last_atom.surface is None and at_end is False \
                and last_atom.tok.kind == "cap" and last_atom.tok.low not in lx.titles:
            # commander's unit: "Kessel's division", "Harlan's and Voss's brigades"
            ech_word, wend = (w1, fol.end(2))
            if ech_word not in lx.lower_echelon and w2 in lx.lower_echelon:
                ech_word, wend = w2, fol.end(3)
            if ech_word in lx.lower_echelon:
                if ech_word in lx.lower_plural:
                    self._far = True  # reads the possessives before the run
                items.extend(self._commander_units(body, last_atom, ech_word, wend))
            elif w1 in lx.commander_troops:  # "Guderian's panzers": his unit, if he has one
                name = last_atom.tok.text
                items.append(Item(last_atom.start, fol.end(2), "unit", f"{name}'s {w1}",
                                  form="commander", commander=name))
        elif not last_atom.poss and last_atom.surface is None and last_atom.tok.kind == "cap" \
                and w1 and (last_item is None or last_item.end <= last_atom.start):
            # "the Volkov regiment", "Tver dragoons"
            name_atoms = []
            for a in reversed(atoms):
                if a.surface is not None or a.tok.kind != "cap" or a.tok.low in lx.stopwords \
                        or (last_item is not None and a.start < last_item.end) \
                        or HYPHEN_WORD_RE.search(a.tok.text):  # "the French-speaking ..."
                    break
                name_atoms.insert(0, a)
            if name_atoms and len(name_atoms) <= 3:
                ns = name_atoms[0].start
                before = body[max(0, ns - 4):ns]
                single = w1 in lx.lower_echelon and w1 not in lx.lower_plural \
                    and w1 not in ("army", "fleet")
                if (single and before.lower() == "the ") or w1 in lx.named_troops:
                    ech = lx.lower_echelon.get(w1) or lx.named_troops[w1]
                    label = " ".join(body[ns:last_atom.end].split())
                    items.append(Item(ns, fol.end(2), "unit", f"{label} {w1.title()}",
                                      echelon=ech, head=ech))
        # "the brigades of Ostrov and Lind"
        if not items or items[0].start > atoms[0].start:
            m = self.ech_of_re.search(body, max(0, s - 24), s) \
                if body.endswith("of ", 0, s) else None
            if m and atoms[0].surface is None and atoms[0].tok.kind == "cap" \
                    and atoms[0].tok.low not in lx.stopwords:
                units, claimed = self._of_list_units(body, s, lx.lower_echelon[m.group(1)])
                if units:
                    items = [it for it in items if it.start >= claimed] + units
        # "the 12th Division, commanded by General Kessel": the commander's surname; "the
        # 1st Corps of Matvei Gusev, known as Gusev's corps": what is said after its leader
        if last_item is not None and last_item in items and last_item.kind == "unit" \
                and (last_item.end == last_atom.end
                     or OF_PERSON_RE.fullmatch(body, last_item.end, e)) \
                and last_item.form != "commander":
            ahead = body[e:e + 48]
            cm = COMMANDED_RE.match(body, e) if ("by " in ahead or "under " in ahead
                                                 or "belonged to " in ahead) else None
            if cm:
                r = RUN_RE.match(body, cm.end())
                if r:
                    toks = self.tokens(body, r.start(), r.end())
                    names = [t for t in toks if t.kind == "cap" and t.low not in lx.stopwords]
                    titled = bool(toks) and toks[0].low in lx.titles
                    said = cm.group()  # "belonged to X", "under X" without a comma: a title
                    loose = "belonged" in said or said[:1] != "," and "under" in said
                    names = [t for t in names if t.low not in lx.titles]
                    if names and len(names) <= 4 and self.work.get(names[-1].text) is None \
                            and (titled or not loose):
                        last_item.commander = " ".join(t.text for t in names)
            km = KNOWN_AS_RE.match(body, e) if " as " in ahead else None
            if km:
                r = RUN_RE.match(body, km.end())
                if r:
                    f2 = FOLLOW_RE.match(body, r.end())
                    label = " ".join(body[r.start():r.end()].split())
                    if f2 and f2.group(2).lower() in lx.lower_echelon:
                        label = f"{label} {f2.group(2).title()}"
                    last_item.known_as = label
        # acronym definition: "... Rapid Reaction Force (CRR force)"
        if last_item is not None and last_item in items and last_item.end == last_atom.end \
                and last_item.kind in ("unit", "nation", "organization"):
            m = ACRONYM_DEF_RE.match(body, e) if "(" in body[e:e + 3] else None
            if m and len(m.group(1)) >= 2 and sum(c.isupper() for c in m.group(1)) >= 2:
                acr = m.group(1)
                word = m.group(2)
                if word is None or word in lx.unit_words:
                    if self.work.get(acr) is None or self.work.get(acr).form == "acronym":
                        self.work.add(acr, Surface(acr, "unit", "acronym"), force=True)
                    dend = m.end(2) if word else m.end(1)
                    items.append(Item(m.start(1), dend, "acronym_def", acr, form="acronym",
                                      acronym=acr, target=last_item))
                    claimed = max(claimed, m.end())
        return items, claimed

    def _in_context(self, body: str, items: list[Item]) -> list[Item]:
        """The steps that read the text before a run's units, done for every occurrence (so
        outside the memo): "its 2nd Battalion" belongs to a unit named before, and ordinals
        listed before a unit are units too ("the 4th and 9th Corps"); a plural left alone
        ("the 9th Divisions") is no name, nor is an acronym defined for it."""
        if not any(it.kind == "unit" and (it.ordinal is not None or it.form == "plural")
                   for it in items):
            return items
        out = list(items)
        for it in items:
            if it.kind != "unit":
                continue
            if it.ordinal is None or it.qualifiers:
                if it.form == "plural":
                    out.remove(it)
                continue
            if body.endswith("s ", 0, it.start) \
                    and OWNER_RE.search(body, max(0, it.start - 8), it.start):
                it.owned = True
            extra = self._coordinated(body, it)
            out.extend(extra)
            if extra:
                group = tuple((x.ordinal, x.head, x.mods) for x in [*extra, it])
                for x in [*extra, it]:
                    x.group = group
            if it.form == "plural" and not extra:
                out.remove(it)
        if len(out) < len(items):
            kept = {id(it) for it in out}
            out = [it for it in out if it.target is None or id(it.target) in kept]
        return out

    def _commander_units(self, body: str, atom: Atom, ech_word: str, wend: int) -> list[Item]:
        lx = self.lex
        ech = lx.lower_echelon[ech_word]
        head = _singular(ech_word)
        owner = atom.tok.raw if atom.tok.raw.endswith(("s'", "s’")) else f"{atom.tok.text}'s"
        other = lx.not_military.get(f"{owner} {ech_word}".lower())
        if other is not None:  # "the Boys' Brigade"
            return [Item(atom.start, wend, other, f"{owner} {head.title()}")] if other else []
        out = [Item(atom.start, wend, "unit", f"{owner} {head}", form="commander",
                    echelon=ech, head=ech, commander=atom.tok.text)]
        if ech_word in lx.lower_plural:
            pos = atom.start
            for _ in range(6):
                m = POSS_BACK_RE.search(body, max(0, pos - 60), pos)
                if not m:
                    break
                name = m.group(1)
                if self.work.get(name) is not None or name.lower() in lx.stopwords:
                    break
                out.insert(0, Item(m.start(1), m.start(1) + len(name) + 2
                                   if body[m.start(1) + len(name) + 1:m.start(1) + len(name) + 2]
                                   in "sS" else m.start(1) + len(name) + 1, "unit",
                                   f"{name}'s {head}", form="commander", echelon=ech, head=ech,
                                   commander=name))
                pos = m.start(1)
        return out

    def _of_list_units(self, body: str, s: int, ech: str) -> tuple[list[Item], int]:
        out: list[Item] = []
        pos = s
        end = s
        for _ in range(12):
            m = NAME_RE.match(body, pos)
            if not m:
                break
            name = m.group().rstrip("'’-")
            if self.work.get(name) is not None or name.lower() in self.lex.stopwords \
                    or DESIGNATION_RE.match(body, m.end()) \
                    or name.lower() in self.lex.heads or HYPHEN_WORD_RE.search(name) \
                    or name[:-1].isupper() and len(name) > 2:
                break  # "a brigade of Soviet-made guns", "two companies of BMPs"
            out.append(Item(m.start(), m.start() + len(name), "unit", f"{name}'s {ech}",
                            form="commander", echelon=ech, head=ech, commander=name))
            end = m.end()
            sep = LIST_GAP_RE.match(body, m.end())
            if not sep or "," not in sep.group() and "and" not in sep.group() \
                    and "&" not in sep.group():
                break
            pos = sep.end()
        return out, end

    def _coordinated(self, body: str, it: Item) -> list[Item]:
        """Ordinals listed before a unit: "the 4th, 5th and 9th Corps" -> 4th/5th Corps."""
        s = it.start
        if not body.endswith(("and ", "& ", "or ", "the ", ", "), max(0, s - 6), s):
            return []
        if not COORD_BEFORE_RE.search(body, max(0, s - 16), s):
            return []
        lo = max(0, s - 80)
        toks = [(m.group(), m.start(), m.end()) for m in BACK_TOK_RE.finditer(body, lo, s)]
        # tokens must touch (only blanks between them) from the unit back to the first ordinal
        i = len(toks) - 1
        edge = s

        def touching(k: int) -> bool:
            return body[toks[k][2]:edge].strip(" \t") == ""

        if i >= 0 and toks[i][0].lower() == "the" and touching(i):
            edge = toks[i][1]
            i -= 1
        if i < 0 or toks[i][0].lower() not in ("and", "&", "or") or not touching(i):
            return []
        edge = toks[i][1]
        i -= 1
        if i >= 0 and toks[i][0] == "," and touching(i):
            edge = toks[i][1]
            i -= 1
        first = it.name.split(" ", 1)[0]
        roman = first.isupper() and _roman(first) is not None  # "XII and XIV Corps"

        def number(text: str) -> int | None:
            return _roman(text) if roman and text.isupper() else self.ordinal_value(text)

        found: list[tuple[str, int, int]] = []
        # "the 3rd Armored and the 8th Infantry Division", "its 2nd Guards Motor Rifle and
        # 4th Guards Tank Divisions": the words of the first name, then its number
        words: list[tuple[str, int, int]] = []
        k = i
        while k >= 0 and len(words) < 3 and touching(k) and toks[k][0][:1].isupper() \
                and number(toks[k][0]) is None and toks[k][0].lower() not in self.lex.stopwords:
            words.insert(0, toks[k])
            edge = toks[k][1]
            k -= 1
        if words:
            if k < 0 or not touching(k) or number(toks[k][0]) is None:
                return []
            text, a0, _ = toks[k]
            named = " ".join(w for w, _, _ in words)
            return [Item(a0, words[-1][2], "unit", f"{text} {named} {it.name.split()[-1]}",
                         echelon=it.echelon, ordinal=number(text), head=it.head,
                         mods=tuple(w.lower() for w, _, _ in words),
                         name_nations=list(it.name_nations), of_target=it.of_target,
                         possessor=it.possessor)]
        while i >= 0 and touching(i) and number(toks[i][0]) is not None:
            found.append(toks[i])
            edge = toks[i][1]
            i -= 1
            if i >= 0 and toks[i][0] == "," and touching(i):
                edge = toks[i][1]
                i -= 1
                continue
            break
        out: list[Item] = []
        rest = it.name.split(" ", 1)[1] if " " in it.name else it.name
        for text, a, b in reversed(found):
            # "the Second Army's 4th and 9th Corps", "the 5th and 17th Divisions of the
            # 2nd Corps": the owner of the last is the owner of all
            out.append(Item(a, b, "unit", f"{text} {rest}", echelon=it.echelon,
                            ordinal=number(text), head=it.head, mods=it.mods,
                            name_nations=list(it.name_nations), of_target=it.of_target,
                            possessor=it.possessor))
        return out


def _singular(word: str) -> str:
    low = word.lower()
    if low == "corps":
        return word
    if low.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if low.endswith("s") and not low.endswith("ss"):
        return word[:-1]
    return word
