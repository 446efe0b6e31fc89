"""Turn grammar items into entities: short forms, acronyms, relations, corrections."""

from __future__ import annotations

import re

from .grammar import Grammar, Item
from .model import Correction, Entity, Mention
from .relate import Relator, sentence_start

FORCE_ECHELONS = ("armed force", "army", "army group", "front", "theater", "fleet", "corps")


def _stated_sides(item: Item) -> set[str]:
    """The nations a unit's mention names: "the French 3rd Division", "I (German) Corps"."""
    sides = {q.surface.entity for q in item.qualifiers
             if q.surface is not None and q.surface.kind == "nation"}
    return sides | set(item.name_nations)


def norm_surface(text: str) -> str:
    """A mention's text as an alias: single spaces, no possessive ending."""
    t = " ".join(text.split())
    if t[-1:] in ("'", "’") or t.endswith(("'s", "’s")):
        t = re.sub(r"['’]s$|(?<=s)['’]$", "", t)
    return t


_PERSON = r"((?:[A-Z][\w\-]*\.?[ \t]+){0,4}[A-Z][\w\-]*)"
COMMANDED_BY_RE = re.compile(r"\b(?:commanded|led|headed)[ \t]+by[ \t]+" + _PERSON)
GAPPED_BY_RE = re.compile(r"[ \t]+by[ \t]+" + _PERSON)  # "..., and the 26th by Colonel Mori"
SENTENCE_STOP_RE = re.compile(r"[.;!?]")
_ECHELON = (r"army[ \t]+group|army|corps|division|brigade|regiment|battalion|company|front"
            r"|fleet|squadron")
# "Its commander was General X", "The division commander, Colonel Y", "The corps's commander"
COMMANDER_WORD_RE = re.compile(
    r"\b(?:[Ii]ts?|[Tt]he[ \t]+(?P<ech>" + _ECHELON + r")(?:['’]s)?)[ \t]+(?:(?:new[ \t]+)?"
    r"commander(?:[ \t]+(?:was|is|had[ \t]+been)[ \t]+|,[ \t]+)|(?:was|is|had[ \t]+been)"
    r"[ \t]+(?:commanded|led|headed)[ \t]+by[ \t]+)" + _PERSON)
# "General X, (the) commander of the Y" / "the commander of the Y": right before the unit
COMMANDER_OF_RE = re.compile(
    r"(?:(?:" + _PERSON + r",[ \t]+)?(?:the[ \t]+)?(?:new[ \t]+)?commander[ \t]+of"
    r"|" + _PERSON + r",[ \t]+who[ \t]+(?:commanded|led|headed))[ \t]+(?:the[ \t]+)?$")
UNDER_RE = re.compile(r",[ \t]+under[ \t]+" + _PERSON)  # "X on Sakhalin, under General Y"
PERSON_AFTER_RE = re.compile(r",[ \t]+" + _PERSON)


def _positions(body: str, word: str) -> list[int]:
    """Where ``word`` occurs in ``body``."""
    out = []
    at = body.find(word)
    while at >= 0:
        out.append(at)
        at = body.find(word, at + 1)
    return out


