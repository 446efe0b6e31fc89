"""Relations stated by the prose around the names, beyond "X of the Y" and "Y's X".

Military prose states who belongs to whom in a handful of constructions, all read here from
the short gaps between resolved mentions (so the pass stays linear and cheap):

- containment verbs: "the 4th Corps, under General X, contained the 1st and the 2nd Division",
  "..., which comprised A and B", "X had A and B." (echelons must fit)
- a count, then the list: "X consisted of two corps. The 4th Corps ... The 9th Corps ..."
- attachment: "A, part of X", "A, attached / assigned / subordinated (directly) to X",
  "A was attached to X", "A, a formation of ... subordinated to X"
- apposition: "A, the second division of X"
- holding: "X held the coast with A and B"
- ownership: "its A", "Its leading regiment was A", "Among its units was A": the owner is a
  unit named as "that regiment" in the sentence, or the unit the sentence (or the one before)
  opens with
- reserves: "in army group reserve stood A", "the corps reserve, A": the most recent unit of
  that echelon
- pairs: "the 12th Rifle Division and the 15th Rifle Division of X", "X's 4th Corps and
  9th Corps": two units of one kind share the owner (in a longer list "of X" binds only
  the last)
- generic plurals: "the three marine battalions of X", "X, a formation of three marine
  battalions": the numbered marine battalions without a parent belong to X
- "the Y Federation, whose Federal Armed Forces": the state's force
- owners named first or apart: "Under X stood A and B", "X, with A and B.", "A, the Baltic
  Fleet's own marines", "the 301st Division of the same corps", "The corps had A and B",
  "the division's 4th Brigade", "Its best formation, the A" (the one unit of the sentence
  before)
- groups: "Both belonged to X", "The three brigades were part of X", "A, which ..., and B,
  both under X", "now it belonged to X"
- moves: "Berlin attached A to X", "A was detached from B (at Qiqihar) and placed under X",
  "A became the first unit of X": the new parent replaces the one stated before

Each relation is *weak*: ``Resolver.finish`` drops it when it breaks the echelon ladder or
joins two sides.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from .grammar import LIST_GAP_RE, Item
from .model import Entity

_NUM = (r"(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[2-9]|1[0-9])")
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_PL = (r"(?P<pl>divisions|brigades|regiments|battalions|companies|squadrons|batteries"
       r"|platoons|armies|detachments|corps|fleets|flotillas|task[ \t]+forces|groups)")
_PAREN = r"\)?(?:[ \t]*\([^()\n]{0,60}\))?"
UNIT_NOUNS_PL = (r"(?:divisions|brigades|regiments|battalions|companies|squadrons|batteries"
                 r"|corps|armies)")
# a commander between a unit and what is said of it: "X of General Ivan Petrov, which ..."
_LED = r"(?:,?[ \t]+(?:of|under)[ \t]+(?:[A-Z][\w\-.]*[ \t]+){0,4}[A-Z][\w\-]*)?"
_WS = r"[ \t\n]+"

CONTAIN_RE = re.compile(
    _PAREN + r"(?:[ \t]+of[ \t]+(?:[a-z0-9][\w\-]*[ \t]+){0,3}?" + UNIT_NOUNS_PL + r")?"
    r"(?P<app>,[^,.;:()\n]{1,80},)?(?:[ \t\n]+|,[ \t\n]+(?=which|that))"
    r"(?P<which>(?:which|that)[ \t]+)?"
    r"(?:(?:also|then|now|initially|originally)[ \t]+)?"
    r"(?:(?P<verb>contained|contains|comprised|comprises|included|includes|incorporated"
    r"|consisted[ \t]+of|consists[ \t]+of"
    r"|(?:was|is|were|are)[ \t]+(?:made[ \t]+up|composed|formed)[ \t]+of)|(?P<had>had|has))"
    r"[ \t\n]+(?:the[ \t]+)?$"
)
COUNT_RE = re.compile(
    r"[ \t\n]+(?:(?:which|that)[ \t]+)?(?:consisted[ \t]+of|consists[ \t]+of|comprised"
    r"|comprises|contained|contains|had|has|(?:was|is)[ \t]+(?:made[ \t]+up|composed)[ \t]+of)"
    rf"[ \t]+{_NUM}[ \t]+{_PL}(?:[ \t]+in[ \t]+(?:the[ \t]+)?(?:line|reserve|front))?"
    r"[ \t]*[.:;,][ \t\n]+(?:(?:the|The)[ \t]+)?$"
)
ATTACH_RE = re.compile(
    _PAREN + _LED
    + r"(?:,[ \t\n]+(?:(?:which|that)[ \t]+)?(?:(?:was|were|is|had[ \t]+been|now)[ \t]+)?"
    r"|[ \t\n]+(?:was|were|is|had[ \t]+been)[ \t]+(?:(?:now|then|later|temporarily|directly"
    r"|formally|still|nominally|officially|technically)[ \t]+)?|[ \t\n]+as[ \t]+(?=part)"
    r"|[ \t]*[(\u2014\u2013][ \t]*(?=part)"
    r"|[ \t\n]+(?:(?:then|later|now|soon|in[ \t]+turn)[ \t]+)?"
    r"(?=(?:belonged|formed|came|served|returned|rejoined|answered|reported)[ \t]))"
    r"(?:in[ \t]+turn[ \t]+)?"
    r"(?:(?:a|an)[ \t]+(?:[a-z][\w\-]*[ \t]+){0,6}?)?"
    r"(?:(?:a[ \t]+|an[ \t]+)?(?:integral[ \t]+)?part[ \t]+of"
    r"|(?:directly[ \t]+)?(?:attached|subordinated?|assigned|reporting)[ \t]+"
    r"(?:directly[ \t]+|temporarily[ \t]+)?to|belonging[ \t]+to|belonged[ \t]+to"
    r"|(?:transferred|reassigned|returned|answered|reported)[ \t]+to|rejoined"
    r"|incorporated[ \t]+into"
    r"|formed[ \t]+(?:a[ \t]+)?part[ \t]+of|served[ \t]+under"
    r"|(?:came|placed)[ \t]+under(?:[ \t]+(?:the[ \t]+)?(?:direct[ \t]+)?(?:command|control)"
    r"[ \t]+of)?|(?:placed[ \t]+)?under[ \t]+the[ \t]+(?:direct[ \t]+)?(?:command|control)"
    r"[ \t]+of)"
    r"[ \t]+(?:the[ \t]+)?$"
)
UNIT_NOUNS = (r"(?:formations?|units?|elements?|components?|subordinates?|forces?|arms?"
              r"|spearhead|core|backbone|vanguard|marines|troops|infantry|cavalry|artillery"
              r"|divisions?|brigades?"
              r"|regiments?|battalions?|companies|company|corps|armies|army|squadrons?"
              r"|batteries|battery|detachments?|flotillas?)")
APPOS_RE = re.compile(
    _PAREN + _LED + r"(?:,[ \t\n]+|[ \t\n]+(?:was|is|were|are|remained|became)[ \t]+)"
    r"(?:(?:the|a|an)[ \t]+|one[ \t]+of[ \t]+(?:the[ \t]+|its[ \t]+)?)"
    r"(?:[a-z][\w\-]*[ \t]+){0,3}?" + UNIT_NOUNS + r"[ \t]+(?:of|in|within)[ \t]+(?:the[ \t]+)?"
    r"(?:(?:whole|entire)[ \t]+)?$"
)
HOLD_RE = re.compile(
    r",?[ \t\n]+(?:(?:which|that)[ \t]+)?(?:held|holds|defended|defends|garrisoned"
    r"|was[ \t]+holding|holding|defending)[ \t]+(?:[a-z][\w\-]*[ \t]+){0,4}?with[ \t]+"
    r"(?:the[ \t]+)?$"
)
LIST_RE = re.compile(
    r"[ \t]*(?:,[ \t\n]*(?:and[ \t]+|as[ \t]+well[ \t]+as[ \t]+)?|[ \t\n]+(?:and|as[ \t]+well"
    r"[ \t]+as)[ \t]+)(?:the[ \t]+)?$"
)
RESERVE_RE = re.compile(
    r"\b(?:the|in|into|as)[ \t]+(?P<e>army[ \t]+group|army|corps|division|brigade|regiment"
    r"|front|fleet)[ \t]+reserve,?[ \t\n]+(?:(?:stood|was|were|lay|remained|waited|sat|came)"
    r"[ \t]+)?(?:the[ \t]+)?$"
)
ITS_RE = re.compile(
    r"(?:^|[.!?;:][\"”’)]*[ \t\n]+|\n[ \t]*|[,;][ \t]+(?:and[ \t]+|but[ \t]+)?(?=its))"
    r"(?:\*[0-9]{1,3}[ \t]+)?(?:(?:Among|Of|Within|In)[ \t]+its|Its|its)[ \t]+"
    r"(?P<np>[^.;:!?,\n]{0,60}?)(?:[ \t]+(?:was|were|included|includes)|,)[ \t]+(?:the[ \t]+)?$"
)
ITS_NP_RE = re.compile(r"\b" + UNIT_NOUNS + r"\b")
_ECH = (r"(army[ \t]+group|army|corps|division|brigade|regiment|battalion|company|squadron"
        r"|battery|fleet|flotilla)")
THAT_ECH_RE = re.compile(r"\b(?:that|this|the[ \t]+same)[ \t]+" + _ECH + r"\b")
# "the 264th Division of the same corps": the latest unit of that echelon
OF_THAT_RE = re.compile(r"[ \t]+of[ \t]+(?:that|this|the[ \t]+same)[ \t]+" + _ECH + r"\b")
OF_THAT_STARTS = (" of that ", " of this ", " of the same ")
# "The division's 15th Brigade", "The corps had the 12th Division": the latest such unit
ECH_POSS_RE = re.compile(r"\b[Tt]he[ \t]+" + _ECH + r"['’]s[ \t]+$")
ECH_SUBJECT_RE = re.compile(
    r"(?:^|[.!?;:][\"”’)]*[ \t\n]+|\n[ \t]*)The[ \t]+" + _ECH + r"[ \t]+(?:(?:also|now|still|then"
    r"|itself)[ \t]+)?(?:had|has|contained|comprised|included|consisted[ \t]+of|controlled"
    r"|commanded|kept)[ \t]+(?:only[ \t]+)?(?:the[ \t]+)?$")
GENERIC_OPEN_RE = re.compile(r"(?:\*[0-9]{1,3}[ \t]+)?The[ \t]+" + _ECH + r"\b")
# "A was detached from B and placed under C": A moves from B to C
DETACHED_RE = re.compile(
    r"[ \t\n]+(?:was|were|had[ \t]+been)[ \t]+(?:(?:then|now|later|temporarily|formally)[ \t]+)?"
    r"(?:detached|taken(?:[ \t]+away)?|removed|withdrawn|released|separated)[ \t]+"
    r"(?:from|out[ \t]+of)[ \t]+"
    r"(?:the[ \t]+command[ \t]+of[ \t]+)?(?:the[ \t]+)?")
PLACED_RE = re.compile(
    r"(?:[ \t]+(?:at|in|near|on|by)[ \t]+[A-Z0-9][^\s,.;]*(?:[ \t]+[A-Z0-9][^\s,.;]*)?)?"
    r",?[ \t\n]+and[ \t]+(?:(?:was|were)[ \t]+)?(?:(?:then|instead)[ \t]+)?"
    r"(?:placed[ \t]+(?:directly[ \t]+)?under(?:[ \t]+the[ \t]+(?:direct[ \t]+)?(?:command|control)"
    r"[ \t]+of)?|put[ \t]+under|(?:transferred|attached|assigned|subordinated|given|handed|sent)"
    r"(?:[ \t]+over)?[ \t]+(?:directly[ \t]+)?to)[ \t]+(?:the[ \t]+)?"
    r"(?:(?:newly[ \t]+)?formed[ \t]+)?")
GENERIC_BEFORE_RE = re.compile(
    rf"\b{_NUM}[ \t]+(?P<mods>(?:[a-z][\w\-]*[ \t]+){{1,2}}){_PL}[ \t]+of[ \t]+"
    r"(?:the[ \t]+)?$"
)
GENERIC_AFTER_RE = re.compile(
    _PAREN + r",[ \t\n]+(?:a|an)[ \t]+(?:[a-z]+[ \t]+){0,2}?(?:formation|force|unit|group"
    rf"|command)[ \t]+of[ \t]+{_NUM}[ \t]+(?P<mods>(?:[a-z][\w\-]*[ \t]+){{1,2}})"
    + _PL + r"\b"
)
WHOSE_RE = re.compile(r",[ \t]+whose[ \t]+(?:own[ \t]+)?$")
SENT_END_RE = re.compile(r"[ \t]*[.;!?]")
TRANSFER_RE = re.compile(r"\b(?:transferred|reassigned|returned|rejoined)\b")
# what stands between a unit and the nation said to be its side
SIDE_GAP_RE = re.compile(
    r",[ \t]+(?:a|an|one[ \t]+of[ \t]+the)[ \t]+(?:[a-z][\w\-]*[ \t]+){0,2}?"
    r"|[ \t]+(?:(?:had|has)[ \t]+)?(?:fought|fighting|served|serving)[ \t]+(?:for|under)[ \t]+"
    r"(?:the[ \t]+)?|[ \t]+(?:was|were)[ \t]+"
)
SIDE_NOUN_RE = re.compile(r"[ \t]+(?:[a-z][\w\-]*[ \t]+){0,2}?" + UNIT_NOUNS + r"\b")
# the first word of a gap that any pattern after a unit can open with: one anchored match
# rejects most gaps at C speed
FIRST_WORD_RE = re.compile(r"[)\s,(\u2014\u2013]*+(?:\([^()\n]{0,60}\)[\s,]*+)?([a-z]+)")
FIRST_WORDS = frozenset((
    "which", "that", "also", "then", "now", "initially", "originally", "contained",
    "contains", "comprised", "comprises", "included", "includes", "incorporated", "consisted",
    "consists", "was", "is", "were", "are", "had", "has", "a", "an", "the", "one", "part",
    "attached", "subordinated", "subordinate", "assigned", "belonging", "reporting", "placed",
    "belonged", "formed", "came", "served", "returned", "rejoined",
    "under", "held", "holds", "defended", "defends", "garrisoned", "holding", "defending",
    "as", "directly", "commanded", "led", "in", "answered", "reported", "to", "stood", "lay",
    "fought", "remained", "of", "with", "became", "at", "on", "near"))
# "X, the Baltic Fleet's own marines", "X was the JEF's land component": the owner between
POSS_APPOS_GAP_RE = re.compile(
    r"(?:,[ \t\n]+|[ \t\n]+(?:was|is|were|are|became|remained)[ \t]+)the[ \t]+")
POSS_APPOS_AFTER_RE = re.compile(r"['’]s[ \t]+(?:own[ \t]+)?(?:[a-z][\w\-]*[ \t]+){0,2}?"
                                 + UNIT_NOUNS + r"\b")
# "Under the 3rd Army stood the 6th Corps": the owner named first
INVERTED_BEFORE_RE = re.compile(
    r"(?:^|[.;:!?][\"”’)]*[ \t\n]+|\n[ \t]*|,[ \t]+)(?:[Uu]nder|[Ww]ithin)[ \t]+(?:the[ \t]+)?$")
INVERTED_GAP_RE = re.compile(
    r",?[ \t\n]+(?:stood|were|was|came|served|fought|lay|remained)[ \t]+(?:the[ \t]+)?")
# "X, with A, B and C." said of a unit that opens the sentence or is "stood"/"was" X
WITH_RE = re.compile(_PAREN + _LED + r",[ \t\n]+with[ \t]+(?:the[ \t]+)?")
BE_BEFORE_RE = re.compile(r"\b(?:stood|was|were|came|lay|waited)[ \t]+(?:the[ \t]+)?$")
LIST_END_RE = re.compile(r"[ \t]*(?:[.;!?]|,?[ \t\n]+(?:and|holding|covering|leading|guarding"
                         r"|defending|forming|screening)\b)")
# "Berlin attached the Legion to the 2nd Army": the verb before the child, "to" after it
TO_GAP_RE = re.compile(r"[ \t\n]+to[ \t]+(?:the[ \t]+)?")
ACTIVE_VERB_RE = re.compile(
    r"\b(?:attached|assigned|subordinated|transferred|reassigned|returned|detached|gave|lent"
    r"|handed)[ \t]+(?:the[ \t]+)?$")
# "Both belonged to the 2nd Army", "The three brigades were part of X": the units just named
GROUP_RE = re.compile(
    r"(?:^|[.!?;:][\"”’)]*[ \t\n]+|\n[ \t]*|[;,][ \t]+(?:and[ \t]+)?)"
    r"(?:(?:[Nn]ow|[Tt]hen|[Ll]ater|[Ss]oon|[Bb]ut|[Aa]nd|[Ss]o)[ \t]+)?"
    r"(?P<kw>[Bb]oth|(?:All|The|all|the)[ \t]+" + _NUM + r"|(?P<it>[Ii]t))"
    r"(?(it)|(?:[ \t]+of[ \t]+them|[ \t]+(?:of[ \t]+the[ \t]+)?(?:[a-z][\w\-]*[ \t]+){0,2}?"
    + _PL + r")?)[ \t]+"
    r"(?:(?:was|were|had[ \t]+been|now|then|still|formally|nominally)[ \t]+)*"
    r"(?:(?:a[ \t]+)?part[ \t]+of|(?:attached|subordinated?|assigned)[ \t]+to|belonged[ \t]+to"
    r"|answered[ \t]+to|reported[ \t]+to|(?:came|served|stood|fought)[ \t]+under"
    r"|(?(it)(?!)|under)|(?:transferred|reassigned|returned)[ \t]+to)"
    r"[ \t]+(?:the[ \t]+)?$")
HOLDS_GATE_RE = re.compile(r"\b(?:had|has|contained|comprised|included|consisted|controlled"
                           r"|commanded|kept)\b")
GROUP_GATE_RE = re.compile(r"\b(?:[Bb]oth|[Aa]ll|[Ii]t|two|three|four|five|six|seven|eight"
                           r"|nine|ten|[2-9])\b")
GROUP_ENDS = (" of ", " of the ", " to ", " to the ", " under ", " under the ")
PAIR_RE = re.compile(r"[ \t\n]+and[ \t]+(?:the[ \t]+)?")
OF_ENDS = (" of ", " of the ")
SKIP_GAPS = frozenset((" of the ", " of ", "'s ", "’s ", " ", "-"))
OPEN_RE = re.compile(r"(?:\*[0-9]{1,3}[ \t]+)?(?:[Tt]he[ \t]+)?$")  # "*4 The 2nd Corps"


@dataclass(slots=True)
class Span:
    """A resolved mention: an acronym definition right after its name is merged into it."""

    start: int
    end: int
    ent: Entity
    item: Item


PLURAL_WORDS = frozenset(("divisions", "brigades", "regiments", "battalions", "companies",
                          "squadrons", "batteries", "platoons", "armies", "detachments",
                          "corps", "fleets", "flotillas"))


def _plural_of(pre: str) -> bool:
    """Does ``pre`` end with "<plural echelon> of (the) "?"""
    t = pre[:-8] if pre.endswith(" of the ") else pre[:-4]
    return t.rsplit(" ", 1)[-1] in PLURAL_WORDS


def sentence_start(body: str, pos: int) -> int:
    lo = max(0, pos - 600)
    best = lo
    for term in (". ", ".\n", "? ", "! ", ".” ", ".\" ", "; ", "\n"):
        k = body.rfind(term, lo, pos)
        if k >= 0 and k + len(term) > best:
            best = k + len(term)
    while best < pos and body[best] in " \t\n":
        best += 1
    return best


class Relator:
    """Finds the stated relations of one chapter's resolved mentions."""

    def __init__(self, resolver) -> None:
        # a proxy, not a reference: the resolver holds its relator, and a cycle would keep
        # the whole pass alive until the cyclic collector walks it (~8% of the time)
        self.r = weakref.proxy(resolver)
        lx = resolver.grammar.lex
        self.lx = lx
        self.plural: dict[str, str] = {w: e for w, e in lx.lower_echelon.items()
                                       if w in lx.lower_plural}

    # ---------------------------------------------------------------- helpers
    def rank(self, ech: str | None) -> int | None:
        if ech is None:
            return None
        lx = self.lx
        ech = lx.ladder_alias.get(ech, ech)
        return lx.ladder.index(ech) if ech in lx.ladder else None

    def fits(self, child: Entity, parent: Entity, strict: bool = False) -> bool:
        """May ``parent`` hold ``child`` by their echelons (unknown passes unless strict)?"""
        if child is parent or child.kind != "unit" or parent.kind != "unit":
            return False
        a, b = self.rank(child.echelon), self.rank(parent.echelon)
        if a is None or b is None:
            return not strict
        return b < a

    def add(self, child: Entity, parent: Entity, chapter: int | None,
            strict: bool = False) -> None:
        if self.fits(child, parent, strict):
            self.r._fact(child, "parent", parent.name, chapter)
            self.r.weak.add((child.name, parent.name))

    # ---------------------------------------------------------------- the pass
    def chapter(self, body: str, pairs: list[tuple[Item, Entity]], chapter: int | None,
                parent_of) -> None:
        # merge each acronym definition into the name it defines
        if any(it.kind == "acronym_def" for it, _ in pairs):
            spans: list[Span] = []
            for it, e in pairs:
                if it.kind == "acronym_def" and spans and spans[-1].ent is e \
                        and it.start - spans[-1].end <= 3:
                    spans[-1].end = it.end
                    continue
                spans.append(Span(it.start, it.end, e, it))
            starts = [sp.start for sp in spans]
            ends = [sp.end for sp in spans]
            ents = [sp.ent for sp in spans]
        else:
            spans = []
            starts = [it.start for it, _ in pairs]
            ends = [it.end for it, _ in pairs]
            ents = [e for _, e in pairs]
        units = [e.kind == "unit" for e in ents]
        # a cheap first pass notes where a rule may apply
        events: list[tuple[int, int]] = []
        first_word = FIRST_WORD_RE.match
        last = len(ents) - 1
        for i in [k for k, u in enumerate(units) if u]:
            if i:
                gs, ge = ends[i - 1], starts[i]
                if ge - gs <= 200:
                    if units[i - 1]:
                        if ge - gs <= 3 and body[gs:ge].rstrip() == ",":
                            events.append((5, i))
                        elif ge - gs <= 8 and body[gs:ge] in SKIP_GAPS:
                            pass
                        elif (fw := first_word(body, gs, ge)) is not None \
                                and (fw.group(1) in FIRST_WORDS
                                     or fw.group(1) == "and" and ge - gs > 10):
                            events.append((0, i))
                        elif ge - gs <= 24 and ents[i].echelon is not None \
                                and ents[i].echelon == ents[i - 1].echelon:
                            events.append((1, i))
                    elif ents[i - 1].kind == "nation" and body.find("whose", gs, ge) >= 0:
                        events.append((2, i))
                pre = body[ge - 90 if ge > 90 else 0:ge]
                if "reserve" in pre or "its " in pre or "Its " in pre \
                        or (pre.endswith(OF_ENDS) and _plural_of(pre)):
                    events.append((4, i))
                if pre.endswith(GROUP_ENDS) and GROUP_GATE_RE.search(pre):
                    events.append((7, i))
                if pre.endswith(("'s ", "’s ")) or "The " in pre and HOLDS_GATE_RE.search(pre):
                    events.append((9, i))
            if body.startswith(OF_THAT_STARTS, ends[i]):
                events.append((8, i))
            if i < last:
                gs, ge = ends[i], starts[i + 1]
                if ge - gs <= 200 and body.find(" of ", gs, ge) >= 0 \
                        and body.find(",", gs, ge) >= 0:
                    events.append((3, i + 1))
                elif ents[i + 1].kind == "nation" and ge - gs <= 40 \
                        and SIDE_GAP_RE.fullmatch(body, gs, ge):
                    events.append((6, i + 1))
        if not events:
            return
        if not spans:
            spans = [Span(it.start, it.end, e, it) for it, e in pairs]
        for rule, i in events:
            a, b = spans[i - 1], spans[i]
            if rule == 0:
                self._after_unit(body, spans, i, body[a.end:b.start], chapter, parent_of)
            elif rule == 1:
                self._list_pair(body, spans, i, body[a.end:b.start], chapter, parent_of)
            elif rule == 2:
                if WHOSE_RE.match(body, a.end, b.start):
                    self.r._fact(b.ent, "side", a.ent.name, chapter)
            elif rule == 3:
                m = GENERIC_AFTER_RE.match(body[a.end:b.start])
                if m:
                    self._generic(a.ent, m, chapter)
            elif rule == 5:
                self._comma_parent(body, spans, i, chapter)
            elif rule == 6:
                self._stated_side(body, a, b, chapter)
            elif rule == 7:
                self._group(body, spans, i, chapter)
            elif rule == 8:
                self._of_that(body, spans, i, chapter)
            elif rule == 9:
                self._generic_owner(body, spans, i, chapter)
            else:
                self._before_unit(body, spans, i, chapter, body[max(0, b.start - 90):b.start])

    def _stated_side(self, body: str, unit: Span, nation: Span, chapter: int | None) -> None:
        """"X, a Kestrian formation,", "X fought for Kestria", "X was Kestrian.": the side
        said of a unit right after its name."""
        gap = body[unit.end:nation.start]
        after = body[nation.end:nation.end + 40]
        adjective = nation.item.form in ("adj", "dadj")
        if gap.startswith(","):  # "a Kestrian formation": a unit noun follows
            stated = SIDE_NOUN_RE.match(after) is not None
        elif " was " in gap or " were " in gap:  # "was Kestrian.": the adjective ends it
            stated = adjective and (SENT_END_RE.match(after) is not None or after[:1] == ",")
        else:  # "fought for Kestria", not "fought for Kestrian villages"
            stated = not adjective
        if stated:
            self.r._fact(unit.ent, "side", nation.ent.name, chapter)

    def _comma_parent(self, body: str, spans: list[Span], i: int, chapter: int | None) -> None:
        """"the 1st Battalion, 22nd Marine Regiment", "Company A, 1st Battalion, 5th Marines":
        units joined by bare commas, each of a higher echelon than the one before, are a path
        up the tree; a list ("the 4th Battalion, 2nd Regiment and 9th Division") is not."""

        def bare_comma(x: int) -> bool:  # between spans x and x + 1
            gap = body[spans[x].end:spans[x + 1].start]
            return len(gap) <= 3 and gap.rstrip() == "," and spans[x + 1].ent.kind == "unit" \
                and spans[x].ent.kind == "unit"

        lo, hi = i - 1, i
        while lo > 0 and bare_comma(lo - 1):
            lo -= 1
        while hi + 1 < len(spans) and bare_comma(hi):
            hi += 1
        if hi + 1 < len(spans) and spans[hi + 1].ent.kind == "unit" \
                and LIST_GAP_RE.fullmatch(body[spans[hi].end:spans[hi + 1].start]):
            return
        ranks = [self.rank(sp.ent.echelon) for sp in spans[lo:hi + 1]]
        if None in ranks or any(ranks[k + 1] >= ranks[k] for k in range(len(ranks) - 1)):
            return
        self.add(spans[i - 1].ent, spans[i].ent, chapter, strict=True)

    def _after_unit(self, body: str, spans: list[Span], i: int, gap: str,
                    chapter: int | None, parent_of) -> None:
        a, b = spans[i - 1], spans[i]
        m = CONTAIN_RE.match(gap)
        if m and (m.group("which") or self._opens_sentence(body, spans, i - 1)):
            kids = self._list_from(body, spans, i)
            if m.group("had"):
                end = spans[kids[-1]].end
                if not SENT_END_RE.match(body, end):
                    kids = []
            for k in kids:
                self.add(spans[k].ent, a.ent, chapter, strict=bool(m.group("had")))
            return
        m = COUNT_RE.match(gap)
        if m:
            self._counted(body, spans, i, m, chapter)
            return
        m = ATTACH_RE.match(gap)
        if m:
            if TRANSFER_RE.search(m.group()) and self.fits(a.ent, b.ent):
                self.r._forget_parents(a.ent, chapter)  # the new parent replaces the old
            self.add(a.ent, b.ent, chapter)
            return
        m = APPOS_RE.match(gap)
        if m:
            if " became " in m.group() and self.fits(a.ent, b.ent):
                self.r._forget_parents(a.ent, chapter)  # "X became the first unit of Y"
            self.add(a.ent, b.ent, chapter)
            return
        m = HOLD_RE.match(gap)
        if m:
            for k in self._list_from(body, spans, i):
                self.add(spans[k].ent, a.ent, chapter, strict=True)
            return
        if POSS_APPOS_GAP_RE.fullmatch(gap) and POSS_APPOS_AFTER_RE.match(body, b.end):
            self.add(a.ent, b.ent, chapter)  # "X, the Baltic Fleet's own marines"
            return
        if INVERTED_GAP_RE.fullmatch(gap) \
                and INVERTED_BEFORE_RE.search(body, max(0, a.start - 24), a.start):
            for k in self._list_from(body, spans, i):  # "Under the 3rd Army stood A and B"
                self.add(spans[k].ent, a.ent, chapter)
            return
        if WITH_RE.fullmatch(gap) and (self._opens_sentence(body, spans, i - 1)
                                       or BE_BEFORE_RE.search(body, max(0, a.start - 12),
                                                              a.start)):
            kids = self._list_from(body, spans, i)
            if LIST_END_RE.match(body, spans[kids[-1]].end):
                for k in kids:
                    self.add(spans[k].ent, a.ent, chapter, strict=True)
            return
        if i >= 2 and PLACED_RE.fullmatch(gap) \
                and DETACHED_RE.fullmatch(body, spans[i - 2].end, a.start):
            child = spans[i - 2].ent  # "A was detached from B and placed under C"
            if self.fits(child, b.ent):
                self.r._forget_parents(child, chapter)
            self.add(child, b.ent, chapter)
            return
        if TO_GAP_RE.fullmatch(gap) and not body.startswith(("'s", "’s"), b.end):
            self._attached_to(body, spans, i, chapter)
            return
        if len(gap) <= 24 and a.ent.echelon is not None and a.ent.echelon == b.ent.echelon:
            self._list_pair(body, spans, i, gap, chapter, parent_of)

    def _of_that(self, body: str, spans: list[Span], i: int, chapter: int | None) -> None:
        """"the 264th Division of the same corps": the latest other unit of that echelon."""
        b = spans[i]
        m = OF_THAT_RE.match(body, b.end)
        if m is None:
            return
        ech = " ".join(m.group(1).split())
        owner = self._recent(body, spans, i, lambda e: e.echelon == ech and e is not b.ent,
                             3000)
        if owner is not None:
            self.add(b.ent, owner, chapter, strict=True)

    def _generic_owner(self, body: str, spans: list[Span], i: int,
                       chapter: int | None) -> None:
        """"The division's 15th and 20th Brigades", "The corps had the 12th Division and the
        79th Division": the latest unit of that echelon holds the units listed."""
        b = spans[i]
        lo = max(0, b.start - 90)
        m = ECH_POSS_RE.search(body, lo, b.start) or ECH_SUBJECT_RE.search(body, lo, b.start)
        if m is None:
            return
        ech = " ".join(m.group(1).split())
        owner = self._recent(body, spans, i, lambda e: e.echelon == ech, 1500)
        if owner is not None:
            for k in self._list_from(body, spans, i):
                self.add(spans[k].ent, owner, chapter, strict=True)

    def _attached_to(self, body: str, spans: list[Span], i: int, chapter: int | None) -> None:
        """"Berlin attached the Legion (and the 4th Brigade) to the 2nd Army": the units
        between an attaching verb and "to" belong to the unit after it."""
        first = i - 1
        while first > 0 and spans[first - 1].ent.kind == "unit" and LIST_RE.fullmatch(
                body, spans[first - 1].end, spans[first].start):
            first -= 1
        start = spans[first].start
        m = ACTIVE_VERB_RE.search(body, max(0, start - 30), start)
        if m is None:
            return
        parent = spans[i].ent
        for k in range(first, i):
            child = spans[k].ent
            if TRANSFER_RE.search(m.group()) and self.fits(child, parent):
                self.r._forget_parents(child, chapter)
            self.add(child, parent, chapter)

    def _group(self, body: str, spans: list[Span], i: int, chapter: int | None) -> None:
        """"Both belonged to the 2nd Army", "All four answered to X": the units named in the
        sentence before, when there are exactly that many; ", both under X" after a list: the
        last two named; "now it belonged to X": the unit the sentence is about."""
        b = spans[i]
        m = GROUP_RE.search(body, max(0, b.start - 120), b.start)
        if m is None:
            return
        kw = m.start("kw")
        if m.group("it"):
            owner = self._owner(body, spans, i, kw)
            if owner is not None:
                if TRANSFER_RE.search(m.group()) and self.fits(owner, b.ent):
                    self.r._forget_parents(owner, chapter)
                self.add(owner, b.ent, chapter)
            return
        n = m.group("n")
        count = 2 if n is None else NUMBERS.get(n) or (int(n) if n.isdigit() else 0)
        st = sentence_start(body, kw)
        opens = st >= kw
        lo, hi = (sentence_start(body, max(0, st - 2)), st) if opens else (st, kw)
        named: list[Entity] = []
        for k in range(i - 1, -1, -1):
            s = spans[k]
            if s.start < lo:
                break
            if s.end <= hi and s.ent.kind == "unit" and s.ent not in named \
                    and s.ent is not b.ent:
                named.append(s.ent)
        if not opens:
            named = named[:count]  # "A, which ..., and B, both under X"
        if len(named) == count:
            for child in named:
                self.add(child, b.ent, chapter)

    def _list_pair(self, body: str, spans: list[Span], i: int, gap: str,
                   chapter: int | None, parent_of) -> None:
        a, b = spans[i - 1], spans[i]
        if not PAIR_RE.fullmatch(gap) or a.item.mods != b.item.mods \
                or a.item.head != b.item.head:
            return
        # exactly two units of one kind: "the 12th Rifle Division and the 15th Rifle Division
        # of the 4th Corps" (A belongs where B does), "X's 4th Corps and 9th Corps" (B where
        # A does); in a longer list "of X" binds only the last
        if i >= 2 and spans[i - 2].ent.kind == "unit" \
                and LIST_RE.match(body, spans[i - 2].end, a.start):
            return
        if i + 1 < len(spans) and spans[i + 1].ent.kind == "unit" \
                and LIST_RE.match(body, b.end, spans[i + 1].start):
            return
        pb = parent_of(b.item)
        pa = parent_of(a.item)
        if pb is not None and pa is None and b.item.of_target is not None:
            self.add(a.ent, pb, chapter)
        elif pa is not None and pb is None and a.item.possessor is not None \
                and "the" not in gap:
            self.add(b.ent, pa, chapter)

    def _opens_sentence(self, body: str, spans: list[Span], k: int) -> bool:
        s = spans[k]
        st = sentence_start(body, s.start)
        return OPEN_RE.fullmatch(body, st, s.start) is not None

    def _list_from(self, body: str, spans: list[Span], i: int) -> list[int]:
        out = [i]
        j = i + 1
        while j < len(spans) and spans[j].ent.kind == "unit" and len(out) < 12:
            m = LIST_RE.match(body, spans[j - 1].end, spans[j].start)
            if m is None or m.end() != spans[j].start:
                break
            out.append(j)
            j += 1
        return out

    def _counted(self, body: str, spans: list[Span], i: int, m: re.Match,
                 chapter: int | None) -> None:
        owner = spans[i - 1].ent
        ech = self.plural.get(m.group("pl"))
        count = NUMBERS.get(m.group("n")) or (int(m.group("n")) if m.group("n").isdigit() else 0)
        if ech is None or not count:
            return
        orank = self.rank(owner.echelon)
        found: list[Entity] = []
        for j in range(i, min(len(spans), i + 40)):
            s = spans[j]
            if j > i and "\n" in body[spans[j - 1].end:s.start]:
                break  # the list stays in its paragraph
            if s.ent.kind != "unit" or s.ent is owner:
                continue
            r = self.rank(s.ent.echelon)
            if orank is not None and r is not None and r <= orank:
                break  # an equal or higher unit: another subject
            if s.ent.echelon == ech and s.ent not in found:
                found.append(s.ent)
                if len(found) == count:
                    break
        if len(found) == count:
            for e in found:
                self.add(e, owner, chapter)

    def _before_unit(self, body: str, spans: list[Span], i: int, chapter: int | None,
                     pre: str) -> None:
        b = spans[i]
        lo = b.start - len(pre)
        if "reserve" in pre:
            m = RESERVE_RE.search(body, lo, b.start)
            if m:
                ech = " ".join(m.group("e").split())
                owner = self._recent(body, spans, i, lambda e: e.echelon == ech, 3000)
                if owner is not None:
                    self.add(b.ent, owner, chapter, strict=True)
                return
        if pre.endswith(OF_ENDS) and _plural_of(pre):
            m = GENERIC_BEFORE_RE.search(body, lo, b.start)
            if m:
                self._generic(b.ent, m, chapter)
        low_its = pre.endswith((" its ", " Its ", "\nIts ")) or pre in ("its ", "Its ")
        m = None
        if not low_its and ("Its " in pre or " its " in pre):
            st = sentence_start(body, b.start)
            m = ITS_RE.search(body, max(0, st - 3), b.start)
            if m and not ITS_NP_RE.search(m.group("np")):
                m = None
            if m and any(spans[k].ent.kind == "unit" and spans[k].start >= m.start()
                         for k in range(max(0, i - 4), i)):
                m = None
        if not low_its and m is None:
            return
        its_at = b.start - 4 if low_its else m.start("np")
        owner = self._owner(body, spans, i, its_at)
        if owner is None and (body.startswith("Its ", its_at) or m is not None
                              and "Its " in m.group()):
            owner = self._previous_first(body, spans, i, its_at)
        if owner is None:
            return
        kids = [i] if low_its else self._list_from(body, spans, i)
        for k in kids:
            self.add(spans[k].ent, owner, chapter, strict=low_its is False)

    def _recent(self, body: str, spans: list[Span], i: int, ok, window: int) -> Entity | None:
        lo = spans[i].start - window
        for k in range(i - 1, -1, -1):
            s = spans[k]
            if s.start < lo:
                break
            if s.ent.kind == "unit" and ok(s.ent):
                return s.ent
        return None

    def _owner(self, body: str, spans: list[Span], i: int, its_at: int) -> Entity | None:
        st = sentence_start(body, its_at)
        m = None
        for found in THAT_ECH_RE.finditer(body, st, its_at):
            m = found
        if m is not None:
            ech = " ".join(m.group(1).split())
            return self._recent(body, spans, i, lambda e: e.echelon == ech, 1500)
        # the unit the sentence opens with, else the one the sentence before opens with
        starts = [st]
        if st > 0:
            starts.append(sentence_start(body, max(0, st - 2)))
        for sst in starts:
            subj = None
            for k in range(i - 1, -1, -1):
                s = spans[k]
                if s.start < sst:
                    break
                subj = k
            if subj is None:
                continue
            s = spans[subj]
            if s.start >= its_at:
                continue
            if s.ent.kind != "unit" or OPEN_RE.fullmatch(body, sst, s.start) is None:
                return None
            # no other unit may stand between the subject and "its" (its own "of"-owner may)
            chain = {id(x) for x in (s.item.of_target, s.item.possessor) if x is not None}
            for k in range(subj + 1, i):
                x = spans[k]
                if x.ent.kind == "unit" and x.start < its_at and id(x.item) not in chain \
                        and x.ent is not s.ent:
                    return None
            return s.ent
        return None

    def _previous_first(self, body: str, spans: list[Span], i: int,
                        its_at: int) -> Entity | None:
        """The owner of a sentence that opens with "Its": the one unit of the sentence before
        ("East of the city, the Don Army crossed. Its best formation ..."), counting with it
        its own "of"-owner; none when there are two."""
        st = sentence_start(body, its_at)
        pst = sentence_start(body, max(0, st - 2))
        found: list[Span] = []
        for k in range(i - 1, -1, -1):
            s = spans[k]
            if s.start < pst:
                break
            if s.ent.kind != "unit":
                continue
            if s.start >= st:
                if s.start < its_at:
                    return None  # a unit in this sentence: that one is meant, or it is unclear
                continue
            found.append(s)
        if not found:
            m = GENERIC_OPEN_RE.match(body, pst)
            if m is None:
                return None  # "The corps had two divisions. Its 1st Division ...": that corps
            ech = " ".join(m.group(1).split())
            return self._recent(body, spans, i, lambda e: e.echelon == ech, 3000)
        first = found[-1]
        chain = {id(x) for x in (first.item.of_target, first.item.possessor) if x is not None}
        others = [s for s in found[:-1] if id(s.item) not in chain and s.ent is not first.ent]
        return None if others else first.ent

    def _generic(self, owner: Entity, m: re.Match, chapter: int | None) -> None:
        ech = self.plural.get(m.group("pl"))
        n = m.group("n")
        count = NUMBERS.get(n) or (int(n) if n.isdigit() else 0)
        mods = frozenset(m.group("mods").split())
        if ech is None or not count or owner.kind != "unit":
            return
        self.r.generics.append((owner.name, count, mods, ech, chapter))
