"""Abbreviations per language, for telling a full stop that ends a sentence from one that does not.

`TITLES` come before a name and never end a sentence ("Dr. Jones"); `ABBREVIATIONS` may end one
("… and so on, etc. The next"), so after them a sentence ends only where the next word is one that
opens sentences (see `sentences`). Entries are lower case, without their final full stop.
Words with an inner full stop ("U.S.", "z.B.") and single letters ("J. K.") are recognised by
their shape and need no entry. This module imports nothing.
"""

from __future__ import annotations


def _set(*texts: str) -> frozenset[str]:
    """The words of the texts, as a set."""
    return frozenset(word for text in texts for word in text.split())


TITLES: dict[str, frozenset[str]] = {
    "english": _set("mr mrs ms dr prof st sen rep gov gen col lt sgt capt cmdr adm rev "
                         "hon fr sr jr messrs mme mlle"),
    "german": _set("hr hrn fr frl dr prof dipl ing st sr"),
    "french": _set("m mm mme mmes mlle mlles dr pr me st ste mgr"),
    "spanish": _set("sr sra srta sres dr dra d dña ud uds lic ing prof sto sta"),
    "portuguese": _set("sr sra srta dr dra prof profa exmo exma sto sta"),
    "italian": _set("sig sigg sig.ra dott dott.ssa prof avv ing on gen s"),
    "dutch": _set("dhr mevr mr dr ir ing prof drs st"),
    "swedish": _set("dr prof hr fru"),
    "czech": _set("p pí ing mgr doc prof dr judr mudr phdr rndr"),
    "slovak": _set("p ing mgr doc prof dr judr mudr phdr rndr"),
    "polish": _set("p dr prof inż mgr ks św"),
    "russian": _set("г гг тов проф акад"),
    "ukrainian": _set("п пан проф акад"),
}
_COMMON = ("etc vs approx ca cf fig no nr nos vol vols pp p ed eds al "
           "kg km cm mm mg ml hr hrs sq yd lb lbs oz")
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "english": _set(_COMMON, "inc ltd co corp bros dept est jan feb mar apr jun jul aug "
                         "sep sept oct nov dec mon tue tues wed thu thurs fri sat sun ave blvd "
                         "rd mt ft approx misc min max esp incl govt univ pop"),
    "german": _set(_COMMON, "bzw vgl ggf evtl inkl zzgl usw bspw sog ugs abs abt bd "
                        "bzgl dt engl franz geb gegr hrsg jh jhd lat max min mio mrd mind "
                        "ord sek std str tel tsd u.a urspr verh zb zit zt ggü"),
    "french": _set(_COMMON, "env p.ex av apr hab chap art bd tél éd etc janv févr avr "
                        "juil sept oct nov déc"),
    "spanish": _set(_COMMON, "aprox pág págs art núm tel avda av etc ej ee.uu dcha izq "
                         "admón cía ene feb mar abr jun jul ago sept oct nov dic"),
    "portuguese": _set(_COMMON, "aprox pág págs art núm tel av etc ex ltda cia jan fev "
                            "mar abr mai jun jul ago set out nov dez"),
    "italian": _set(_COMMON, "ecc pag art tel ca es cap"),
    "dutch": _set(_COMMON, "bijv bv blz dwz enz etc evt ca jl mln mld resp vgl zgn "
                       "nl jhr ong"),
    "swedish": _set(_COMMON, "bl.a dvs etc ev fr.o.m inkl kl m.m osv resp s.k t.ex "
                         "ung f.d o.d."),
    "danish": _set(_COMMON, "bl.a dvs evt f.eks ca osv mht"),
    "norwegian": _set(_COMMON, "bl.a dvs evt f.eks ca osv mht"),
    "finnish": _set(_COMMON, "esim jne ks mm n ns os yms"),
    "czech": _set(_COMMON, "tzv atd apod např mj resp tj tzn čís str sv"),
    "slovak": _set(_COMMON, "tzv atď napr resp tj tzn čís str sv"),
    "polish": _set(_COMMON, "np tzw itd itp m.in ok tj wg godz tys mln mld ul"),
    "russian": _set(_COMMON, "т.е т.д т.п др им ул стр тыс млн млрд"),
    "ukrainian": _set(_COMMON, "т.д т.п ім вул стр тис млн млрд див"),
    "greek": _set(_COMMON, "π.χ κ.α κ.λπ κ.τ.λ λ.χ δηλ βλ σελ κεφ χιλ αρ"),
}
# Abbreviations that stand only before a number ("No. 5", "fig. 3", "vol. II"): before a word they
# are a word of their own ("She said no. Then …"), so a sentence may end after them.
NUMBERED = frozenset({"no", "nos", "nr", "nrs", "fig", "figs", "vol", "vols", "pp"})
# Languages that write ordinal numbers with a full stop ("am 3. Oktober", "3. října").
ORDINAL_DOT = frozenset({"german", "czech", "slovak", "polish", "danish", "norwegian", "finnish",
                         "hungarian", "swedish"})