class Resolver:
    """Accumulates the entities of one work across its chapters (in reading order)."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.entities: dict[str, Entity] = {}
        self.keys: dict[str, str] = {}  # lower-case key -> canonical name
        self.numbered: dict[tuple[int, str], list[str]] = {}
        self.by_ordinal: dict[int, list[str]] = {}  # 41 -> ["41st Rifle Division"]
        self.by_last_word: dict[str, list[str]] = {}  # "guard" -> ["Imperial Guard"]
        self.mods: dict[str, frozenset[str]] = {}
        self.last_seen: dict[str, int] = {}
        self.acronyms: dict[str, str] = {}
        self.known_as: dict[str, str] = {}
        # a commander's every name -> the units said to be his, the latest said last
        self.commanded: dict[str, dict[str, None]] = {}
        self.forces: dict[str, dict[str, None]] = {}  # a word of its name (lower) -> forces
        self.variants: dict[str, list[str]] = {}  # "3rd Division" -> ["French 3rd Division"]
        self.pending: list[tuple[str, str, int | None]] = []
        self.weak: set[tuple[str, str]] = set()  # (child, parent) read from the prose around
        # "the three marine battalions of X": (owner, count, modifiers, echelon, chapter)
        self.generics: list[tuple[str, int, frozenset[str], str, int | None]] = []
        self.relator = Relator(self)
        self.clock = 0
        self.chapter_clock = 0  # the clock when the current chapter began
        self._listed: dict[int, bool] = {}  # a list of numbers: named by its own words only?
        # look-up sets beside the entities' lists, so that every check stays O(1)
        self._facts: dict[str, set[tuple[str, str, int | None]]] = {}
        self._stated: dict[tuple[str, str], set[str]] = {}  # ("side", name) -> values
        self._alias_low: dict[str, set[str]] = {}
        self._norm: dict[str, str] = {}  # mention text -> norm_surface(text)

    # ------------------------------------------------------------------ entities
    def _entity(self, name: str, kind: str, chapter: int | None, echelon: str | None = None
                ) -> Entity:
        key = name.lower()
        canon = self.keys.get(key)
        if canon is not None:
            e = self.entities[canon]
        else:
            e = Entity(name=name, kind=kind, echelon=echelon, first_chapter=chapter)
            self.entities[name] = e
            self.keys[key] = name
            if kind == "unit" and " " in name:  # "Imperial Guard": "the Guard"
                self.by_last_word.setdefault(name.rsplit(" ", 1)[1].lower(), []).append(name)
        if e.first_chapter is None and chapter is not None:
            e.first_chapter = chapter
        if e.echelon is None and echelon is not None:
            e.echelon = echelon
        self.clock += 1
        self.last_seen[e.name] = self.clock
        return e

    def _fact(self, e: Entity, fact: str, value: str, chapter: int | None) -> None:
        if value == e.name:
            return
        if fact == "side" and value.lower() not in self.keys:
            # a state named only inside a unit's name ("Varnian ... Armed Forces")
            self.entities[value] = Entity(name=value, kind="nation")
            self.keys[value.lower()] = value
        f = (fact, value, chapter)
        seen = self._facts.get(e.name)
        if seen is None:
            seen = self._facts[e.name] = set(e.facts)
        if f not in seen:
            seen.add(f)
            e.facts.append(f)
            if fact in ("side", "parent"):
                self._stated.setdefault((fact, e.name), set()).add(value)

    def _forget_parents(self, e: Entity, chapter: int | None) -> None:
        """A transfer ("was transferred to Y"): the parents stated earlier in the same chapter
        give way to the new one."""
        gone = [f for f in e.facts if f[0] == "parent" and f[2] == chapter]
        if gone:
            e.facts = [f for f in e.facts if f not in gone]
            self._facts.get(e.name, set()).difference_update(gone)
            self._stated[("parent", e.name)] = {v for f, v, _ in e.facts if f == "parent"}

    def _named(self, item: Item) -> str:
        """The unit a name without a number means: itself once known; else the one longer
        name of this chapter it ends ("the Federal Army" after "the Kamchatka Federal
        Army"); else, under a state's adjective, the unit so named ("the Lithuanian Iron Wolf
        Brigade" is the Iron Wolf Brigade, unless that one is another state's)."""
        name = item.name
        if name.lower() in self.keys or " " not in name:
            return name
        tail = " " + name
        longer = [n for n in self.by_last_word.get(name.rsplit(" ", 1)[1].lower(), ())
                  if n.endswith(tail) and self.last_seen.get(n, 0) > self.chapter_clock]
        if len(longer) == 1:
            return longer[0]
        first, rest = name.split(" ", 1)
        nation = self.grammar.work.nation_of_adjective(first)
        known = self.keys.get(rest.lower())
        if nation and known is not None and " " in rest:
            sides = self._sides_of(self.entities[known])
            if not sides or nation in sides:
                return known
        return name

    def _numbered_key(self, item: Item) -> tuple[int, str] | None:
        if item.ordinal is None or item.head is None:
            return None
        return item.ordinal, item.head

    def _number(self, key: tuple[int, str], name: str) -> None:
        """Know ``name`` as a unit of number and head ``key``."""
        self.numbered.setdefault(key, []).append(name)
        self.by_ordinal.setdefault(key[0], []).append(name)

    def _bare_unit(self, item: Item, chapter: int | None) -> Entity | None:
        """"the 41st", "the 79th Guards Tank": the unit of that number (and those words)
        mentioned last (None when there is none)."""
        mods = set(item.mods)
        names = [n for n in self.by_ordinal.get(item.ordinal or 0, ())
                 if mods <= self.mods.get(n, frozenset())]
        if not names:
            return None
        best = max(names, key=lambda n: self.last_seen.get(n, 0))
        return self._entity(best, "unit", chapter)

    def _side_variant(self, item: Item, exact: str, key: tuple[int, str]) -> str:
        """The unit that a mention of the name ``exact`` means: a unit of another side than
        the one so named gets the name with its nation ("French 3rd Division"); a mention
        without a nation means the one of them mentioned last."""
        variants = self.variants.get(exact, [])
        sides = _stated_sides(item)
        if not sides:
            if not variants:
                return exact
            return max([exact, *variants], key=lambda n: self.last_seen.get(n, 0))
        for name in [exact, *variants]:
            ent = self.entities.get(name)
            stated = self._sides_of(ent) if ent is not None else set()
            if not stated or sides & stated:
                return name
        name = " ".join([*(q.text for q in item.qualifiers), item.name])
        if name not in variants:
            variants.append(name)
            self.variants[exact] = variants
            self._number(key, name)
            self.mods[name] = frozenset(item.mods)
        return name

    def _resolve_unit(self, item: Item, parent: str | None,
                      chapter: int | None) -> Entity | None:
        known = self.known_as.get(item.name.lower()) if self.known_as else None
        if known is not None and known in self.entities:
            return self._entity(known, "unit", chapter, item.echelon)
        if item.form == "commander" and item.commander:
            best = None
            for name in reversed(self.commanded.get(item.commander, {})):
                ent = self.entities.get(name)
                if ent is not None and (item.echelon in (None, ent.echelon) or (
                        item.echelon == "army" and ent.echelon == "armed force")):
                    best = name
                    break
            if best is not None:
                return self._entity(best, "unit", chapter, item.echelon)
            if item.echelon is None:
                return None  # "Guderian's panzers", and no unit of his is known
        key = self._numbered_key(item)
        if key is None:
            return self._entity(self._named(item), "unit", chapter, item.echelon)
        exact = self.keys.get(item.name.lower())
        if exact is not None:
            # the same name is the same unit (a second stated parent becomes another fact),
            # unless a nation before it says whose: "the French 3rd Division" after "the
            # German 3rd Division" is another unit, named with its nation
            return self._entity(self._side_variant(item, exact, key), "unit", chapter,
                                item.echelon)
        mods = frozenset(item.mods)
        # "the 4th and 9th Corps": a listed number names a longer-named unit only when every
        # number of the list does ("the 9th" alone may be the 9th Guards Corps)
        same_mods = False
        if item.group:
            same_mods = self._listed.get(id(item.group))  # decided at the list's first unit
            if same_mods is None:
                same_mods = self._listed[id(item.group)] = any(
                    not any(frozenset(m) <= self.mods.get(c, frozenset())
                            for c in self.numbered.get((n, h), ()))
                    for n, h, m in item.group)
        best = self._candidate(item, parent, same_mods)
        if best is not None:
            return self._entity(best, "unit", chapter, item.echelon)
        e = self._entity(item.name, "unit", chapter, item.echelon)
        if e.name == item.name:
            if e.name not in self.numbered.get(key, ()):
                self._number(key, e.name)
            self.mods[e.name] = mods
        return e

    def _candidate(self, item: Item, parent: str | None, same_mods: bool) -> str | None:
        """The known unit a numbered mention means: of its number and head, with its words
        (all of them when ``same_mods``), under ``parent`` when one is named, of no other side
        than the one it names; the one mentioned last."""
        key = self._numbered_key(item)
        if key is None or item.owned:
            return None
        mods = frozenset(item.mods)
        sides = _stated_sides(item)
        best: str | None = None
        best_seen = -1
        for cand in self.numbered.get(key, ()):
            cmods = self.mods.get(cand, frozenset())
            if (mods and not mods <= cmods) or (same_mods and cmods != mods):
                continue
            ce = self.entities.get(cand)
            if ce is None:
                continue
            if parent is not None and ("parent", parent) not in {f[:2] for f in ce.facts}:
                continue  # "the 1st Battalion of the 44th Regiment" names its own unit
            if sides and self._sides_of(ce) and sides.isdisjoint(self._sides_of(ce)):
                continue  # "the French 3rd Division" is not the German one
            seen = self.last_seen.get(cand, 0)
            if seen > best_seen:
                best, best_seen = cand, seen
        return best

    def _sides_of(self, e: Entity, depth: int = 2) -> set[str]:
        """The sides stated of a unit, else of its stated parents (two levels up)."""
        sides = self._stated.get(("side", e.name), set())
        if sides or depth == 0:
            return sides
        sides = set()
        for v in self._stated.get(("parent", e.name), ()):
            pe = self.entities.get(v)
            if pe is not None and pe is not e:
                sides |= self._sides_of(pe, depth - 1)
        return sides

    # ------------------------------------------------------------------ one chapter
    def _resolve_item(self, it: Item, done: dict[int, Entity | None],
                      chapter: int | None) -> Entity | None:
        """The entity of one item (``done``: the items of this chapter resolved so far)."""
        if id(it) in done:
            return done[id(it)]
        done[id(it)] = None  # guards against cycles
        e: Entity | None = None
        if it.kind in ("nation", "organization", "place", "term"):
            e = self._entity(it.name, it.kind, chapter)
        elif it.kind == "acronym_def":
            t = self._resolve_item(it.target, done, chapter) if it.target is not None else None
            if t is not None and it.acronym:
                self.acronyms[it.acronym] = t.name
                e = t
        elif it.kind == "unit" and it.form == "acronym":
            canon = self.acronyms.get(it.name)
            e = self.entities.get(canon) if canon else None
            if e is not None:
                self._entity(e.name, e.kind, chapter)
                if it.commander:  # "The EPA was led by Kurokawa Tetsuo"
                    self._commands(it.commander, e, chapter)
        elif it.kind == "unit" and it.form == "bare":
            e = self._bare_unit(it, chapter)
        elif it.kind == "unit" and it.form == "head":
            names = self.by_last_word.get(it.head or "", ())
            e = self._entity(names[0], "unit", chapter) if len(names) == 1 else None
        elif it.kind == "unit" and it.form == "alias":
            e = self.entities.get(it.name) or self._entity(it.name, "unit", chapter)
        elif it.kind == "unit":
            parent = None
            for rel in (it.of_target, it.possessor):
                if rel is not None and rel.kind in ("unit", "organization"):
                    pe = self._resolve_item(rel, done, chapter)
                    if pe is not None:
                        parent = pe.name
            e = self._resolve_unit(it, parent, chapter)
            if e is None:
                done[id(it)] = None
                return None
            self._relations(it, e, chapter, done)
            if it.known_as:
                self.known_as.setdefault(it.known_as.lower(), e.name)
                if it.known_as not in e.aliases:
                    e.aliases.append(it.known_as)
                    low_set = self._alias_low.get(e.name)
                    if low_set is not None:
                        low_set.add(it.known_as.lower())
        done[id(it)] = e
        return e

    def chapter(self, body: str, items: list[Item], chapter: int | None) -> list[Mention]:
        """Resolve one chapter's items (in text order) into mentions."""
        done: dict[int, Entity | None] = {}
        mentions: list[Mention] = []
        self.chapter_clock = self.clock
        self._listed.clear()

        pairs: list[tuple[Item, Entity]] = []
        norm = self._norm
        alias_low = self._alias_low
        # "Its commander was General X", "The division commander, Colonel Y": said between
        # names, applied before the names after them are resolved
        said = self._commanders_stated(body)
        # where a commander may be said next to a name: "... by General X", "commander of"
        cues = sorted(_positions(body, " by ") + _positions(body, "ommander of")
                      + _positions(body, " who ") + _positions(body, " under "))
        cue = 0
        # this chapter's unit mentions so far, with the unit each names as its owner
        units: list[tuple[int, Entity, Entity | None]] = []
        for k, it in enumerate(items):
            while said and said[0].start() < it.start:
                self._commander_of_owner(body, said.pop(0), units, chapter)
            e = self._resolve_item(it, done, chapter)
            if e is None:
                continue
            pairs.append((it, e))
            if it.kind == "unit" and e.kind == "unit":
                owner = it.of_target or it.possessor
                units.append((it.start, e, done.get(id(owner)) if owner is not None else None))
                while cue < len(cues) and cues[cue] < it.start - 24:
                    cue += 1
                nxt = items[k + 1].start if k + 1 < len(items) else len(body)
                if cue < len(cues) and cues[cue] < nxt and not it.commander \
                        and it.form != "commander":
                    self._commander_said(body, it.start, it.end, nxt, e, chapter)
            kind = e.kind if it.kind == "acronym_def" else ("unit" if it.kind == "unit"
                                                             else it.kind)
            text = body[it.start:it.end]
            mentions.append(Mention(it.start, it.end, text, kind, e.name, chapter))
            alias = norm.get(text)
            if alias is None:
                alias = norm[text] = norm_surface(text)
            if it.form in ("plural", "commander") or (it.ordinal is not None
                                                       and " " not in alias):
                alias = ""  # "4th" of "the 4th and 9th Corps" is no name of its own
            if alias:
                low = alias.lower()
                if low != e.name.lower():
                    low_set = alias_low.get(e.name)
                    if low_set is None:
                        low_set = alias_low[e.name] = {a.lower() for a in e.aliases}
                    if low not in low_set:
                        low_set.add(low)
                        e.aliases.append(alias)

        def parent_of(it: Item) -> Entity | None:
            for rel in (it.of_target, it.possessor):
                if rel is not None and rel.kind in ("unit", "organization"):
                    pe = done.get(id(rel))
                    if pe is not None:
                        return pe
            return None

        self.relator.chapter(body, pairs, chapter, parent_of)
        return mentions

    def _relations(self, it: Item, e: Entity, chapter: int | None,
                   done: dict[int, Entity | None]) -> None:
        for rel in (it.of_target, it.possessor):
            if rel is None:
                continue
            re_ = self._resolve_item(rel, done, chapter)
            if re_ is None:
                continue
            if rel.kind == "nation":
                self._fact(e, "side", re_.name, chapter)
            elif rel.kind in ("unit", "organization"):
                self._fact(e, "parent", re_.name, chapter)
        for nat in it.name_nations:
            self._fact(e, "side", nat, chapter)
        if it.commander:
            self._commands(it.commander, e, chapter)
        if e.echelon in FORCE_ECHELONS and " " in e.name:
            for word in e.name.lower().split()[:-1]:  # "Federal", "National" of its name
                self.forces.setdefault(word, {})[e.name] = None
        quals = [q for q in it.qualifiers]
        if quals:
            nat_q = [q for q in quals if q.surface is not None and q.surface.kind == "nation"]
            for q in nat_q:
                self._fact(e, "side", q.surface.entity, chapter)
            words = [q for q in quals if q.surface is None]
            if words:
                text = " ".join(w.text for w in words)
                force = self._force_named(text, exclude=e.name)
                if force is not None:
                    self._fact(e, "parent", force, chapter)
                else:
                    self.pending.append((e.name, text, chapter))

    def _commands(self, person: str, e: Entity, chapter: int | None) -> None:
        """``person`` commands ``e``: "Moon's regiment" is then ``e`` for any of the person's
        names ("Colonel Moon Sang-ho", "General Ivan Volkov")."""
        self._fact(e, "commander", person, chapter)
        for word in {person, *person.split()}:
            units = self.commanded.setdefault(word, {})
            units.pop(e.name, None)
            units[e.name] = None

    def _commander_said(self, body: str, at: int, start: int, end: int, e: Entity,
                        chapter: int | None) -> None:
        """"the 342nd Division, a unit rebuilt twice and commanded by General Ivan Volkov",
        "the 25th was commanded by Colonel Tanaka, and the 26th by Colonel Mori", "General
        Ivan Volkov, commander of the 342nd Division", "the commander of the 342nd, General
        Ivan Volkov": a titled commander said in the sentence, with no other name between."""
        before = COMMANDER_OF_RE.search(body, max(0, at - 140), at) \
            if body.find("ommander of", max(0, at - 24), at) >= 0 \
            or body.find(" who ", max(0, at - 24), at) >= 0 else None
        if before is not None:
            person = before.group(1) or before.group(2)
            if person:  # "General X, commander of the Y", "General X, who led the Y"
                self._titled_commander(person, e, chapter)
                return
            m = PERSON_AFTER_RE.match(body, start, end)  # "the commander of the Y, General X"
            if m is not None:
                self._titled_commander(m.group(1), e, chapter)
                return
        stop = SENTENCE_STOP_RE.search(body, start, end)
        gap = body[start:stop.start() if stop else end]
        m = COMMANDED_BY_RE.search(gap) if "ed by " in gap else None
        if m is None and ", under " in gap:
            m = UNDER_RE.search(gap)
        if m is None:
            m = GAPPED_BY_RE.match(gap)
            if m is None or COMMANDED_BY_RE.search(
                    body, max(0, body.rfind(".", 0, start)), start) is None:
                return
        self._titled_commander(m.group(1), e, chapter)

    def _commanders_stated(self, body: str) -> list[re.Match[str]]:
        """Where a chapter says who commands a unit without naming it right there ("Its
        commander was ...", "The division was led by ..."), in text order: the pattern is
        tried only near the words it needs."""
        found: dict[int, re.Match[str]] = {}
        for at in _positions(body, "commander") + _positions(body, "ed by "):
            m = COMMANDER_WORD_RE.search(body, max(0, at - 40), at + 120)
            if m is not None:
                found[m.start()] = m
        return [found[k] for k in sorted(found)]

    def _titled_commander(self, person: str, e: Entity, chapter: int | None) -> None:
        """``e`` is led by ``person`` when the words start with a title ("Colonel Ueda
        Rin"): the name is what follows the titles."""
        words = person.split()
        titles = self.grammar.lex.titles
        if not words or words[0].lower().rstrip(".") not in titles:
            return
        while words and words[0].lower().rstrip(".") in titles:
            words.pop(0)
        if words and not any(self.grammar.work.get(w) is not None for w in words):
            self._commands(" ".join(words), e, chapter)

    def _commander_of_owner(self, body: str, m: re.Match,
                            units: list[tuple[int, Entity, Entity | None]],
                            chapter: int | None) -> None:
        """"Its commander was General X" (the one unit of the sentence before, or of this
        one, not counting the unit it is said to be of), "The division commander, Colonel Y"
        (the division named last)."""
        ech = m.group("ech")
        if ech is not None:
            ech = " ".join(ech.split())
            owner = next((e for _, e, _ in reversed(units) if e.echelon == ech), None)
        else:
            st = sentence_start(body, m.start())
            here = [(e, of) for at, e, of in units if st <= at < m.start()]
            if not here:
                pst = sentence_start(body, max(0, st - 2))
                here = [(e, of) for at, e, of in units if pst <= at < st]
            owners = {of.name for _, of in here if of is not None}
            named = {e.name: e for e, _ in here if e.name not in owners}
            owner = next(iter(named.values())) if len(named) == 1 else None
        if owner is not None:
            self._titled_commander(m.group(2), owner, chapter)  # 2: the person

    def _force_named(self, text: str, exclude: str) -> str | None:
        """The most recent force whose name starts with ``text`` or has it after a word
        ("Federal" -> "Federal Armed Forces", "National" -> "Amurian National Army")."""
        low = text.lower() + " "
        best = None
        for name in self.forces.get(low.split(" ", 1)[0], ()):
            ent = self.entities.get(name)
            if ent is None or name == exclude or not (name.lower().startswith(low)
                                                      or " " + low in name.lower()):
                continue
            if ent.echelon not in FORCE_ECHELONS:
                continue
            if best is None or self.last_seen.get(name, 0) > self.last_seen.get(best, 0):
                best = name
        return best

    # ------------------------------------------------------------------ the end
    def finish(self) -> list[Entity]:
        """Settle pending relations, derive parent/side/echelon fields; entities in order."""
        for name, text, chapter in self.pending:
            e = self.entities.get(name)
            if e is None or any(f == "parent" for f, _, _ in e.facts):
                continue
            force = self._force_named(text, exclude=name)
            if force is not None:
                self._fact(e, "parent", force, chapter)
        self._apply_generics()
        derive(self.entities, self.grammar, self.weak)
        return list(self.entities.values())


    def _apply_generics(self) -> None:
        """"The three marine battalions of X": X holds the numbered marine battalions that
        have no stated parent, when they are no more than three and no other unit is said
        to hold marine battalions."""
        claims: dict[tuple[frozenset[str], str], set[str]] = {}
        for owner, _, mods, ech, _ in self.generics:
            claims.setdefault((mods, ech), set()).add(owner)
        for owner, count, mods, ech, chapter in self.generics:
            oe = self.entities.get(owner)
            if oe is None or len(claims[(mods, ech)]) != 1:
                continue
            cands = [e for name, m in self.mods.items() if mods <= m
                     and (e := self.entities.get(name)) is not None and e.echelon == ech
                     and e is not oe and not any(f == "parent" for f, _, _ in e.facts)]
            if 0 < len(cands) <= count:
                for e in cands:
                    self.relator.add(e, oe, chapter)


def _rank(lx, ech: str | None) -> int | None:
    if ech is None:
        return None
    ech = lx.ladder_alias.get(ech, ech)
    return lx.ladder.index(ech) if ech in lx.ladder else None


def _sides(entities: dict[str, Entity], parent: dict[str, str | None]) -> dict[str, str]:
    """Each entity's side: stated, else its nearest ancestor's, else its children's when
    they agree (a parent is on its children's side)."""
    side: dict[str, str] = {}
    for e in entities.values():
        if e.facts:
            s = next((v for f, v, _ in e.facts if f == "side" and v in entities), None)
            if s is not None:
                side[e.name] = s
                continue
        if e.side is not None and e.side in entities:
            side[e.name] = e.side
    children: dict[str, list[str]] = {}
    for c, p in parent.items():
        if p is not None:
            children.setdefault(p, []).append(c)
    # up: a parent without a side takes the one side its children agree on
    up: dict[str, str | None] = {}
    visiting: set[str] = set()  # guards against cycles

    def up_side(name: str) -> str | None:
        stack = [(name, False)]
        while stack:
            n, done = stack.pop()
            if n in up:
                continue
            if n in side:
                up[n] = side[n]
                continue
            kids = children.get(n, ())
            if not done:
                if n in visiting:
                    continue
                visiting.add(n)
                stack.append((n, True))
                stack.extend((k, False) for k in kids if k not in up and k not in visiting)
                continue
            got = {up.get(k) for k in kids} - {None}
            up[n] = got.pop() if len(got) == 1 else None
        return up.get(name)

    for name in children:
        if name not in side:
            s = up_side(name)
            if s is not None:
                side[name] = s
    # down: the rest takes its nearest ancestor's side
    for name in entities:
        if name in side:
            continue
        seen = {name}
        p = parent.get(name)
        while p is not None and p not in seen:
            seen.add(p)
            if p in side:
                side[name] = side[p]
                break
            p = parent.get(p)
    return side


UMBRELLA_HEADS = ("armed forces", "armed force", "defence force", "defense force",
                  "defence forces", "defense forces", "self-defense forces", "self-defence forces")
TOP_ECHELONS = ("theater", "army group", "front")


def _umbrella(entities: dict[str, Entity]) -> None:
    """A side's one umbrella force ("X Armed Forces", "X Defence Force") holds that side's
    army groups, fronts and theaters that have no stated parent."""
    umb: dict[str, list[str]] = {}
    for e in entities.values():
        if e.kind == "unit" and e.echelon == "armed force" and e.parent is None \
                and e.side is not None and e.name.lower().endswith(UMBRELLA_HEADS):
            umb.setdefault(e.side, []).append(e.name)
    for e in entities.values():
        if e.kind == "unit" and e.parent is None and e.echelon in TOP_ECHELONS \
                and len(umb.get(e.side or "", ())) == 1:
            e.parent = umb[e.side][0]


def derive(entities: dict[str, Entity], grammar: Grammar,
           weak: set[tuple[str, str]] | frozenset = frozenset()) -> None:
    """Fill ``parent``/``side`` from facts, inherit side, derive echelon one below parent.

    A parent fact that breaks the echelon ladder (a division holding a corps) is dropped;
    so is a weak one (read from the surrounding prose) that joins two sides. Of several
    parents the one stated in the latest chapter wins (units are transferred), and within it
    the most specific when one lies under the other.
    """
    lx = grammar.lex
    plist: dict[str, list[str]] = {}  # valid parent facts, in order, without repeats
    first: dict[str, str | None] = {}  # the first one not read from the prose around
    for e in entities.values():
        if not e.facts:
            continue
        ps: list[str] = []
        bad = False
        rank = _rank(lx, e.echelon) if e.kind == "unit" else None
        for f, v, _ in e.facts:
            if f != "parent" or v not in entities or v in ps:
                continue
            if rank is not None:
                pr = _rank(lx, entities[v].echelon)
                if pr is not None and pr >= rank and e.echelon == "armed force" \
                        and pr == rank and e.name.endswith(" Army"):
                    # "the Northern Army of the Ground Self-Defense Force": a field army
                    e.echelon = "army"
                    rank = _rank(lx, e.echelon)
                elif pr is not None and pr >= rank:
                    bad = True  # a division cannot hold a corps
                    continue
            ps.append(v)
        if bad:
            e.facts = [f for f in e.facts if f[0] != "parent" or f[1] in ps
                       or f[1] not in entities]
        if len(ps) > 1:  # a transfer: the parent stated in the latest chapter comes first
            latest = {v: max((c for f, pv, c in e.facts if f == "parent" and pv == v
                              and c is not None), default=-1) for v in ps}
            ps.sort(key=lambda v: -latest[v])
        if ps:
            plist[e.name] = ps
            first[e.name] = next((v for v in ps if (e.name, v) not in weak), None)
    if weak and any(ps for ps in plist.values()):
        side = _sides(entities, first)
        for name, ps in plist.items():
            sn = side.get(name)
            drop = [v for v in ps if (name, v) in weak and sn and side.get(v)
                    and side[v] != sn]
            if drop:
                e = entities[name]
                e.facts = [f for f in e.facts if f[0] != "parent" or f[1] not in drop]
                ps[:] = [v for v in ps if v not in drop]
    first = {name: ps[0] for name, ps in plist.items() if ps}
    for e in entities.values():
        ps = plist.get(e.name)
        pick = first.get(e.name)
        for c in ps[1:] if ps else ():
            # c lies under the current pick: c is the more specific statement
            seen, p = {e.name}, first.get(c)
            while p is not None and p not in seen:
                if p == pick:
                    pick = c
                    break
                seen.add(p)
                p = first.get(p)
        sides = [v for f, v, _ in e.facts if f == "side" and v in entities] if e.facts else ()
        e.parent = pick if pick else e.parent if e.parent in entities else None
        e.side = sides[0] if sides else e.side if e.side in entities else None
    side = _sides(entities, {e.name: e.parent for e in entities.values()})
    for e in entities.values():
        if e.side is None and side.get(e.name) and side[e.name] != e.name:
            e.side = side[e.name]
    _umbrella(entities)
    for e in entities.values():
        if e.kind == "unit" and e.echelon is None and e.parent in entities:
            pe = entities[e.parent].echelon
            pe = lx.ladder_alias.get(pe, pe) if pe else None
            if pe in lx.ladder:
                i = lx.ladder.index(pe)
                if i + 1 < len(lx.ladder):
                    e.echelon = lx.ladder[i + 1]


# ---------------------------------------------------------------------- corrections
def apply_corrections(entities: list[Entity], chapters: list[tuple[int | None, str,
                                                                   list[Mention]]],
                      corrections: list[Correction]) -> list[Entity]:
    """Apply the reader's edits in order; returns the new entity list (mentions edited in
    place)."""
    ents: dict[str, Entity] = {e.name: e for e in entities}

    def all_mentions():
        for _, _, ms in chapters:
            yield from ms

    def retarget(old: str, new: str | None) -> None:
        for m in all_mentions():
            if m.entity == old:
                m.entity = new
        for x in ents.values():
            if x.parent == old:
                x.parent = new
            if x.side == old:
                x.side = new
            x.facts = [(f, new if v == old else v, c) for f, v, c in x.facts
                       if not (v == old and new is None)]

    for c in corrections:
        e = ents.get(c.entity)
        if c.action == "alias" and e is not None and c.value:
            if c.value not in e.aliases and c.value != e.name:
                e.aliases.append(c.value)
            _add_alias_mentions(chapters, c.value, e)
        elif c.action == "ignore":
            if e is not None and not c.value:
                del ents[e.name]
                for ch in chapters:
                    ch[2][:] = [m for m in ch[2] if m.entity != e.name]
                retarget(e.name, None)
            else:
                surface = c.value or c.entity
                for ch in chapters:
                    ch[2][:] = [m for m in ch[2] if not (
                        norm_surface(m.text).lower() == surface.lower()
                        and (e is None or m.entity == e.name))]
        elif e is None:
            continue
        elif c.action in ("rename", "merge") and c.value:
            target = ents.get(c.value)
            if target is None and c.action == "rename":
                old = e.name
                del ents[old]
                e.name = c.value
                if old not in e.aliases:
                    e.aliases.append(old)
                if c.value in e.aliases:
                    e.aliases.remove(c.value)
                ents[e.name] = e
                retarget(old, e.name)
            elif target is not None and target is not e:
                for a in [e.name, *e.aliases]:
                    if a not in target.aliases and a != target.name:
                        target.aliases.append(a)
                target.facts.extend(f for f in e.facts if f not in target.facts)
                if e.first_chapter is not None and (target.first_chapter is None or
                                                    e.first_chapter < target.first_chapter):
                    target.first_chapter = e.first_chapter
                target.echelon = target.echelon or e.echelon
                target.parent = target.parent or e.parent
                target.side = target.side or e.side
                del ents[e.name]
                retarget(e.name, target.name)
                if target.parent == target.name:
                    target.parent = None
        elif c.action == "split_alias" and c.value:
            new = ents.get(c.value)
            if new is None:
                new = Entity(name=c.value, kind=e.kind, echelon=e.echelon)
                ents[new.name] = new
            for ch, _, ms in chapters:
                for m in ms:
                    if m.entity == e.name and norm_surface(m.text).lower() == c.value.lower():
                        m.entity = new.name
                        if new.first_chapter is None or (ch is not None and
                                                         ch < new.first_chapter):
                            new.first_chapter = ch
            if c.value in e.aliases:
                e.aliases.remove(c.value)
        elif c.action == "set_kind" and c.value:
            e.kind = c.value
            for m in all_mentions():
                if m.entity == e.name:
                    m.kind = c.value
        elif c.action == "set_echelon":
            e.echelon = c.value
        elif c.action in ("set_parent", "set_side"):
            fact = c.action[4:]
            e.facts = [f for f in e.facts if f[0] != fact]
            if c.value:
                e.facts.append((fact, c.value, e.first_chapter))
            setattr(e, fact, c.value)
    return list(ents.values())


def _add_alias_mentions(chapters: list[tuple[int | None, str, list[Mention]]], alias: str,
                        e: Entity) -> None:
    pat = re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)")
    for ch, body, ms in chapters:
        found = [m for m in pat.finditer(body)]
        if not found:
            continue
        for f in found:
            a, b = f.span()
            inside = [m for m in ms if m.start >= a and m.end <= b]
            clash = [m for m in ms if m.start < b and m.end > a and m not in inside]
            if clash:
                continue
            for m in inside:
                ms.remove(m)
            ms.append(Mention(a, b, body[a:b], e.kind, e.name, ch))
            if e.first_chapter is None or (ch is not None and ch < e.first_chapter):
                e.first_chapter = ch
        ms.sort(key=lambda m: m.start)
