"""Language routing restricted to the served languages, with a floor for foreign text:
the figures in ``pipeline/multilingual/langid.py`` are measured here."""

from pathlib import Path

import pytest

from racereport.corpus.jsonl import load_documents
from racereport.multilingual.langid import identify, word_votes

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


@pytest.mark.parametrize(("lang", "at_most_elsewhere"), [("de", 7), ("en", 4), ("fr", 2)])
def test_corpus_documents_go_to_their_own_pipeline(lang, at_most_elsewhere):
    folders = [REPO / "corpus" / lang, REPO / "corpus" / "heldout" / lang]
    docs = load_documents([f for f in folders if f.exists()])
    elsewhere = [d.id for d in docs if identify(d.text, SERVED).lang != lang]
    assert len(elsewhere) <= at_most_elsewhere, elsewhere  # unrestricted: 22 / 25 / 16


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
    assert word_votes(results, SERVED) == {"de": 2, "en": 0, "fr": 1}
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
