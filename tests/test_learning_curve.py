from racereport.corpus.jsonl import load_documents
from racereport.corpus.split import split_documents
from racereport.learning_curve import learning_curve
from tests.conftest import REPO


def test_learning_curve_trains_one_model_per_fraction():
    points = learning_curve(
        REPO / "models" / "configs" / "motorsport_blank.cfg",
        [REPO / "corpus" / "de"],
        fractions=(0.1, 0.3),
        overrides={"training.max_steps": 20, "training.eval_frequency": 10},
    )
    n_train = len(split_documents(load_documents([REPO / "corpus" / "de"]))["train"])
    assert [p["documents"] for p in points] == [round(0.1 * n_train), round(0.3 * n_train)]
    assert all(0.0 <= p["ents_f"] <= 1.0 and p["relations_f"] is not None for p in points)
