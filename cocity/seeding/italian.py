"""Italian of the demo's texts: the article of a place's name and the preposition "di" joined
with it ("del Giardino Anna Frank", "dell'ex lavatoio"), for titles made from templates. Used by
the demo seeders and the national one."""

from __future__ import annotations

# The article of a name's first word ("" for names said without one: "piazza Savoia").
ARTICLES = {
    "giardino": "il",
    "giardini": "i",
    "orto": "l'",
    "orti": "gli",
    "aiuola": "l'",
    "aiuole": "le",
    "area": "l'",
    "parco": "il",
    "filare": "il",
    "piazza": "",
    "largo": "",
    "slargo": "lo",
    "sottopasso": "il",
    "marciapiede": "il",
    "tratto": "il",
    "scuola": "la",
    "cortile": "il",
    "palestra": "la",
    "campo": "il",
    "bocciofila": "la",
    "skate": "lo",
    "pista": "la",
    "casa": "la",
    "cascina": "la",
    "locali": "i",
    "centro": "il",
    "corte": "la",
    "bagni": "i",
    "memoria": "la",
    "festival": "il",
    "archivio": "l'",
    "mappa": "la",
    "ricettario": "il",
    "canti": "i",
    "festa": "la",
    "muro": "il",
    "scalinata": "la",
    "fioriere": "le",
    "rotonda": "la",
    "campi": "i",
    "casale": "il",
    "piazzale": "",
    "portici": "i",
}
EX_ARTICLES = {"officine": "le", "bagni": "gli"}  # after "ex": "delle ex officine"
# First words that are common nouns, written in lower case after an article.
GENERIC = {
    "orto",
    "aiuola",
    "aiuole",
    "area",
    "filare",
    "slargo",
    "sottopasso",
    "marciapiede",
    "tratto",
    "cortile",
    "palestra",
    "campo",
    "pista",
    "locali",
    "ex",
    "piazza",
    "largo",
    "muro",
    "scalinata",
    "fioriere",
    "rotonda",
    "campi",
    "piazzale",
    "portici",
    "skate",
}
OF = {
    "il": "del ",
    "lo": "dello ",
    "la": "della ",
    "l'": "dell'",
    "i": "dei ",
    "gli": "degli ",
    "le": "delle ",
    "": "di ",
}


def article(name: str) -> tuple[str, str]:
    words = name.split(" ")
    first = words[0].lower()
    if first == "ex" and len(words) > 1:
        article = EX_ARTICLES.get(words[1].lower(), "l'")
    else:
        article = ARTICLES.get(first, "")
    if first in GENERIC:
        name = name[0].lower() + name[1:]
    return article, name


def of(name: str) -> str:
    """ "di" with the article: "del Giardino Anna Frank", "dell'ex lavatoio di via Paradisi"."""
    first_article, name = article(name)
    return OF[first_article] + name


def the(name: str) -> str:
    first_article, name = article(name)
    if not first_article:
        return name
    if first_article.endswith("'"):
        return first_article + name
    return f"{first_article} {name}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(template: str, name: str) -> str:
    """A title template filled with a place's name: ``{of}`` "del Giardino…", ``{the}``
    "il Giardino…", ``{name}`` as it is, ``{Name}`` capitalised."""
    return template.format(of=of(name), the=the(name), name=name, Name=cap(name))
