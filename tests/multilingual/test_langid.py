"""Language routing restricted to the served languages, with a floor for foreign text:
the figures in ``pipeline/multilingual/langid.py`` are measured here."""

from pathlib import Path

import pytest

from racereport.corpus.jsonl import load_documents
from racereport.multilingual.langid import (
    identify,
    identify_together,
    word_votes,
    words_outside_names,
)

REPO = Path(__file__).resolve().parents[2]
SERVED = ("de", "en", "fr")

FOREIGN = {
    "es": "Carlos Sainz ganó el Gran Premio de Australia con Ferrari después de que Max "
    "Verstappen abandonara por un problema en los frenos. Charles Leclerc terminó segundo.",
    "it": "Pecco Bagnaia ha vinto il Gran Premio del Mugello davanti a Jorge Martín. La "
    "Ducati ha dominato la gara, mentre Marc Márquez è caduto al terzo giro.",
    "nl": "Max Verstappen heeft de Grand Prix van Nederland gewonnen voor Red Bull. Na een "
    "crash van Sargeant kwam de safety car de baan op en moest het veld langzaam rijden.",
    "pt": "Felipe Drugovich venceu a corrida de Fórmula 2 em Interlagos depois de uma "
    "largada perfeita. Enzo Fittipaldi abandonou com um problema no motor.",
    "pl": "Robert Kubica zajął trzecie miejsce w wyścigu w Le Mans. Zespół miał problemy z "
    "oponami, ale kierowcy nie popełnili żadnego błędu.",
    "sv": "Marcus Ericsson vann Indianapolis 500 efter en dramatisk avslutning. Han fick "
    "ett straff för att ha kört för fort i depån men tog sig tillbaka.",
    "cs": "Martin Prokop dojel na Rallye Monte Carlo na osmém místě. Po defektu pneumatiky "
    "ztratil více než minutu, ale nakonec závod dokončil.",
    "da": "Kevin Magnussen kørte et flot løb og sluttede på sjettepladsen for Haas. Han fik "
    "dog en tidsstraf på fem sekunder for at overskride banens grænser.",
}


@pytest.mark.parametrize("lang", sorted(FOREIGN))
def test_foreign_race_reports_are_not_sent_to_a_served_pipeline(lang):
    assert identify(FOREIGN[lang], SERVED).lang == lang


def _corpus(lang):
    folders = [REPO / "corpus" / lang, REPO / "corpus" / "heldout" / lang]
    return load_documents([f for f in folders if f.exists()])


@pytest.mark.parametrize(("lang", "at_most_elsewhere"), [("de", 6), ("en", 4), ("fr", 3)])
def test_corpus_documents_alone_go_to_their_own_pipeline(lang, at_most_elsewhere):
    elsewhere = [d for d in _corpus(lang) if identify(d.text, SERVED).lang != lang]
    assert len(elsewhere) <= at_most_elsewhere, [d.id for d in elsewhere]  # unrestricted: 22/25/16
    # what goes elsewhere is a list of names whose language the text does not show
    assert not [d.id for d in elsewhere if identify(d.text, SERVED).evident]


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_corpus_documents_together_all_go_to_their_own_pipeline(lang):
    docs = _corpus(lang)
    chunks = [docs[i : i + 64] for i in range(0, len(docs), 64)]  # as `batch` sends them
    guesses = [g for chunk in chunks for g in identify_together([d.text for d in chunk], SERVED)]
    assert [d.id for d, g in zip(docs, guesses, strict=True) if g.lang != lang] == []


def test_names_only_text_takes_the_language_of_the_texts_it_comes_with():
    names = "GT World Challenge, Barcelona: 1. Comtoyou Racing, 2. Boutsen VDS, 3. Rutronik."
    alone = identify(names, SERVED)
    assert not alone.evident
    german = "Am Sonntag gewann Verstappen das Rennen, nachdem Hamilton ausgefallen war."
    english = "On Sunday Verstappen won the race after Hamilton had retired."
    for prose, lang in ((german, "de"), (english, "en")):
        guesses = identify_together([prose, names, prose], SERVED)
        assert [g.lang for g in guesses] == [lang, lang, lang]
        assert [g.evident for g in guesses] == [True, False, True]
    assert identify_together([names], SERVED) == [alone]
    foreign = identify_together([FOREIGN["es"], names, german], SERVED)
    assert [g.lang for g in foreign] == ["es", "de", "de"]


def test_names_do_not_vote():
    assert words_outside_names(
        "Dakar, Autos: 1. Guillaume de Mévius (Overdrive Racing), 2. Corvette Racing by "
        "Pratt Miller. Sturz: Petit Le Mans, Endstand. Der Regen kam."
    ) == ["dakar", "autos", "sturz", "endstand", "kam"]


def test_unrestricted_identification_and_probabilities():
    guess = identify(FOREIGN["es"])
    assert guess.lang == "es" and guess.probability > 0.99
    served = identify("Max Verstappen gewann das Rennen in Monza.", SERVED)
    assert served.lang == "de" and 0.5 < served.probability <= 1.0
    with pytest.raises(ValueError, match="knows none"):
        identify("text", ["xx"])


def test_words_of_a_served_language_overrule_the_names_ngrams():
    results = (
        "Moto2, Barcelona: 1. Aron Canet (Fantic Racing); 2. Ai Ogura (MT Helmets – MSI); "
        "3. Manuel González (QJMotor Gresini). Weltmeister: Ogura. Sturz: Sergio García."
    )
    assert word_votes(results, SERVED) == {"de": 2, "en": 0, "fr": 0}  # "Sergio García" is a name
    assert identify(results, SERVED).lang == "de"
    assert word_votes("Sturz und Weltmeister (Red Bull Racing Team)", SERVED) == {
        "de": 3,
        "en": 0,
        "fr": 0,
    }


def test_the_long_article_test_sets_go_to_their_own_pipeline():
    for lang in ("de", "en"):
        docs = load_documents([REPO / "corpus" / "heldout" / lang])
        assert [d.id for d in docs if identify(d.text, SERVED).lang != lang] == []
